"""The EDIFACT target writes one interchange per delivery into the outbox, atomically and
once per idempotency key; check-config names wrong settings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from logisync.config import SystemConfig
from logisync.connectors.edi import MemoryControlLedger
from logisync.connectors.edifact import MemoryReferenceCounter, receive_edifact
from logisync.connectors.edifact.target import EdifactTarget
from logisync.connectors.registry import settings_issues, target_connector
from logisync.core.delivery.connector import DeliveryItem
from logisync.core.records import DeliveryRecord
from logisync.model.values import AwareDatetime

from .conftest import THEM, US, mirrored, partner


def _item(key: str, payload: dict[str, Any], mode: str = "event") -> DeliveryItem:
    record = DeliveryRecord(1, "retailer", "flow", mode, 0, "x:y", 1, 1, "e", "due", 0, "", "", 0)
    return DeliveryItem(record, key, payload)


MILESTONE = {
    "type": "shipment.milestone_recorded",
    "subject": "shipment:S-1",
    "data": {"milestone": "delivered", "occurred_at": "2026-01-17T10:15:00Z"},
}
INVOICE_STATE = {
    "entity": "invoice:I-1",
    "version": 3,
    "state": {
        "number": "I-1",
        "lines": [
            {
                "description": "Pen",
                "quantity": {"value": "2", "unit": "H87"},
                "unit_price": {"amount": "1.5", "currency": "EUR"},
            }
        ],
        "total": {"amount": "3", "currency": "EUR"},
    },
}


def test_deliveries_become_interchanges_in_the_outbox(tmp_path: Path) -> None:
    target = EdifactTarget(
        partner(outbox=str(tmp_path)),
        MemoryReferenceCounter(),
        clock=lambda: datetime(2026, 1, 20, tzinfo=UTC),
    )
    results = target.deliver(
        [
            _item("k1", MILESTONE),
            _item("k2", INVOICE_STATE, "state"),
            _item("k3", {"type": "product.changed", "data": {}}),
        ]
    )
    assert [r.kind for r in results] == ["delivered", "delivered", "permanent"]
    assert "not 'product'" in (results[2].error or "")
    files = sorted(tmp_path.iterdir())
    assert [f.name.split("_")[0] for f in files] == ["IFTSTA", "INVOIC"]
    # the partner reads them back as the facts we sent
    for file in files:
        receipt = receive_edifact(file.read_bytes(), mirrored(), MemoryControlLedger())
        assert receipt.problems == [] and len(receipt.events) == 1
    again = target.deliver([_item("k1", MILESTONE)])
    assert again[0].kind == "delivered" and len(list(tmp_path.iterdir())) == 2


def test_a_stored_time_with_no_date_in_the_partners_zone_is_a_permanent_failure_saying_why(
    tmp_path: Path,
) -> None:
    """9999-12-31T23:30Z is a valid canonical time; in Berlin it is in year 10000. It was
    refused as "OverflowError('date value out of range')"."""
    assert TypeAdapter(AwareDatetime).validate_python("9999-12-31T23:30:00Z")
    target = EdifactTarget(
        partner(outbox=str(tmp_path), timezone="Europe/Berlin"),
        MemoryReferenceCounter(),
        clock=lambda: datetime(2026, 1, 20, tzinfo=UTC),
    )
    edge = {**MILESTONE, "data": {**MILESTONE["data"], "occurred_at": "9999-12-31T23:30:00Z"}}
    [result] = target.deliver([_item("k1", edge)])
    assert result.kind == "permanent"
    assert result.error == (
        "time 9999-12-31T23:30:00+00:00 falls outside the years 1 to 9999 in Europe/Berlin"
    )
    assert list(tmp_path.iterdir()) == []


def test_registry_and_check_config(tmp_path: Path) -> None:
    good = SystemConfig.model_validate(
        {"kind": "edifact", "sender_id": US, "receiver_id": THEM, "outbox": str(tmp_path)}
    )
    assert settings_issues("retailer", good) == []
    assert isinstance(target_connector(good, "retailer"), EdifactTarget)
    bad = SystemConfig.model_validate(
        {"kind": "edifact", "sender_id": US, "directory": "96A", "timezone": "Mars/Olympus"}
    )
    issues = dict(settings_issues("retailer", bad))
    assert issues[("systems", "retailer", "receiver_id")].startswith("missing")
    assert ("systems", "retailer", "directory") in issues
    assert "IANA" in issues[("systems", "retailer", "timezone")]
