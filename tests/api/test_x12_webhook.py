"""An X12 partner posting interchanges to ``/v1/webhooks/{system}`` (kind ``x12``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from logisync.api.webhook_route import WebhookSystems

from .conftest import RunningHub

GOLDEN = Path(__file__).parents[1] / "golden" / "x12" / "in"
URL = "/v1/webhooks/acme?token=acme-token"


@pytest.fixture
def hooked(start_hub: Callable[..., RunningHub]) -> RunningHub:
    systems = {"acme": ("x12", {"scheme": "odoo_token", "secret": "env:ACME"})}
    return start_hub(webhooks=WebhookSystems(systems, {"env:ACME": "acme-token"}.__getitem__))


def test_a_posted_interchange_is_journaled_once_however_often_it_is_posted(
    hooked: RunningHub,
) -> None:
    body = (GOLDEN / "214.x12").read_bytes()
    headers = {"content-type": "application/edi-x12"}
    with hooked.client() as client:
        first = client.post(URL, content=body, headers=headers)
        again = client.post(URL, content=body, headers=headers)
    assert first.status_code == 202, first.text
    assert [e["duplicate"] for e in again.json()["events"]] == [True] * 4
    events = hooked.store.events_for("shipment:SHP-77")
    assert [e.data["milestone"] for e in events] == [
        "picked_up",
        "delivery_attempted",
        "delivered",
        "unknown",
    ]
    assert {e.source for e in events} == {"acme"}


def test_a_damaged_interchange_is_refused_with_where_it_is_damaged(hooked: RunningHub) -> None:
    body = (GOLDEN / "850.x12").read_bytes().replace(b"SE*13*", b"SE*12*")
    with hooked.client() as client:
        response = client.post(URL, content=body)
    assert response.status_code == 422
    assert "segment 15 (SE), element 01: says 12 segments, the set has 13" in response.text
    assert hooked.store.counts().journal == 0
