"""Reading a Shopify JSON body field by field, each mistake noted with its JSON pointer.

Shopify's REST-shaped webhook bodies are large and loosely typed (money as strings, ids as
numbers). The mappers read only what they need through ``BodyReader``, which never raises for a
wrong shape: it records a ``Problem`` at the field's pointer and returns ``None``, so one
delivery reports every mistake at once and a fuzzed body can never crash the adapter.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from logisync.errors import Problem
from logisync.model.identifiers import is_ascii_digits


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) to ``parts``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


class BodyReader:
    """Typed look-ups into one JSON object, collecting problems instead of raising."""

    def __init__(self, problems: list[Problem] | None = None) -> None:
        self.problems: list[Problem] = [] if problems is None else problems

    def note(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def object(self, parent: dict[str, Any], key: str, where: str) -> dict[str, Any] | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.note(pointer_of(where, key), "must be a JSON object")
            return None
        return value

    def array(self, parent: dict[str, Any], key: str, where: str) -> list[Any]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.note(pointer_of(where, key), "must be a JSON array")
            return []
        return value

    def text(
        self, parent: dict[str, Any], key: str, where: str, *, required: bool = False
    ) -> str | None:
        value = parent.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.note(pointer_of(where, key), "is missing")
            return None
        self.note(pointer_of(where, key), f"must be a string, not {_kind(value)}")
        return None

    def ident(
        self, parent: dict[str, Any], key: str, where: str, *, required: bool = False
    ) -> str | None:
        """A Shopify id: a positive integer (REST) or its digits as text."""
        value = parent.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return str(value)
        if isinstance(value, str) and is_ascii_digits(value):
            return value
        if value is None:
            if required:
                self.note(pointer_of(where, key), "is missing")
            return None
        self.note(pointer_of(where, key), f"must be a Shopify id (an integer), not {_kind(value)}")
        return None

    def decimal(self, parent: dict[str, Any], key: str, where: str) -> Decimal | None:
        """Money as Shopify sends it: a decimal string ("12.50"); a JSON number is taken too."""
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.note(pointer_of(where, key), f"must be a decimal amount, not {_kind(value)}")
            return None
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            self.note(pointer_of(where, key), f"{value!r} is not a decimal amount")
            return None
        return amount

    def quantity(self, parent: dict[str, Any], key: str, where: str) -> int | None:
        value = parent.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        said = "missing" if value is None else f"{value!r}"
        self.note(pointer_of(where, key), f"must be a whole number of units, not {said}")
        return None


def pointer_of(where: str, key: str | int) -> str:
    return where + pointer(key)


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "an array", dict: "an object"})
    return names.get(type(value), type(value).__name__)
