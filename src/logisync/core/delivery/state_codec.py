"""Policy state <-> JSON, so that a backend can keep it in a row every worker shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from logisync.core.clock import utc_text
from logisync.core.delivery.breaker import BreakerState
from logisync.core.delivery.rate_limit import BucketState


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def bucket_to_json(state: BucketState) -> dict[str, Any]:
    return {"tokens": state.tokens, "updated_at": utc_text(state.updated_at)}


def bucket_from_json(value: dict[str, Any]) -> BucketState:
    return BucketState(float(value["tokens"]), datetime.fromisoformat(value["updated_at"]))


def breaker_to_json(state: BreakerState) -> dict[str, Any]:
    return {
        "status": state.status,
        "window_started_at": utc_text(state.window_started_at),
        "successes": state.successes,
        "failures": state.failures,
        "opened_at": None if state.opened_at is None else utc_text(state.opened_at),
        "probes_sent": state.probes_sent,
        "probes_passed": state.probes_passed,
    }


def breaker_from_json(value: dict[str, Any]) -> BreakerState:
    started = _time(value["window_started_at"])
    assert started is not None
    return BreakerState(
        status=value["status"],
        window_started_at=started,
        successes=int(value["successes"]),
        failures=int(value["failures"]),
        opened_at=_time(value.get("opened_at")),
        probes_sent=int(value.get("probes_sent", 0)),
        probes_passed=int(value.get("probes_passed", 0)),
    )
