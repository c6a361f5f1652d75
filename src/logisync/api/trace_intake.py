"""W3C trace context on intake: the ``traceparent``/``tracestate`` an event is journaled with.

Where it comes from, first found wins: the event's own CloudEvents Distributed Tracing
attributes (structured mode's ``traceparent`` member, binary mode's ``ce-traceparent``), which
name the trace the event was produced in; else the request's ``traceparent`` header, the
trace of the call that brought it. Provider webhooks have only the header.

A malformed one is dropped and logged, and the event is accepted without it: tracing is a
diagnostic, and refusing a business fact over it would lose data the sender may not resend.
The log line names the event and what is wrong, never the value (it is the sender's text).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from logisync.model.trace_context import traceparent_problem, tracestate_problem

log = logging.getLogger(__name__)


def apply_trace_context(raw: dict[str, Any], headers: Mapping[str, str]) -> None:
    """Set ``raw``'s ``traceparent``/``tracestate`` to a valid trace context or remove them."""
    own = raw.get("traceparent")
    if own is not None and _usable(raw, "traceparent", own, "the event's attribute"):
        if raw.get("tracestate") is not None and not _usable(
            raw, "tracestate", raw["tracestate"], "the event's attribute"
        ):
            raw.pop("tracestate", None)
        return
    raw.pop("traceparent", None)
    raw.pop("tracestate", None)
    header = headers.get("traceparent")
    if header is not None and _usable(raw, "traceparent", header, "the traceparent header"):
        raw["traceparent"] = header.strip()
        state = headers.get("tracestate")
        if state is not None and _usable(raw, "tracestate", state, "the tracestate header"):
            raw["tracestate"] = state.strip()


def _usable(raw: dict[str, Any], name: str, value: object, where: str) -> bool:
    if isinstance(value, str):
        check = traceparent_problem if name == "traceparent" else tracestate_problem
        problem = check(value.strip())
    else:
        problem = f"a {type(value).__name__}, not text"
    if problem is None:
        return True
    log.warning(
        "ignored the %s of event %s from %s (%s): %s",
        name,
        raw.get("id"),
        raw.get("source"),
        where,
        problem,
        extra={"event_id": raw.get("id") if isinstance(raw.get("id"), str) else None},
    )
    return False


def trace_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The request's ``traceparent``/``tracestate`` headers as a plain dict, to apply to each
    event of a batch without searching the request's headers again for every one."""
    return {name: headers[name] for name in ("traceparent", "tracestate") if name in headers}
