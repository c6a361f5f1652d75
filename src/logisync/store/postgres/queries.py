"""Named queries: every SQL statement of the backend lives in ``queries.sql``."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

_NAME = re.compile(r"^-- name: (\w+)\s*$", re.MULTILINE)


@cache
def queries() -> dict[str, str]:
    text = files(__package__).joinpath("queries.sql").read_text()
    parts = _NAME.split(text)
    named = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        lines = [line for line in body.strip().splitlines() if not line.startswith("--")]
        named[name] = "\n".join(lines).rstrip().rstrip(";")
    return named


def q(name: str) -> str:
    return queries()[name]
