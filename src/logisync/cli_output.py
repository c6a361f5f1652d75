"""``--json`` for every listing and summary command: one JSON document on standard output.

Scripts parse it, so its shape is part of the interface: objects with snake_case keys, times as
the store's UTC text, lists for listings (empty, never absent). Messages for people go to
standard error, so that standard output stays parseable.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any

import typer

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document (a stable shape) for scripts")
]


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON with sorted keys."""
    typer.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=_plain))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, frozenset | set):
        return sorted(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
