"""Apply one fact to an entity's projection: ordering, governance, lifecycle, ledgers.

``apply_event`` is pure (no I/O): it takes the projection, a journaled event and the rules,
mutates the projection and returns a ``Decision`` saying what changed, what was stale
(superseded) and what was refused (conflicts, proposals). The processor persists the result
together with the event's processed marker.

Per field, what the projection holds is independent of the order facts arrived in:

- a plain field holds the newest write that governance allows (``core.stamps`` orders them);
  an owner's write replaces a value a non-owner only filled in, whatever their times;
- the lifecycle field (status) never moves back; only an owner's correction may lower it
  (``core.status_rule``);
- a ledger field (stock on hand) is the newest report plus the adjustments after it, each
  counted once (``core.ledger_rule``);
- a data steward's acceptance sets what it names as the owner would, but only while the
  field still holds the value the steward saw being replaced (``apply_acceptance``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from logisync.core.governance import Verdict, agrees, judge
from logisync.core.ledger_rule import apply_delta, apply_report
from logisync.core.ports import JournalRecord, Outcome, Projection
from logisync.core.rules import FieldRule, Rules
from logisync.core.stamps import Stamp
from logisync.core.status_rule import apply_status, refresh_status
from logisync.model.catalogue import EVENT_TYPES, EventType
from logisync.model.lifecycle import LIFECYCLES, Lifecycle
from logisync.model.stewardship import STEWARD


@dataclass(frozen=True, slots=True)
class FieldConflict:
    field: str
    kind: str  # "conflict" or "proposal"
    policy: str
    proposed: Any
    current: Any
    current_source: str | None
    proposed_by: str | None = None  # who proposed it, when not the event's source


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
    if fact.steward_decision:
        return apply_acceptance(projection, record, rules, fact)
    stamp = Stamp(record.source, record.version_key, record.time, record.event_id)
    decision = Decision()
    identity = fact.identity
    lifecycle = LIFECYCLES.get(fact.domain)
    ledger_fields = (fact.delta_field, fact.snapshot_field)
    writers: dict[str, dict[str, Any]] = {}  # provenance entries, shared by the fields set
    for name, value in fact.effect(record.data).items():
        if name in identity:
            if name not in projection.state:
                projection.state[name] = value
            continue
        provenance = projection.provenance.get(name)
        rule = rules.ownership.rule(fact.domain, name)
        verdict = judge(rule, record.source, provenance)
        if verdict is Verdict.FILL and (name in ledger_fields or fact.correction):
            verdict = Verdict.CONFLICT  # stock moves, and statuses go back, only by the owner
        if verdict in (Verdict.CONFLICT, Verdict.PROPOSAL):
            _refuse(projection, decision, name, value, verdict, rule, fact)
            continue
        kind = verdict.value
        writer = writers.get(kind)
        if writer is None:
            writer = writers[kind] = {**stamp.as_json(), "kind": kind}
        before = (projection.state.get(name), provenance, name in projection.state)
        if name == fact.delta_field:
            adjustment = str(record.data.get("adjustment_id", record.event_id))
            reason = apply_delta(projection, name, value, adjustment, stamp)
        elif name == fact.snapshot_field:
            reason = apply_report(projection, name, value, stamp)
        elif lifecycle is not None and name == lifecycle.field:
            reason = apply_status(projection, lifecycle, value, stamp, writer, fact.correction)
        else:
            reason = _apply_plain(projection, name, value, stamp, writer)
        _note(projection, decision, name, before, reason, fact.correction)
    if lifecycle is not None and lifecycle.parts_field in decision.applied:
        _refresh_parts(projection, decision, lifecycle)
    if decision.applied:
        projection.version += 1
    return decision


def _refresh_parts(projection: Projection, decision: Decision, lifecycle: Lifecycle) -> None:
    """The parts changed (packages with tracking numbers): the status derived from them may."""
    name = lifecycle.field
    before = projection.state.get(name)
    refresh_status(projection, lifecycle)
    if projection.state.get(name) != before:
        decision.applied[name] = projection.state[name]


def _note(
    projection: Projection,
    decision: Decision,
    name: str,
    before: tuple[Any, Any, bool],
    reason: str | None,
    correction: bool,
) -> None:
    value, _provenance, present = before
    if reason is not None:
        decision.superseded[name] = reason
    decision.touched = True  # the rules may have kept the fact for later, even if it lost
    if name in projection.state and (not present or projection.state[name] != value):
        decision.applied[name] = projection.state[name]
        decision.corrected = decision.corrected or (correction and reason is None)


def _apply_plain(
    projection: Projection, name: str, value: Any, stamp: Stamp, writer: dict[str, Any]
) -> str | None:
    provenance = projection.provenance.get(name)
    owner_over_fill = (
        writer["kind"] == "owner" and provenance is not None and provenance.get("kind") == "fill"
    )
    if provenance is not None and not owner_over_fill and not stamp.newer_than_json(provenance):
        return f"older than the current value from {_describe(provenance)}"
    projection.provenance[name] = writer
    projection.state[name] = value
    return None


def _describe(provenance: dict[str, Any]) -> str:
    return f"{provenance['system']} (event {provenance['event']} at {provenance['time']})"


def _refuse(
    projection: Projection,
    decision: Decision,
    name: str,
    value: Any,
    verdict: Verdict,
    rule: FieldRule | None,
    fact: EventType,
) -> None:
    current = projection.state.get(name)
    is_delta = name == fact.delta_field
    if not is_delta and name in projection.state and agrees(current, value):
        return  # the non-owner agrees with the current value: nothing to refuse
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


def apply_acceptance(
    projection: Projection, record: JournalRecord, rules: Rules, fact: EventType
) -> Decision:
    """A data steward's acceptance (``model.stewardship``): each field is set as its owner
    would set it, whatever the stamps, but only while it still holds the value the steward
    saw being replaced. A field changed since is refused and recorded as a new conflict, so
    the steward decides again knowing the newer value; a field that already holds the
    accepted value is left alone. The status goes through its own rule (it never moves back).
    """
    decision = Decision()
    data = record.data
    if record.source != STEWARD:  # the intake refuses these; a stray one changes nothing
        refused = "only the hub's data steward accepts values"
        decision.superseded = dict.fromkeys(data.get("values", {}), refused)
        return decision
    stamp = Stamp(STEWARD, record.version_key, record.time, record.event_id)
    writer = {
        **stamp.as_json(),
        "kind": "owner",
        "proposed_by": data["proposed_by"],
        "decided_by": data["decided_by"],
        "conflict": data["conflict"],
    }
    lifecycle = LIFECYCLES.get(fact.domain)
    for name, value in data["values"].items():
        current, provenance = projection.state.get(name), projection.provenance.get(name)
        if name in projection.state and agrees(current, value):
            continue
        if not agrees(current, data["replaces"].get(name)):
            rule = rules.ownership.rule(fact.domain, name)
            _stale(decision, name, value, current, provenance, rule, data["proposed_by"])
            continue
        before = (current, provenance, name in projection.state)
        if lifecycle is not None and name == lifecycle.field:
            reason = apply_status(projection, lifecycle, value, stamp, writer, False)
        else:
            projection.state[name], projection.provenance[name], reason = value, writer, None
        _note(projection, decision, name, before, reason, False)
    if lifecycle is not None and lifecycle.parts_field in decision.applied:
        _refresh_parts(projection, decision, lifecycle)
    if decision.applied:
        projection.version += 1
    return decision


def _stale(
    decision: Decision,
    name: str,
    value: Any,
    current: Any,
    provenance: dict[str, Any] | None,
    rule: FieldRule | None,
    proposed_by: str,
) -> None:
    who = _describe(provenance) if provenance else "another fact"
    decision.superseded[name] = (
        f"{name} was changed by {who} after the value was proposed; "
        "recorded again for the steward, against the newer value"
    )
    policy = rule.policy if rule else "open"
    decision.conflicts.append(
        FieldConflict(
            field=name,
            kind="proposal" if policy == "propose" else "conflict",
            policy=policy,
            proposed=value,
            current=current,
            current_source=provenance["system"] if provenance else None,
            proposed_by=proposed_by,
        )
    )
