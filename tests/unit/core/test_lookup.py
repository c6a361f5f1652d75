"""Any number an operator has in hand finds the transaction: order number, tracking number as
printed, a warehouse id, a correlation id, an entity key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from logisync.api.disclosure import Disclosure
from logisync.api.trace import build_entity_trace, build_trace
from logisync.core.journal import Journal
from logisync.core.lookup import find
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Priority, Rules
from logisync.store.sqlite import SqliteStore
from logisync.testing.samples import sample_payload

ORDER = "SO-2024-0042"
TRACKING = "1Z999AA10123456784"


def _event(type_: str, event_id: str, source: str, subject: str, data: dict) -> dict:  # type: ignore[type-arg]
    return {
        "type": type_,
        "id": event_id,
        "source": source,
        "subject": subject,
        "time": "2026-11-23T10:00:00Z",
        "correlationid": f"order-{ORDER}",
        "data": data,
    }


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "hub.db")
    order = {**sample_payload("sales_order.placed"), "external_ids": {"shop": "100042"}}
    shipment = {
        **sample_payload("shipment.created"),
        "carrier": "UPS",
        "tracking_number": "1Z 999 AA1 01 2345 6784",
        "external_ids": {"wms": "W-77"},
    }
    results = Journal(store).submit(
        [
            _event("sales_order.placed", "1", "shop", f"sales_order:{ORDER}", order),
            _event("shipment.created", "2", "wms", "shipment:WH-OUT-00042", shipment),
        ]
    )
    assert all(result.error is None for result in results)
    rules = Rules(flows=(Flow("ship", ("shipment.created",), "odoo", "state", Priority.NORMAL),))
    Processor(store, rules, name="t").run_until_idle()
    return store


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        (ORDER, f"sales_order:{ORDER}"),
        (f"sales_order:{ORDER}", f"sales_order:{ORDER}"),
        ("100042", f"sales_order:{ORDER}"),
        (TRACKING, "shipment:WH-OUT-00042"),
        ("1z999aa1 0123456784", "shipment:WH-OUT-00042"),
        ("W-77", "shipment:WH-OUT-00042"),
        ("  WH-OUT-00042 ", "shipment:WH-OUT-00042"),
    ],
)
def test_any_number_finds_its_entity_and_transaction(
    store: SqliteStore, text: str, entity: str
) -> None:
    found = find(store, text)
    assert found.entity_keys == (entity,)
    assert found.correlation_ids == (f"order-{ORDER}",)


def test_a_correlation_id_finds_every_entity_of_the_transaction(store: SqliteStore) -> None:
    found = find(store, f"order-{ORDER}")
    assert set(found.entity_keys) == {f"sales_order:{ORDER}", "shipment:WH-OUT-00042"}
    assert found.correlation_ids == (f"order-{ORDER}",)


@pytest.mark.parametrize("text", ["", "   ", "nothing-like-this", "sales_order:NOPE"])
def test_unknown_text_finds_nothing(store: SqliteStore, text: str) -> None:
    assert find(store, text).empty


def test_traces_of_a_transaction_and_of_an_entity(store: SqliteStore) -> None:
    everyone = Disclosure(reveal=True)
    trace = build_trace(store, f"order-{ORDER}", everyone)
    assert trace is not None and (trace.events, trace.deliveries) == (2, 1)
    kinds = [entry.kind for entry in trace.entries]
    assert kinds.count("event.received") == 2 and "delivery.created" in kinds
    shipment = build_entity_trace(store, "shipment:WH-OUT-00042", everyone)
    assert shipment is not None and (shipment.events, shipment.deliveries) == (1, 1)
    assert build_trace(store, "nope", everyone) is None
    assert build_entity_trace(store, "shipment:NOPE", everyone) is None


def uncorrelated(*args: Any) -> dict[str, Any]:
    event = _event(*args)
    del event["correlationid"]
    return event


def test_an_orders_trace_shows_its_shipments_though_nobody_sent_a_correlation_id(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    order = sample_payload("sales_order.placed")
    shipment = sample_payload("shipment.created")
    other = {**sample_payload("shipment.created"), "number": "WH-OUT-9", "order_number": "SO-9"}
    Journal(store).submit(
        [
            uncorrelated("sales_order.placed", "1", "shop", f"sales_order:{ORDER}", order),
            uncorrelated("shipment.created", "2", "wms", "shipment:WH-OUT-00042", shipment),
            uncorrelated("shipment.created", "3", "wms", "shipment:WH-OUT-9", other),
        ]
    )
    for submitted in ("1", "2", "3"):  # no correlation ids at all
        record = store.get_event(submitted, "shop" if submitted == "1" else "wms")
        assert record is not None and record.correlationid is None
    Processor(store, Rules(), name="t").run_until_idle()
    trace = build_entity_trace(store, f"sales_order:{ORDER}", Disclosure(reveal=True))
    assert trace is not None and trace.events == 2
    subjects = {e.subject for e in trace.entries if e.kind == "event.received"}
    assert subjects == {f"sales_order:{ORDER}", "shipment:WH-OUT-00042"}
