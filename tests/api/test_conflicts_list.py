"""``GET /v1/conflicts``: every conflict and proposal, a page at a time, masked as the entity
read is."""

from __future__ import annotations

from datetime import UTC, datetime

from logisync.core.clock import ManualClock
from logisync.core.journal import Journal
from logisync.core.keys import PII, READ
from logisync.core.processor import Processor
from logisync.model.pii import MASK

from .conftest import RunningHub
from .read_scenario import NAME, OTHER_NAME, business_day, event, example_rules


def _reader(hub: RunningHub, *scopes: str) -> dict[str, str]:
    token, _ = hub.key(system=None, scopes=frozenset({READ, *scopes}))
    return {"authorization": f"Bearer {token}"}


def test_conflicts_are_listed_a_page_at_a_time(running: RunningHub) -> None:
    clock = ManualClock(datetime(2026, 3, 1, 16, tzinfo=UTC))
    business_day(running.store, clock)
    renames = [
        event(
            20 + n,
            "partner.changed",
            {"ref": "C1", "name": f"Name {n}"},
            "shop",
            time=f"2026-03-01T09:0{n}:00Z",
        )
        for n in range(2)
    ]
    Journal(running.store, clock).append(renames)
    Processor(running.store, example_rules(), clock=clock).run_until_idle()
    headers = _reader(running, PII)
    with running.client() as client:
        first = client.get("/v1/conflicts", params={"limit": 2}, headers=headers)
        assert first.status_code == 200, first.text
        page = first.json()
        second = client.get(
            "/v1/conflicts", params={"after": page["next_after"], "limit": 2}, headers=headers
        ).json()
        masked = client.get("/v1/conflicts", headers=_reader(running)).json()
        refused = client.get("/v1/conflicts", params={"limit": 0}, headers=headers)
    assert [c["proposed_value"] for c in page["conflicts"]] == [OTHER_NAME, "Name 0"]
    assert page["conflicts"][0]["current_value"] == NAME
    assert {c["entity_key"] for c in page["conflicts"]} == {"partner:C1"}
    assert {c["state"] for c in page["conflicts"]} == {"open"}
    assert [c["proposed_value"] for c in second["conflicts"]] == ["Name 1"]
    assert second["next_after"] is None
    assert page["conflicts"][1]["id"] == page["next_after"]
    assert {c["proposed_value"] for c in masked["conflicts"]} == {MASK}
    assert refused.status_code == 400
