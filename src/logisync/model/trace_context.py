"""W3C Trace Context (``traceparent``, ``tracestate``): what a valid one looks like.

The hub keeps the trace context an event arrived with (HTTP header or the CloudEvents
Distributed Tracing extension attributes) and continues that trace in every outbound call made
for it. Only syntax is checked here; whether to refuse or ignore a bad one is the intake's call
(it ignores it: tracing is a diagnostic and must never cost a business fact).
"""

from __future__ import annotations

import re

# version-traceid-parentid-flags; a future version may append fields after a dash.
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_TRACESTATE_MEMBER = re.compile(
    r"^[a-z0-9][a-z0-9_\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,256}$"
)
TRACESTATE_MAX = 512


def traceparent_problem(value: str) -> str | None:
    """Why ``value`` is not a usable ``traceparent`` (None when it is)."""
    match = _TRACEPARENT.match(value)
    if match is None:
        return "not version-traceid-parentid-flags in lowercase hex (W3C Trace Context)"
    version, trace_id, parent_id, _, rest = match.groups()
    if version == "ff":
        return "version ff is forbidden"
    if version == "00" and rest:
        return "version 00 has exactly four fields"
    if trace_id == "0" * 32:
        return "the trace id is all zeros"
    if parent_id == "0" * 16:
        return "the parent id is all zeros"
    return None


def tracestate_problem(value: str) -> str | None:
    """Why ``value`` is not a usable ``tracestate`` (None when it is)."""
    if len(value) > TRACESTATE_MAX:
        return f"longer than {TRACESTATE_MAX} characters"
    members = [member.strip() for member in value.split(",") if member.strip()]
    if len(members) > 32:
        return "more than 32 list members"
    if any(_TRACESTATE_MEMBER.match(member) is None for member in members):
        return "a list member is not key=value"
    return None
