"""The lifecycle (status) field: never moves back, except by an owner's correction.

The status is *computed* from the status facts seen so far, not patched by the latest one, so
that it is the same whatever order the facts arrived in:

1. if any fact came from an owner, facts that only filled an empty field are ignored;
2. the newest correction, if any, is the base, and facts older than it are ignored;
3. of the base and the facts newer than it, the one with the highest (rank, stamp) wins.

Facts older than the newest correction can never matter again and are forgotten; the others
are kept in the projection's ``meta`` (a status sees tens of facts in its life, not thousands).
"""

from __future__ import annotations

from typing import Any

from logisync.core.ports import Projection
from logisync.core.stamps import Stamp
from logisync.model.lifecycle import Lifecycle


def _key(fact: dict[str, Any]) -> Stamp:
    return Stamp.from_json(fact["stamp"])


def _winner(facts: list[dict[str, Any]], lifecycle: Lifecycle) -> tuple[dict[str, Any], Any]:
    """The winning fact and the newest correction among ``facts`` (see module docstring)."""
    if any(f["kind"] == "owner" for f in facts):
        facts = [f for f in facts if f["kind"] == "owner"]
    corrections = [f for f in facts if f["correction"]]
    base = None
    for fact in corrections:
        if base is None or _key(fact).newer_than(_key(base)):
            base = fact
    candidates = (
        facts
        if base is None
        else [base] + [f for f in facts if not f["correction"] and _key(f).newer_than(_key(base))]
    )
    best = candidates[0]
    for fact in candidates[1:]:
        rank, best_rank = lifecycle.rank(fact["value"]), lifecycle.rank(best["value"])
        if rank > best_rank or (rank == best_rank and _key(fact).newer_than(_key(best))):
            best = fact
    return best, base


def apply_status(
    projection: Projection,
    lifecycle: Lifecycle,
    value: Any,
    stamp: Stamp,
    writer: dict[str, Any],
    correction: bool,
) -> str | None:
    """Record a status fact and recompute the status; say why the fact is not the current
    status, or ``None`` when it is."""
    name = lifecycle.field
    kept: dict[str, list[dict[str, Any]]] = projection.meta.setdefault("status_facts", {})
    facts = kept.setdefault(name, [])
    corrected = False  # whether a kept fact is a correction
    for f in facts:  # a plain loop: this runs for every status fact
        if f["stamp"]["event"] == stamp.event and f["stamp"]["system"] == stamp.system:
            return "this fact was already counted"
        corrected = corrected or f["correction"]
    fact = {
        "stamp": stamp.as_json(),
        "value": value,
        "kind": writer["kind"],
        "correction": correction,
    }
    current = projection.provenance.get(name)
    if (
        current is not None
        and not correction
        and writer["kind"] == current["kind"] == "owner"
        and not corrected
    ):  # the common case: owners only, no correction
        rank = lifecycle.rank(value)
        kept[name] = _with_undominated(facts, fact, rank, stamp, lifecycle)
        return _race(projection, lifecycle, fact, rank, stamp, current)
    facts.append(fact)
    best, base = _winner(facts, lifecycle)
    kept[name] = _undominated(_still_relevant(facts, base), lifecycle)
    changed = (
        current is None
        or current["event"] != best["stamp"]["event"]
        or current["system"] != best["stamp"]["system"]  # ids are unique per source only
    )
    if changed:
        projection.provenance[name] = {**best["stamp"], "kind": best["kind"]}
        projection.state[name] = best["value"]
    if best is fact or (base is fact and changed):  # it won, or it reopened the status
        return None
    return _why_not(fact, best, base, lifecycle)


def _race(
    projection: Projection,
    lifecycle: Lifecycle,
    fact: dict[str, Any],
    rank: int,
    stamp: Stamp,
    current: dict[str, Any],
) -> str | None:
    """With no correction and owners only, the winner is a running maximum by (rank, stamp)."""
    name = lifecycle.field
    value, winner = fact["value"], projection.state[name]
    winner_rank = lifecycle.rank(winner)
    if rank > winner_rank or (rank == winner_rank and stamp.newer_than_json(current)):
        projection.provenance[name] = {**fact["stamp"], "kind": "owner"}
        projection.state[name] = value
        return None
    if rank < winner_rank:
        return f"would move {name} back from {lifecycle.code(winner)} to {lifecycle.code(value)}"
    return f"older than the current status from {current['system']} (event {current['event']})"


def _still_relevant(facts: list[dict[str, Any]], base: Any) -> list[dict[str, Any]]:
    """Facts that can still win: fills lose for good once an owner spoke, and anything older
    than the newest correction is out of the race."""
    if any(f["kind"] == "owner" for f in facts):
        facts = [f for f in facts if f["kind"] == "owner"]
    if base is not None:
        facts = [f for f in facts if f is base or not _key(base).newer_than(_key(f))]
    return facts


def _with_undominated(
    facts: list[dict[str, Any]],
    fact: dict[str, Any],
    rank: int,
    stamp: Stamp,
    lifecycle: Lifecycle,
) -> list[dict[str, Any]]:
    """``_undominated`` for one new owner fact (of ``rank``) added to facts that are already
    undominated."""
    survivors = []
    for other in facts:
        other_rank, newer = lifecycle.rank(other["value"]), stamp.newer_than_json(other["stamp"])
        if other_rank >= rank and not newer:
            return facts  # an existing fact is newer and at least as high: the new one never wins
        if other_rank > rank or not newer:
            survivors.append(other)
    survivors.append(fact)
    return survivors


def _undominated(facts: list[dict[str, Any]], lifecycle: Lifecycle) -> list[dict[str, Any]]:
    """Drop facts that can never win again, so the list stays short.

    A fact is dominated by a newer fact of the same kind with at least its rank: whatever
    correction may come, if the older one would be in the race so would the newer, and the
    newer wins. Corrections are kept (they are bases, not candidates).
    """
    kept = []
    for fact in facts:
        if fact["correction"] or not any(
            other is not fact
            and not other["correction"]
            and other["kind"] == fact["kind"]
            and lifecycle.rank(other["value"]) >= lifecycle.rank(fact["value"])
            and _key(other).newer_than(_key(fact))
            for other in facts
        ):
            kept.append(fact)
    return kept


def _why_not(fact: dict[str, Any], best: dict[str, Any], base: Any, lifecycle: Lifecycle) -> str:
    source = f"{best['stamp']['system']} (event {best['stamp']['event']})"
    if fact is base:
        return f"a newer status from {source} outranks the correction"
    if fact["kind"] == "fill" and best["kind"] == "owner":
        return f"the owner {source} has set the status"
    if base is not None and not _key(fact).newer_than(_key(base)):
        return f"older than the correction from {base['stamp']['system']}"
    if lifecycle.rank(fact["value"]) < lifecycle.rank(best["value"]):
        return (
            f"would move {lifecycle.field} back from {lifecycle.code(best['value'])} "
            f"to {lifecycle.code(fact['value'])}"
        )
    return f"older than the current status from {source}"
