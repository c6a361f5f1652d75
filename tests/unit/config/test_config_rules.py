"""``HubConfig.rules()`` turns the configuration into the core's frozen rules."""

from __future__ import annotations

from pathlib import Path

import logisync
from logisync.config import load_config, parse_config
from logisync.core.rules import DomainOwnership, FieldRule, Flow, OwnershipMap, Priority, Rules

TEXT = """\
systems:
  odoo: {kind: odoo}
  shop: {kind: shopify}
  ups: {kind: ups}
  tms: {kind: tms_http}
ownership:
  partner:
    owner: odoo
    fields:
      email: {owner: shop, policy: fill_if_empty}
  shipment.status: {owner: [ups, tms]}
  shipment.carrier: {owner: tms, policy: propose}
  invoice: {owner: odoo, policy: propose}
flows:
  - name: milestones to Odoo
    on: shipment.milestone_*
    to: odoo
    priority: high
  - name: orders to the shop
    on: [sales_order.confirmed, sales_order.shipped]
    from: [odoo]
    to: shop
    mode: event
    priority: low
"""


def test_rules_hold_ownership_and_flows() -> None:
    rules = parse_config(TEXT, environ={}).rules()
    assert rules == Rules(
        ownership=OwnershipMap(
            {
                "partner": DomainOwnership(
                    default=FieldRule(frozenset({"odoo"})),
                    fields={"email": FieldRule(frozenset({"shop"}), "fill_if_empty")},
                ),
                "shipment": DomainOwnership(
                    default=None,
                    fields={
                        "status": FieldRule(frozenset({"ups", "tms"})),
                        "carrier": FieldRule(frozenset({"tms"}), "propose"),
                    },
                ),
                "invoice": DomainOwnership(default=FieldRule(frozenset({"odoo"}), "propose")),
            }
        ),
        flows=(
            Flow("milestones to Odoo", ("shipment.milestone_*",), "odoo", "state", Priority.HIGH),
            Flow(
                "orders to the shop",
                ("sales_order.confirmed", "sales_order.shipped"),
                "shop",
                "event",
                Priority.LOW,
                frozenset({"odoo"}),
            ),
        ),
    )


def test_a_field_shorthand_joins_its_domain() -> None:
    text = TEXT.replace("  invoice: {owner: odoo, policy: propose}\n", "").replace(
        "  shipment.status:", "  shipment: {owner: odoo}\n  shipment.status:"
    )
    ownership = parse_config(text, environ={}).rules().ownership
    assert ownership.rule("shipment", "status") == FieldRule(frozenset({"ups", "tms"}))
    assert ownership.rule("shipment", "number") == FieldRule(frozenset({"odoo"}))
    assert ownership.rule("product", "name") is None  # not mentioned: open to every system


def test_the_example_routes_carrier_milestones_to_odoo_first() -> None:
    example = Path(logisync.__file__).parent / "examples" / "hub.yaml"
    rules = load_config(example, environ={}).rules()
    flows = rules.flows_for("shipment.milestone_recorded", "ups")
    assert {flow.to for flow in flows} == {"odoo", "shop"}
    assert min(flows, key=lambda flow: flow.priority).to == "odoo"
    placed = rules.flows_for("sales_order.placed", "shop")
    assert [flow.to for flow in placed] == ["odoo"]  # never echoed back to the shop
    assert rules.ownership.rule("shipment", "status") == FieldRule(
        frozenset({"ups", "fedex", "dhl", "usps", "tms"})
    )
