"""Apply one fact to an entity's projection: ordering, lifecycle, governance, ledgers.

``apply_event`` is pure (no I/O): it takes the projection, a journaled event and the rules,
mutates the projection and returns a ``Decision`` saying what changed, what was stale
(superseded) and what was refused (conflicts, proposals). The processor persists the result
together with the event's processed marker.

Per field, the value that wins is the newest (see ``core.stamps``) among the writes governance
allows, except for:

- the lifecycle field (status), which never moves back: a lower rank never replaces a higher
  one; an explicit correction from the owner may, and facts older than the correction are
  superseded from then on;
- ledger fields (stock on hand), moved by deltas and reset by absolute reports: a delta older
  than the latest report is already counted in it, and a delta is counted once per
  adjustment id.

These rules make the final projection independent of arrival order and duplication.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from logisync.core.governance import Verdict, judge
from logisync.core.ports import JournalRecord, Outcome, Projection
from logisync.core.rules import Rules
from logisync.core.stamps import Stamp
from logisync.model.catalogue import EVENT_TYPES, EventType
from logisync.model.lifecycle import LIFECYCLES, Lifecycle


@dataclass(frozen=True, slots=True)
class FieldConflict:
    field: str
    kind: str  # "conflict" or "proposal"
    policy: str
    proposed: Any
    current: Any
    current_source: str | None


@dataclass(slots=True)
class Decision:
    applied: dict[str, Any] = field(default_factory=dict)
    superseded: dict[str, str] = field(default_factory=dict)
    conflicts: list[FieldConflict] = field(default_factory=list)
    corrected: bool = False
    touched: bool = False  # provenance or bookkeeping changed, even if no value did

    @property
    def outcome(self) -> Outcome:
        if self.corrected:
            return "corrected"
        if self.applied:
            return "partly_applied" if (self.superseded or self.conflicts) else "applied"
        if self.conflicts:
            return "conflict"
        if self.superseded:
            return "superseded"
        return "unchanged"

    def detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {}
        if self.applied:
            detail["changed"] = self.applied
        if self.superseded:
            detail["superseded"] = self.superseded
        if self.conflicts:
            detail["refused"] = {c.field: c.kind for c in self.conflicts}
        return detail


def apply_event(projection: Projection, record: JournalRecord, rules: Rules) -> Decision:
    """Apply ``record`` to ``projection`` in place and say what happened."""
    fact = EVENT_TYPES[record.type]
    stamp = Stamp(record.source, record.version_key, record.time, record.event_id)
    decision = Decision()
    identity = fact.entity.identity()
    lifecycle = LIFECYCLES.get(fact.domain)
    for name, value in fact.effect(record.data).items():
        if name in identity:
            if name not in projection.state:
                projection.state[name] = value
            continue
        provenance = projection.provenance.get(name)
        verdict = judge(rules.ownership.rule(fact.domain, name), record.source, provenance)
        if verdict in (Verdict.CONFLICT, Verdict.PROPOSAL):
            _refuse(
                projection, decision, name, value, verdict, rules, fact, name == fact.delta_field
            )
            continue
        writer = {**stamp.as_json(), "kind": verdict.value}
        if name == fact.delta_field:
            _apply_delta(projection, decision, name, value, stamp, writer, record)
        elif name == fact.snapshot_field:
            _apply_snapshot(projection, decision, name, value, stamp, writer)
        elif lifecycle is not None and name == lifecycle.field:
            _apply_status(projection, decision, lifecycle, value, stamp, writer, fact.correction)
        else:
            _apply_plain(projection, decision, name, value, stamp, writer)
    if decision.applied:
        projection.version += 1
    return decision


def _set(projection: Projection, decision: Decision, name: str, value: Any, writer: Any) -> None:
    projection.provenance[name] = writer
    decision.touched = True
    if projection.state.get(name) != value or name not in projection.state:
        projection.state[name] = value
        decision.applied[name] = value


def _describe(provenance: dict[str, Any]) -> str:
    return f"{provenance['system']} (event {provenance['event']} at {provenance['time']})"


def _refuse(
    projection: Projection,
    decision: Decision,
    name: str,
    value: Any,
    verdict: Verdict,
    rules: Rules,
    fact: EventType,
    is_delta: bool,
) -> None:
    current = projection.state.get(name)
    if not is_delta and current == value and name in projection.state:
        return  # the non-owner agrees with the current value: nothing to refuse
    rule = rules.ownership.rule(fact.domain, name)
    provenance = projection.provenance.get(name)
    decision.conflicts.append(
        FieldConflict(
            field=name,
            kind=verdict.value,
            policy=rule.policy if rule else "open",
            proposed=value,
            current=current,
            current_source=provenance["system"] if provenance else None,
        )
    )


def _apply_plain(
    projection: Projection,
    decision: Decision,
    name: str,
    value: Any,
    stamp: Stamp,
    writer: dict[str, Any],
) -> None:
    provenance = projection.provenance.get(name)
    owner_over_fill = (
        writer["kind"] == "owner" and provenance is not None and (provenance.get("kind") == "fill")
    )
    if provenance is not None and not owner_over_fill and not stamp.newer_than_json(provenance):
        decision.superseded[name] = f"older than the current value from {_describe(provenance)}"
        return
    _set(projection, decision, name, value, writer)


def _apply_status(
    projection: Projection,
    decision: Decision,
    lifecycle: Lifecycle,
    value: Any,
    stamp: Stamp,
    writer: dict[str, Any],
    correction: bool,
) -> None:
    name = lifecycle.field
    provenance = projection.provenance.get(name)
    floors: dict[str, Any] = projection.meta.setdefault("floors", {})
    if correction:
        if provenance is not None and not stamp.newer_than_json(provenance):
            decision.superseded[name] = (
                f"correction is older than the current status from {_describe(provenance)}"
            )
            return
        floors[name] = stamp.as_json()
        _set(projection, decision, name, value, writer)
        decision.corrected = True
        return
    floor = floors.get(name)
    if floor is not None and not stamp.newer_than_json(floor):
        decision.superseded[name] = f"older than the correction from {_describe(floor)}"
        return
    if provenance is not None:
        current = projection.state.get(name)
        new_rank, current_rank = lifecycle.rank(value), lifecycle.rank(current)
        if new_rank < current_rank:
            decision.superseded[name] = (
                f"would move {name} back from {lifecycle.code(current)} to {lifecycle.code(value)}"
            )
            return
        if new_rank == current_rank and not stamp.newer_than_json(provenance):
            decision.superseded[name] = (
                f"older than the current status from {_describe(provenance)}"
            )
            return
    _set(projection, decision, name, value, writer)


def _ledger(projection: Projection, name: str) -> dict[str, Any]:
    ledgers: dict[str, Any] = projection.meta.setdefault("ledgers", {})
    ledger: dict[str, Any] = ledgers.setdefault(name, {"snapshot": None, "deltas": []})
    return ledger


def _quantity_sum(base: dict[str, Any], deltas: list[Decimal]) -> dict[str, Any]:
    total = Decimal(str(base["value"])) + sum(deltas, Decimal(0))
    return {"value": str(total), "unit": base.get("unit", "H87")}


def _apply_delta(
    projection: Projection,
    decision: Decision,
    name: str,
    delta: dict[str, Any],
    stamp: Stamp,
    writer: dict[str, Any],
    record: JournalRecord,
) -> None:
    ledger = _ledger(projection, name)
    adjustment = str(record.data.get("adjustment_id", record.event_id))
    counted = next((entry for entry in ledger["deltas"] if entry["id"] == adjustment), None)
    if counted is not None:
        _credit_first_copy(projection, decision, name, counted, stamp, writer)
        decision.superseded[name] = f"adjustment {adjustment} was already counted"
        return
    snapshot = ledger["snapshot"]
    if snapshot is not None and not stamp.newer_than_json(snapshot):
        decision.superseded[name] = (
            f"already counted in the stock report from {_describe(snapshot)}"
        )
        return
    unit = delta.get("unit", "H87")  # the payload leaves the default unit out
    current = projection.state.get(name) or {"value": "0", "unit": unit}
    if current.get("unit") != unit:
        decision.superseded[name] = (
            f"adjustment in {unit} cannot move stock kept in {current.get('unit')}"
        )
        return
    try:
        amount = Decimal(str(delta["value"]))
    except (InvalidOperation, KeyError):
        decision.superseded[name] = "adjustment has no numeric delta"
        return
    ledger["deltas"].append({"id": adjustment, "stamp": stamp.as_json(), "value": str(amount)})
    credit = _newest(projection.provenance.get(name), stamp, writer)
    _set(projection, decision, name, _quantity_sum(current, [amount]), credit)


def _apply_snapshot(
    projection: Projection,
    decision: Decision,
    name: str,
    value: dict[str, Any],
    stamp: Stamp,
    writer: dict[str, Any],
) -> None:
    ledger = _ledger(projection, name)
    snapshot = ledger["snapshot"]
    if snapshot is not None and not stamp.newer_than_json(snapshot):
        decision.superseded[name] = f"older than the stock report from {_describe(snapshot)}"
        return
    later = [e for e in ledger["deltas"] if Stamp.from_json(e["stamp"]).newer_than(stamp)]
    ledger["snapshot"] = stamp.as_json()
    ledger["deltas"] = later
    total = _quantity_sum(value, [Decimal(entry["value"]) for entry in later])
    credit = _newest(projection.provenance.get(name), stamp, writer) if later else writer
    _set(projection, decision, name, total, credit)


def _newest(
    provenance: dict[str, Any] | None, stamp: Stamp, writer: dict[str, Any]
) -> dict[str, Any]:
    """A ledger field's provenance is the newest fact its quantity is made of, whatever the
    order those facts arrived in: the current one if still counted and newer, else ``writer``.
    """
    if provenance is not None and Stamp.from_json(provenance).newer_than(stamp):
        return provenance
    return writer


def _credit_first_copy(
    projection: Projection,
    decision: Decision,
    name: str,
    counted: dict[str, Any],
    stamp: Stamp,
    writer: dict[str, Any],
) -> None:
    """An adjustment posted again under another event id counts from its first copy in stamp
    order, not from the one that happened to arrive first."""
    first = Stamp.from_json(counted["stamp"])
    if not first.newer_than(stamp):
        return
    counted["stamp"] = stamp.as_json()
    provenance = projection.provenance.get(name)
    if provenance is not None and Stamp.from_json(provenance) == first:
        projection.provenance[name] = writer
    decision.touched = True
