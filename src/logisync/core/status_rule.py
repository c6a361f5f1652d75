"""The lifecycle (status) field: never moves back, except by an owner's correction.

The status is *computed* from the status facts seen so far, not patched by the latest one, so
that it is the same whatever order the facts arrived in:

1. if any fact came from an owner, facts that only filled an empty field are ignored;
2. the newest correction, if any, is the base, and facts older than it are ignored;
3. of the base and the facts newer than it, the one with the highest (rank, stamp) wins.

An entity made of parts (a shipment of several packages) has a winner per part, by the same
rules, and shows its least advanced part's (``_winner_over_parts``).

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
    base = _newest_correction(facts)
    return _best(_after(facts, base), lifecycle), base


def _newest_correction(facts: list[dict[str, Any]]) -> Any:
    base = None
    for fact in facts:
        if fact["correction"] and (base is None or _key(fact).newer_than(_key(base))):
            base = fact
    return base


def _after(facts: list[dict[str, Any]], base: Any) -> list[dict[str, Any]]:
    """The correction ``base`` and the plain facts newer than it (all facts without one)."""
    if base is None:
        return facts
    return [base] + [f for f in facts if not f["correction"] and _key(f).newer_than(_key(base))]


def _best(candidates: list[dict[str, Any]], lifecycle: Lifecycle) -> dict[str, Any]:
    """The highest rank; the newest among equals."""
    best = candidates[0]
    for fact in candidates[1:]:
        rank, best_rank = lifecycle.rank(fact["value"]), lifecycle.rank(best["value"])
        if rank > best_rank or (rank == best_rank and _key(fact).newer_than(_key(best))):
            best = fact
    return best


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
    parts = lifecycle.parts(projection.state)
    if (
        current is not None
        and not parts
        and not correction
        and writer["kind"] == current["kind"] == "owner"
        and not corrected
    ):  # the common case: one package, owners only, no correction
        rank = lifecycle.rank(value)
        kept[name] = _with_undominated(facts, fact, stamp, lifecycle)
        return _race(projection, lifecycle, fact, rank, stamp, current)
    facts.append(fact)
    return _settle(projection, lifecycle, facts, parts, fact)


def refresh_status(projection: Projection, lifecycle: Lifecycle) -> None:
    """Recompute the status from the kept facts after the entity's parts changed (a
    shipment was packed into several packages after some of their scans arrived)."""
    facts = projection.meta.get("status_facts", {}).get(lifecycle.field)
    if facts:
        _settle(projection, lifecycle, facts, lifecycle.parts(projection.state), None)


def _settle(
    projection: Projection,
    lifecycle: Lifecycle,
    facts: list[dict[str, Any]],
    parts: frozenset[str],
    fact: dict[str, Any] | None,
) -> str | None:
    name = lifecycle.field
    by_part: dict[str, dict[str, Any]] = {}
    bases: dict[str, dict[str, Any]] = {}
    if parts:
        whole = lifecycle.whole(projection.state)
        best, bases, by_part = _winner_over_parts(facts, lifecycle, parts, whole)
        base = None  # corrections cut off per package: none prunes the others' facts
    else:
        best, base = _winner(facts, lifecycle)
    cutoffs = list(bases.values()) if parts else [base] if base is not None else []
    projection.meta["status_facts"][name] = _undominated(
        _still_relevant(facts, cutoffs, lifecycle), lifecycle
    )
    current = projection.provenance.get(name)
    changed = (
        current is None
        or current["event"] != best["stamp"]["event"]
        or current["system"] != best["stamp"]["system"]  # ids are unique per source only
    )
    if changed:
        projection.provenance[name] = {**best["stamp"], "kind": best["kind"]}
        projection.state[name] = best["value"]
    reopened = base is fact or any(b is fact for b in bases.values())
    if fact is None or best is fact or (reopened and changed):
        return None  # it won, or it reopened the status
    part = lifecycle.part_of(fact["value"])
    if part is not None and by_part.get(part) is fact:
        return (
            f"package {part} is {lifecycle.code(fact['value'])}; the shipment follows its "
            f"least advanced package ({_holding_back(best, parts, by_part, lifecycle)})"
        )
    mine = part or ""
    return _why_not(fact, by_part.get(mine, best), bases.get(mine, base), lifecycle)


def _holding_back(
    best: dict[str, Any],
    parts: frozenset[str],
    by_part: dict[str, dict[str, Any]],
    lifecycle: Lifecycle,
) -> str:
    """What keeps the shipment at ``best``: a package with no fact yet, a package's status,
    or a fact about the whole shipment."""
    code = lifecycle.code(best["value"])
    unseen = sorted(parts - by_part.keys())
    if unseen:
        return f"{', '.join(unseen)} not seen yet; {code} stands"
    part = lifecycle.part_of(best["value"])
    if part in parts:
        return f"{part} is {code}"
    return f"the whole shipment is {code}"


def _winner_over_parts(
    facts: list[dict[str, Any]],
    lifecycle: Lifecycle,
    parts: frozenset[str],
    whole: str | None,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The status of an entity made of parts, with each part's newest correction and winner.

    A part counts the facts naming it and those about the whole entity (naming no part, or
    the whole's own name); a fact naming a number that is neither (a package repacked away)
    counts for none. Each part's winner follows ``_winner``'s rules, its correction cutting
    off only that part's older facts; the entity shows the least advanced part. A part with
    no fact yet keeps the entity from a terminal status: then the most advanced open fact
    stands (a shipment is not delivered while a package was never seen). When no fact is
    about a current part, the facts decide as for an entity of one part.
    """
    if any(f["kind"] == "owner" for f in facts):
        facts = [f for f in facts if f["kind"] == "owner"]
    winners: dict[str, dict[str, Any]] = {}
    bases: dict[str, dict[str, Any]] = {}
    counted: list[dict[str, Any]] = []
    for part in parts:
        mine = [
            f
            for f in facts
            if (named := lifecycle.part_of(f["value"])) == part
            or named is None
            or (named == whole and named not in parts)
        ]
        if not mine:
            continue
        base = _newest_correction(mine)
        if base is not None:
            bases[part] = base
        candidates = _after(mine, base)
        counted.extend(candidates)
        winners[part] = _best(candidates, lifecycle)
    terminal = lifecycle.terminal_rank
    if not winners:  # nothing is about a current package: as if it were one package
        best, base = _winner(facts, lifecycle)
        return best, {} if base is None else {"": base}, winners
    least = None
    for winner in winners.values():  # lowest rank; the newest among equals
        if least is None:
            least = winner
            continue
        rank, least_rank = lifecycle.rank(winner["value"]), lifecycle.rank(least["value"])
        if rank < least_rank or (rank == least_rank and _key(winner).newer_than(_key(least))):
            least = winner
    assert least is not None
    if len(winners) < len(parts) and lifecycle.rank(least["value"]) == terminal:
        open_facts = [f for f in counted if lifecycle.rank(f["value"]) < terminal]
        if open_facts:
            least = _best(open_facts, lifecycle)
    return least, bases, winners


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


