"""An EDIFACT interchange posted raw to the webhook endpoint is journaled once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from logisync.api.webhook_route import WebhookSystems

from .conftest import RunningHub

GOLDEN = Path(__file__).parents[1] / "golden" / "edifact"


def test_an_iftsta_posted_raw_becomes_milestones_once(start_hub: Callable[..., RunningHub]) -> None:
    systems = {"retailer": ("edifact", {"scheme": "odoo_token", "secret": "env:EDI"})}
    hub = start_hub(webhooks=WebhookSystems(systems, {"env:EDI": "edi-token"}.__getitem__))
    raw = (GOLDEN / "iftsta_in.edi").read_bytes()
    url = "/v1/webhooks/retailer?token=edi-token"
    with hub.client() as client:
        first = client.post(url, content=raw, headers={"content-type": "application/edifact"})
        again = client.post(url, content=raw, headers={"content-type": "application/edifact"})
        broken = client.post(url, content=raw.replace(b"UNT+13+5'", b"UNT+12+5'"))
    assert first.status_code == 202, first.text
    assert again.status_code in (200, 202)
    assert broken.status_code == 422 and "UNT counts" in broken.text
    events = hub.store.events_for("shipment:DES-0815")
    assert [e.data["milestone"] for e in events] == ["in_transit", "delivered", "unknown"]
