"""Who may write a field, and how one entity's changes become deliveries."""

from __future__ import annotations

import pytest

from logisync.core.governance import Verdict, judge
from logisync.core.ports import JournalRecord, Projection
from logisync.core.routing import Routing
from logisync.core.rules import FieldRule, Flow, Priority, Rules
from logisync.core.sequencing import Decision

ODOO_ONLY = FieldRule(frozenset({"odoo"}))
FILL = FieldRule(frozenset({"odoo"}), "fill_if_empty")
PROPOSE = FieldRule(frozenset({"odoo"}), "propose")
BY_OWNER = {"system": "odoo", "kind": "owner"}
BY_FILL = {"system": "shop", "kind": "fill"}


@pytest.mark.parametrize(
    ("rule", "writer", "provenance", "verdict"),
    [
        (None, "anyone", None, Verdict.OWNER),
        (ODOO_ONLY, "odoo", BY_OWNER, Verdict.OWNER),
        (ODOO_ONLY, "shop", None, Verdict.CONFLICT),
        (FILL, "shop", None, Verdict.FILL),
        (FILL, "shop", BY_FILL, Verdict.FILL),
        (FILL, "shop", BY_OWNER, Verdict.CONFLICT),
        (PROPOSE, "shop", None, Verdict.PROPOSAL),
        (PROPOSE, "odoo", None, Verdict.OWNER),
    ],
)
def test_judge(
    rule: FieldRule | None, writer: str, provenance: dict | None, verdict: Verdict
) -> None:  # type: ignore[type-arg]
    assert judge(rule, writer, provenance) is verdict


def record(seq: int, source: str = "ups") -> JournalRecord:
    return JournalRecord(
        seq,
        f"e{seq}",
        source,
        "shipment.milestone_recorded",
        "shipment:S1",
        "2026-03-01T10:00:00.000000Z",
        None,
        None,
        None,
        None,
        {},
        "t",
    )


def test_state_deliveries_keep_the_latest_version_and_the_most_urgent_priority() -> None:
    rules = Rules(
        flows=(
            Flow("slow", ("shipment.milestone_recorded",), "odoo", "state", Priority.LOW),
            Flow("fast", ("shipment.milestone_recorded",), "odoo", "state", Priority.HIGH),
            Flow("each", ("shipment.milestone_recorded",), "shop", "event", Priority.NORMAL),
        )
    )
    routing = Routing(rules, "now")
    projection = Projection("shipment:S1")
    for seq in (1, 2, 3):
        projection.version = seq
        routing.add(record(seq), Decision(applied={"status": seq}), projection)
    to_odoo = [d for d in routing.deliveries() if d.target == "odoo"]
    to_shop = [d for d in routing.deliveries() if d.target == "shop"]
    assert len(to_odoo) == 1
    assert (to_odoo[0].entity_version, to_odoo[0].priority, to_odoo[0].absorbed) == (3, 0, 5)
    assert [d.event_seq for d in to_shop] == [1, 2, 3]


def test_nothing_is_routed_for_a_fact_that_changed_nothing_or_back_to_its_source() -> None:
    rules = Rules(flows=(Flow("to ups", ("shipment.*",), "ups"), Flow("to odoo", ("*",), "odoo")))
    routing = Routing(rules, "now")
    routing.add(record(1), Decision(), Projection("shipment:S1"))
    routing.add(record(2), Decision(applied={"status": 1}), Projection("shipment:S1"))
    assert [d.target for d in routing.deliveries()] == ["odoo"]
