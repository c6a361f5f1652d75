"""What every carrier parser shares: JSON decoding and reading one part without crashing.

A carrier payload is untrusted: any field may be missing, of another type or absurd. Each
scan is read inside ``read_part``, which turns the failure of that one part into a Problem
located by JSON pointer, so one bad scan never costs the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import orjson

from logisync.connectors.carriers.scans import ParsedScans
from logisync.errors import Problem

T = TypeVar("T")
MAX_BODY = 5 * 1024 * 1024
_READ_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError)


def load_object(body: bytes, parsed: ParsedScans, what: str) -> dict[str, Any] | None:
    """The body as a JSON object, or ``None`` with a problem saying why not."""
    if len(body) > MAX_BODY:
        parsed.problems.append(_problem("", f"a {what} over {MAX_BODY} bytes is not read"))
        return None
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        parsed.problems.append(_problem("", f"the {what} is not JSON: {error}"))
        return None
    if not isinstance(document, dict):
        parsed.problems.append(_problem("", f"a {what} is a JSON object"))
        return None
    return document


def read_part(parsed: ParsedScans, pointer: str, read: Callable[..., T], *args: Any) -> T | None:
    """``read(*args)``, or ``None`` with a problem at ``pointer`` when the part is malformed."""
    try:
        return read(*args)
    except _READ_ERRORS as error:
        parsed.problems.append(_problem(pointer, _sentence(error)))
        return None


def items(value: Any, parsed: ParsedScans, pointer: str, what: str) -> list[Any]:
    """A JSON array field, or ``[]`` with a problem when it is something else."""
    if value is None:
        return []
    if not isinstance(value, list):
        parsed.problems.append(_problem(pointer, f"{what} must be a JSON array"))
        return []
    return value


def mapping(value: Any) -> dict[str, Any]:
    """A JSON object field, ``{}`` when absent or not an object (optional parts)."""
    return value if isinstance(value, dict) else {}


def required_text(container: dict[str, Any], key: str) -> str:
    value = container.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} is missing or not text")
    return value.strip()


def _sentence(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"the field {error} is missing"
    return str(error) or type(error).__name__


def _problem(pointer: str, message: str) -> Problem:
    return Problem(pointer, message)
