"""The rules around the reserved system ``steward``: only the hub's own decisions set values as
it, no sender and no configured system can speak for it, and its acceptances are routed as
the facts that proposed them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from logisync.config import load_config
from logisync.core.journal import journal_record
from logisync.core.keys import SUBMIT, new_key, submit_refusal
from logisync.core.ports import Projection
from logisync.core.routing import Routing, routed_as
from logisync.core.rules import Flow, Rules
from logisync.core.sequencing import apply_event
from logisync.errors import InvalidConfig, InvalidEvent
from logisync.model import new_event
from logisync.model.catalogue import payload_pii
from logisync.testing.samples import sample_payload

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def acceptance(source: str = "steward", **changes: Any) -> Any:
    data = {**sample_payload("partner.value_accepted"), **changes}
    event = new_event(
        "partner.value_accepted", data, source=source, id="conflict-12-accepted", time=NOW
    )
    return journal_record(event, 9, "2026-11-23T00:00:00Z")


def customer(email: str) -> Projection:
    return Projection(
        "partner:CUST-1001",
        3,
        {"ref": "CUST-1001", "email": email},
        {"email": {"system": "odoo", "version": None, "time": "t", "event": "o1", "kind": "owner"}},
    )


def test_an_acceptance_sets_the_field_over_a_newer_stamp_while_it_holds_the_value_seen() -> None:
    projection = customer("info@example.com")
    projection.provenance["email"]["time"] = "2099-01-01T00:00:00.000000Z"  # a skewed clock
    decision = apply_event(projection, acceptance(), Rules())
    assert decision.applied == {"email": "ap@example.com"}
    assert projection.version == 4
    assert projection.provenance["email"]["system"] == "steward"


def test_an_acceptance_already_in_place_changes_nothing() -> None:
    projection = customer("ap@example.com")
    decision = apply_event(projection, acceptance(), Rules())
    assert (decision.applied, decision.conflicts, decision.superseded) == ({}, [], {})
    assert projection.version == 3


def test_an_acceptance_from_anyone_but_the_steward_changes_nothing() -> None:
    projection = customer("info@example.com")
    decision = apply_event(projection, acceptance(source="shop"), Rules())
    assert decision.applied == {} and decision.conflicts == []
    assert "steward" in decision.superseded["email"]
    assert projection.state["email"] == "info@example.com"


def test_a_stale_acceptance_is_refused_and_recorded_for_the_original_proposer() -> None:
    projection = customer("new@example.com")
    decision = apply_event(projection, acceptance(), Rules())
    assert decision.outcome == "conflict"
    [conflict] = decision.conflicts
    assert (conflict.proposed, conflict.current, conflict.current_source) == (
        "ap@example.com",
        "new@example.com",
        "odoo",
    )
    assert conflict.proposed_by == "shop"
    assert projection.state["email"] == "new@example.com"


def test_an_acceptance_is_routed_as_its_proposing_fact_from_its_proposer() -> None:
    record = acceptance()
    assert routed_as(record) == ("partner.changed", "shop")
    rules = Rules(
        flows=(
            Flow("to odoo", ("partner.changed",), "odoo", "state", sources=frozenset({"shop"})),
            Flow("to shop", ("partner.*",), "shop", "state"),
            Flow("steward only", ("partner.created",), "crm", "state"),
        )
    )
    projection = customer("info@example.com")
    routing = Routing(rules, "now")
    routing.add(record, apply_event(projection, record, rules), projection)
    assert [d.target for d in routing.deliveries()] == ["odoo"]


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"values": {"ref": "C2"}, "replaces": {"ref": "CUST-1001"}}, "/data/values/ref"),
        ({"values": {"nickname": "x"}, "replaces": {"nickname": None}}, "/data/values/nickname"),
        ({"replaces": {}}, "/data/replaces"),
        ({"proposed_type": "product.changed"}, "/data/proposed_type"),
        ({"proposed_type": "partner.value_accepted"}, "/data/proposed_type"),
        ({"entity_key": "partner:OTHER"}, "/subject"),
    ],
)
def test_an_acceptance_must_name_settable_fields_of_its_entity(
    changes: dict[str, Any], pointer: str
) -> None:
    data = {**sample_payload("partner.value_accepted"), **changes}
    with pytest.raises(InvalidEvent) as refused:
        new_event(
            "partner.value_accepted",
            data,
            source="steward",
            id="x",
            subject="partner:CUST-1001",
            time=NOW,
        )
    assert pointer in [p.location for p in refused.value.problems]


def test_a_stock_quantity_is_not_a_value_a_steward_sets() -> None:
    data = {
        **sample_payload("stock_level.value_accepted"),
        "values": {"on_hand": {"value": "3"}},
        "replaces": {"on_hand": {"value": "4"}},
    }
    with pytest.raises(InvalidEvent, match="counts and adjustments"):
        new_event("stock_level.value_accepted", data, source="steward", id="x", time=NOW)


def test_accepted_values_are_personal_where_the_entity_s_fields_are() -> None:
    tree = payload_pii("partner.value_accepted")
    assert tree is not None
    assert tree["values"]["email"] is True and tree["replaces"]["email"] is True
    assert "name" not in (payload_pii("product.value_accepted") or {}).get("values", {})


@pytest.mark.parametrize(
    ("source", "event_type"),
    [("steward", "partner.changed"), ("shop", "partner.value_accepted")],
)
def test_no_api_key_submits_a_steward_decision(source: str, event_type: str) -> None:
    _token, key = new_key(system=source, scopes=frozenset({SUBMIT}), now=NOW)
    refusal = submit_refusal(key, source, event_type)
    assert refusal is not None and "dashboard" in refusal


def test_no_configured_system_may_be_called_steward(tmp_path: Path) -> None:
    path = tmp_path / "hub.yaml"
    path.write_text("systems:\n  steward: {kind: webhook, url: https://x.example}\n")
    with pytest.raises(InvalidConfig, match="reserved"):
        load_config(path, environ={})


def test_a_flow_names_the_proposing_fact_not_the_acceptance(tmp_path: Path) -> None:
    path = tmp_path / "hub.yaml"
    path.write_text(
        "systems:\n  odoo: {kind: odoo}\n"
        "flows:\n  - {name: f, on: [partner.value_accepted], to: odoo}\n"
    )
    with pytest.raises(InvalidConfig, match="name that fact's type instead"):
        load_config(path, environ={})
