"""Stock on hand: a ledger of absolute reports and deltas, each adjustment counted once.

Like the status, the quantity is *computed* from the facts kept, so arrival order does not
matter: on hand = the newest report + every adjustment whose first copy is newer than that
report. Adjustments older than the report are already in it; their ids are remembered
(the last ``ABSORBED_IDS_KEPT``) so that the same adjustment re-posted later is not counted
again. Quantities in another unit than the report's are kept out of the sum and said so.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from logisync.core.ports import Projection
from logisync.core.stamps import Stamp

ABSORBED_IDS_KEPT = 1000
DEFAULT_UNIT = "H87"  # payloads leave the default unit out


def _ledger(projection: Projection, name: str) -> dict[str, Any]:
    ledgers: dict[str, Any] = projection.meta.setdefault("ledgers", {})
    ledger: dict[str, Any] = ledgers.setdefault(
        name, {"report": None, "deltas": {}, "absorbed": []}
    )
    return ledger


def _stamp(entry: dict[str, Any]) -> Stamp:
    return Stamp.from_json(entry["stamp"])


def apply_report(
    projection: Projection, name: str, quantity: dict[str, Any], stamp: Stamp
) -> str | None:
    """Take an absolute report; say why it does not count, or ``None`` when it does."""
    ledger = _ledger(projection, name)
    report = ledger["report"]
    if report is not None and not stamp.newer_than_json(report["stamp"]):
        return f"older than the stock report from {report['stamp']['system']}"
    ledger["report"] = {
        "stamp": stamp.as_json(),
        "value": str(quantity["value"]),
        "unit": quantity.get("unit", DEFAULT_UNIT),
    }
    _absorb(ledger)
    _recompute(projection, name, ledger)
    return None


def apply_delta(
    projection: Projection, name: str, delta: dict[str, Any], adjustment: str, stamp: Stamp
) -> str | None:
    """Take an adjustment; say why it does not count, or ``None`` when it does."""
    ledger = _ledger(projection, name)
    try:
        amount = Decimal(str(delta["value"]))
    except (InvalidOperation, KeyError):
        return "adjustment has no numeric delta"
    unit = delta.get("unit", DEFAULT_UNIT)
    if adjustment in ledger["absorbed"]:
        return f"adjustment {adjustment} is already counted in a stock report"
    copy = ledger["deltas"].get(adjustment)  # by id: an SKU may see thousands between reports
    if copy is not None:
        if _stamp(copy).newer_than(stamp):  # count the adjustment from its first copy
            copy["stamp"] = stamp.as_json()
            _absorb(ledger)
            _recompute(projection, name, ledger)
        return f"adjustment {adjustment} was already counted"
    entry = {"id": adjustment, "stamp": stamp.as_json(), "value": str(amount), "unit": unit}
    ledger["deltas"][adjustment] = entry
    report, current = ledger["report"], projection.state.get(name)
    if (
        current is not None
        and current["unit"] == unit
        and (report is None or stamp.newer_than_json(report["stamp"]))
    ):  # the common case: a new adjustment after the report, in the stock's unit
        projection.state[name] = {"value": str(Decimal(current["value"]) + amount), "unit": unit}
        newest = projection.provenance.get(name)
        if newest is None or stamp.newer_than_json(newest):
            projection.provenance[name] = {**entry["stamp"], "kind": "owner"}
        return None
    _absorb(ledger)
    _recompute(projection, name, ledger)
    if adjustment in ledger["absorbed"]:
        return f"already counted in the stock report from {ledger['report']['stamp']['system']}"
    base_unit = projection.state[name]["unit"]
    if unit != base_unit:
        return f"adjustment in {unit} cannot move stock kept in {base_unit}"
    return None


def _absorb(ledger: dict[str, Any]) -> None:
    report = ledger["report"]
    if report is None:
        return
    absorbed = [
        key
        for key, delta in ledger["deltas"].items()
        if not _stamp(delta).newer_than_json(report["stamp"])
    ]
    for key in absorbed:
        del ledger["deltas"][key]
    if absorbed:
        ledger["absorbed"] = (ledger["absorbed"] + absorbed)[-ABSORBED_IDS_KEPT:]


def _recompute(projection: Projection, name: str, ledger: dict[str, Any]) -> None:
    report = ledger["report"]
    deltas = sorted(ledger["deltas"].values(), key=lambda d: _stamp(d).order_key())
    if report is None and not deltas:
        return
    unit = report["unit"] if report else deltas[0]["unit"]
    total = Decimal(report["value"]) if report else Decimal(0)
    newest = report["stamp"] if report else None
    for delta in deltas:
        if delta["unit"] == unit:
            total += Decimal(delta["value"])
            if newest is None or _stamp(delta).newer_than_json(newest):
                newest = delta["stamp"]
    projection.state[name] = {"value": str(total), "unit": unit}
    if newest is not None:
        projection.provenance[name] = {**newest, "kind": "owner"}