def _still_relevant(
    facts: list[dict[str, Any]], bases: list[dict[str, Any]], lifecycle: Lifecycle
) -> list[dict[str, Any]]:
    """Facts that can still win: fills lose for good once an owner spoke, and a correction
    puts out of the race the facts older than it about its own package (all of them when it
    names none). A fact about another package may still count once the shipment is known
    to be split, so it is kept."""
    if any(f["kind"] == "owner" for f in facts):
        facts = [f for f in facts if f["kind"] == "owner"]
    for base in bases:
        part = lifecycle.part_of(base["value"])
        facts = [
            f
            for f in facts
            if f is base
            or (part is not None and lifecycle.part_of(f["value"]) != part)
            or not _key(base).newer_than(_key(f))
        ]
    return facts


def _with_undominated(
    facts: list[dict[str, Any]], fact: dict[str, Any], stamp: Stamp, lifecycle: Lifecycle
) -> list[dict[str, Any]]:
    """``_undominated`` for one new owner fact (stamped ``stamp``) added to facts that are
    already undominated: ``_dominates`` written out, with the new fact's rank and part worked
    out once and stamps compared without parsing (this runs for every status fact)."""
    rank, part, kind = lifecycle.rank(fact["value"]), lifecycle.part_of(fact["value"]), fact["kind"]
    terminal = lifecycle.terminal_rank
    survivors = []
    for other in facts:
        if (
            other["correction"]
            or other["kind"] != kind
            or lifecycle.part_of(other["value"]) != part
        ):
            survivors.append(other)
            continue
        other_rank = lifecycle.rank(other["value"])
        if not stamp.newer_than_json(other["stamp"]):  # other is newer (repeats never get here)
            if other_rank >= rank and not (other_rank == terminal and rank < terminal):
                return facts  # an existing fact is newer and at least as high: never wins
            survivors.append(other)
        elif other_rank > rank or (rank == terminal and other_rank < terminal):
            survivors.append(other)
    survivors.append(fact)
    return survivors


def _undominated(facts: list[dict[str, Any]], lifecycle: Lifecycle) -> list[dict[str, Any]]:
    """Drop facts that can never win again, so the list stays short.

    A fact is dominated by a newer fact of the same kind about the same part with at least
    its rank: whatever correction may come, if the older one would be in the race so would the
    newer, and the newer wins. Corrections are kept (they are bases, not candidates).
    """
    return [f for f in facts if not any(_dominates(other, f, lifecycle) for other in facts)]


def _dominates(other: dict[str, Any], fact: dict[str, Any], lifecycle: Lifecycle) -> bool:
    """Whether ``other`` makes ``fact`` unable to win, now and later.

    A terminal status never dominates an open one: when a shipment is split into packages
    later, the open status is what the shipment shows until every package is done.
    """
    if other is fact or other["correction"] or fact["correction"]:
        return False
    if other["kind"] != fact["kind"]:
        return False
    if lifecycle.part_of(other["value"]) != lifecycle.part_of(fact["value"]):
        return False
    rank, other_rank = lifecycle.rank(fact["value"]), lifecycle.rank(other["value"])
    if other_rank < rank or (other_rank == lifecycle.terminal_rank and rank < other_rank):
        return False
    return _key(other).newer_than(_key(fact))


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
