"""What a log line is about, bound for a stretch of work: ``with bound(entity=..., event_id=...)``.

The core logs through the standard ``logging`` module and may not import structlog (it stays
framework-free); ``logisync.logs`` lifts these fields into every JSON line it renders. A
``ContextVar`` keeps them per thread and per asyncio task, so concurrent work never mixes them.

Only identifiers belong here (``correlation_id``, ``event_id``, ``entity``, ``target``, ``seq``),
never payload values: personal data must not reach a log.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

_EMPTY: Mapping[str, object] = MappingProxyType({})
_FIELDS: ContextVar[Mapping[str, object]] = ContextVar("logisync_log_fields", default=_EMPTY)


@contextmanager
def bound(**fields: object) -> Iterator[None]:
    """Add ``fields`` (those not None) to every log line written inside the block."""
    token = _FIELDS.set(
        MappingProxyType({**_FIELDS.get(), **{k: v for k, v in fields.items() if v is not None}})
    )
    try:
        yield
    finally:
        _FIELDS.reset(token)


def current() -> Mapping[str, object]:
    """The fields bound now (read-only)."""
    return _FIELDS.get()
