"""``running_hub``: the whole hub in one process finds its work on its own (events posted over
HTTP are processed and delivered by its threads), reports idle only when it is, and stops
every thread when the block ends."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx

from logisync.core.delivery.connector import DeliveryItem, ItemResult
from logisync.core.keys import SUBMIT, new_key
from logisync.core.ports import AuditEntry
from logisync.core.rules import Flow, Rules
from logisync.store.sqlite import SqliteStore
from logisync.testing.hub_runner import running_hub

RULES = Rules(flows=(Flow("products to the shop", ("product.*",), "shop", "state"),))


class FlakyShop:
    """Refuses each entity's first delivery (transient), then keeps what it is sent."""

    max_batch = 10

    def __init__(self) -> None:
        self.received: dict[str, dict[str, object]] = {}
        self.refused: set[str] = set()

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        results = []
        for item in items:
            key = item.delivery.entity_key
            if key not in self.refused:
                self.refused.add(key)
                results.append(ItemResult("transient", error="busy", retry_after_seconds=0.1))
            else:
                self.received[key] = item.payload["state"]
                results.append(ItemResult("delivered"))
        return results


def _product(n: int) -> dict[str, object]:
    return {
        "specversion": "1.0",
        "id": f"p-{n}",
        "source": "odoo",
        "type": "product.changed",
        "subject": f"product:SKU-{n}",
        "time": "2026-03-01T10:00:00Z",
        "data": {"sku": f"SKU-{n}", "name": f"Product {n}"},
    }


def test_posted_events_are_processed_retried_and_delivered_by_the_hubs_own_threads(
    tmp_path: Path,
) -> None:
    shop = FlakyShop()
    polls: list[int] = []
    before = threading.active_count()
    with running_hub(tmp_path / "hub.db", RULES) as hub:
        token, key = new_key(system="odoo", scopes=frozenset({SUBMIT}), now=datetime.now(UTC))
        audit = AuditEntry("2026-03-01T00:00:00Z", "test", "key.create", key.key_id, "", None)
        hub.store.save_api_keys([key], audit)
        headers = {
            "authorization": f"Bearer {token}",
            "content-type": "application/cloudevents+json",
        }
        for n in range(5):
            answer = httpx.post(f"{hub.url}/v1/events", json=_product(n), headers=headers)
            assert answer.status_code == 202, answer.text
        assert not hub.idle()  # nothing is processed before the workers start
        hub.start_workers({"shop": shop}, [lambda store: polls.append(1)], poll_seconds=0.05)
        assert hub.wait_idle(timeout=30)
        assert sorted(shop.received) == [f"product:SKU-{n}" for n in range(5)]
        assert shop.received["product:SKU-3"]["name"] == "Product 3"
        assert len(polls) >= 1 and hub.errors == []
    assert threading.active_count() == before  # the server's and the parts' threads ended
    store = SqliteStore(tmp_path / "hub.db")
    assert store.counts().deliveries_pending == 0
    store.close()
