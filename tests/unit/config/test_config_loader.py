"""Loading the configuration file: every problem is reported, at its line and column."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import logisync
from logisync.config import DEFAULT_STORE, HubConfig, load_config
from logisync.errors import InvalidConfig

EXAMPLE = Path(logisync.__file__).parent / "examples" / "hub.yaml"

SYSTEMS = """\
systems:
  odoo: {kind: odoo}
  shop: {kind: shopify}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hub.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def problems(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> list[str]:
    """The problems as ``line:column: message`` (the file name is the same for all)."""
    path = write(tmp_path, text)
    with pytest.raises(InvalidConfig) as caught:
        load_config(path, environ=environ or {})
    reported = [str(problem) for problem in caught.value.problems]
    assert all(line.startswith(f"{path}:") for line in reported), reported
    return [line.removeprefix(f"{path}:") for line in reported]


def test_the_example_loads_with_every_system() -> None:
    config = load_config(EXAMPLE, environ={})
    assert set(config.systems) == {
        "odoo",
        "wms",
        "tms",
        "shop",
        "ups",
        "fedex",
        "dhl",
        "usps",
        "edi",
    }
    assert config.systems["odoo"].version == "18"
    assert config.systems["odoo"].rate_limit == 20.0
    assert config.systems["shop"].rate_limit == 2.0  # 120/min
    assert config.systems["edi"].settings["sender_id"] == "ACME"
    assert config.flows[0].sources == ("shop", "edi")


def test_the_examples_flows_to_odoo_are_states() -> None:
    """The Odoo connector writes an entity's latest state (upsert by key) and refuses event
    deliveries: an example flow to Odoo in event mode would dead-letter every order."""
    config = load_config(EXAMPLE, environ={})
    to_odoo = [flow for flow in config.flows if config.systems[flow.to].kind == "odoo"]
    assert to_odoo and {flow.mode for flow in to_odoo} == {"state"}


def test_defaults_fill_what_is_not_written(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SYSTEMS), environ={})
    assert config.store == DEFAULT_STORE
    assert config.systems["odoo"].concurrency == 1
    assert config.ownership == {}
    assert config.flows == []


def test_the_flow_key_on_stays_a_key(tmp_path: Path) -> None:
    # Plain YAML 1.1 reads the key `on` as the boolean true.
    text = SYSTEMS + "flows:\n  - {name: a, on: invoice.posted, to: odoo}\n"
    config = load_config(write(tmp_path, text), environ={})
    assert config.flows[0].on == ("invoice.posted",)
    assert config.flows[0].mode == "state"
    assert config.flows[0].priority == "normal"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            SYSTEMS + "flow: []\n",
            "4:1: unknown key 'flow' (did you mean 'flows'?); "
            "the keys allowed here are flows, monitors, ownership, retention, store, systems",
            id="unknown key points at the key",
        ),
        pytest.param(
            "systems:\n  odoo:\n    url: https://erp\n",
            "2:3: systems.odoo: the required key 'kind' is missing",
            id="missing key points at the parent's key",
        ),
        pytest.param(
            "systems:\n  odoo: {kind: odoo, url: ftp://erp}\n",
            "2:27: systems.odoo.url: must be an http:// or https:// URL with a host name",
            id="url",
        ),
        pytest.param(
            "systems:\n  odoo: {kind: odoo, rate_limit: fast}\n",
            "2:34: systems.odoo.rate_limit: must look like 20/s, 600/min or 5000/h",
            id="rate limit",
        ),
        pytest.param(
            "systems:\n  odoo: {kind: odoo, concurrency: 0}\n",
            "2:35: systems.odoo.concurrency: must be at least 1",
            id="concurrency",
        ),
        pytest.param(
            "systems:\n  Odoo-Prod: {kind: odoo}\n",
            "2:3: systems.Odoo-Prod: a system name uses lower-case letters, digits and "
            "underscores, starting with a letter (it appears in entity keys and metric labels)",
            id="system name points at the name",
        ),
        pytest.param(
            "store: mysql://db/hub\n" + SYSTEMS,
            "1:8: store: the store must be sqlite:///PATH (one file, the default) or "
            "postgresql://HOST/DATABASE",
            id="store",
        ),
        pytest.param(
            "systems:\n  odoo: {kind: odoo}\n  odoo: {kind: odoo}\n",
            "3:3: systems: the key 'odoo' appears twice in this mapping (first on line 2); "
            "YAML would silently keep only the last one",
            id="duplicate key",
        ),
        pytest.param(
            "systems:\n  odoo: {kind: odoo\n",
            "3:1: the YAML cannot be read: expected ',' or '}', but got '<stream end>' "
            "(while parsing a flow mapping that starts on line 2)",
            id="syntax error",
        ),
        pytest.param(
            "",
            "1:1: the file is empty; it must be a mapping with the keys store, systems, "
            "ownership and flows",
            id="empty file",
        ),
        pytest.param(
            "- odoo\n",
            "1:1: the file is not a mapping; it must be a mapping with the keys store, systems, "
            "ownership and flows",
            id="not a mapping",
        ),
        pytest.param(
            "systems: [odoo]\n",
            "1:10: systems: must be a mapping of keys to values",
            id="wrong shape",
        ),
    ],
)
def test_each_kind_of_error_is_placed_and_explained(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert problems(tmp_path, text) == [expected]


@pytest.mark.parametrize(
    ("ownership", "expected"),
    [
        pytest.param(
            "  shipmnt: {owner: odoo}",
            "5:3: ownership.shipmnt: 'shipmnt' is not a domain of the canonical model; "
            "the domains are invoice, partner, product, return, sales_order, shipment, "
            "stock_level",
            id="unknown domain",
        ),
        pytest.param(
            "  invoice.totl: {owner: odoo}",
            "5:3: ownership.invoice.totl: invoice has no field 'totl'; its fields are due_on, "
            "issued_on, lines, number, order_number, partner_ref, posted_at, status, tax, "
            "total, untaxed",
            id="unknown field in shorthand",
        ),
        pytest.param(
            "  partner: {owner: odoo, fields: {emial: {owner: shop}}}",
            "5:35: ownership.partner.fields.emial: partner has no field 'emial' (did you mean "
            "'email'?); its fields are active, address, email, gln, iban, is_company, name, "
            "phone, ref, vat",
            id="unknown field under fields",
        ),
        pytest.param(
            "  partner: {owner: [odoo, shpo]}",
            "5:27: ownership.partner.owner[1]: 'shpo' is not a declared system (did you mean "
            "'shop'?); the systems are odoo, shop",
            id="unknown owner",
        ),
        pytest.param(
            "  partner: {owner: odoo, policy: first_wins}",
            "5:34: ownership.partner.policy: must be 'owner_only', 'fill_if_empty' or 'propose'",
            id="policy",
        ),
        pytest.param(
            "  partner: {}",
            "5:12: ownership.partner: give an owner, or fields with their owners",
            id="empty entry",
        ),
        pytest.param(
            "  shipment.status: {owner: odoo, fields: {status: {owner: odoo}}}",
            "5:34: ownership.shipment.status.fields: 'shipment.status' already names one "
            "field; put fields under 'shipment' instead",
            id="shorthand with fields",
        ),
    ],
)
def test_ownership_errors(tmp_path: Path, ownership: str, expected: str) -> None:
    assert problems(tmp_path, SYSTEMS + "ownership:\n" + ownership + "\n") == [expected]


def test_a_field_owned_twice_is_refused(tmp_path: Path) -> None:
    text = SYSTEMS + (
        "ownership:\n"
        "  shipment: {owner: odoo, fields: {status: {owner: shop}}}\n"
        "  shipment.status: {owner: odoo}\n"
    )
    assert problems(tmp_path, text) == [
        "6:3: ownership.shipment.status: shipment.status is also given under shipment.fields; "
        "give each field's owner once"
    ]


@pytest.mark.parametrize(
    ("flow", "expected"),
    [
        pytest.param(
            "{name: a, on: shipment.delivered, to: odoo}",
            "5:19: flows[0].on: 'shipment.delivered' matches no known event type; the shipment "
            "event types are shipment.changed, shipment.created, shipment.dispatched, "
            "shipment.milestone_corrected, shipment.milestone_recorded, shipment.packed, "
            "shipment.route_planned",
            id="unknown event type",
        ),
        pytest.param(
            "{name: a, on: [invoice.*, parcel.*], to: odoo}",
            "5:31: flows[0].on[1]: 'parcel.*' matches no known event type",
            id="pattern matching nothing",
        ),
        pytest.param(
            "{name: a, on: invoice.posted, to: erp}",
            "5:39: flows[0].to: 'erp' is not a declared system; the systems are odoo, shop",
            id="undeclared target",
        ),
        pytest.param(
            "{name: a, on: invoice.posted, to: shop, from: [odoo, wms]}",
            "5:58: flows[0].from[1]: 'wms' is not a declared system; the systems are odoo, shop",
            id="undeclared source",
        ),
        pytest.param(
            "{name: a, on: invoice.posted, to: odoo, mode: batch}",
            "5:51: flows[0].mode: must be 'state' or 'event'",
            id="mode",
        ),
        pytest.param(
            "{name: a, on: invoice.posted, to: odoo, priority: urgent}",
            "5:55: flows[0].priority: must be 'high', 'normal' or 'low'",
            id="priority",
        ),
        pytest.param(
            "{name: a, on: invoice.posted, to: odoo, prio: high}",
            "5:45: flows[0]: unknown key 'prio' (did you mean 'priority'?); the keys allowed "
            "here are from, mode, name, on, priority, to",
            id="unknown key",
        ),
        pytest.param(
            "{name: a, on: invoice.posted}",
            "5:5: flows[0]: the required key 'to' is missing",
            id="missing target",
        ),
        pytest.param(
            "{name: a, on: [], to: odoo}",
            "5:19: flows[0].on: must list at least one item",
            id="no event types",
        ),
        pytest.param(
            "{name: a, on: invoice.posted, to: odoo, from: odoo}",
            "5:51: flows[0].from: this flow takes facts only from odoo and sends them to odoo; "
            "a fact is never sent back to the system it came from, so it would never deliver "
            "anything",
            id="only from its own target",
        ),
    ],
)
def test_flow_errors(tmp_path: Path, flow: str, expected: str) -> None:
    assert problems(tmp_path, SYSTEMS + "flows:\n  - " + flow + "\n") == [expected]


def test_flow_names_are_unique(tmp_path: Path) -> None:
    text = SYSTEMS + (
        "flows:\n"
        "  - {name: invoices, on: invoice.*, to: odoo}\n"
        "  - {name: invoices, on: invoice.*, to: shop}\n"
    )
    assert problems(tmp_path, text) == [
        "6:12: flows[1].name: flows[0] is already named 'invoices'; flow names must be unique "
        "(they name the flow in reports and metrics)"
    ]


def test_every_problem_in_a_file_is_reported_in_file_order(tmp_path: Path) -> None:
    text = """\
        store: redis://cache
        systems:
          odoo:
            kind: odoo
            url: erp.example.com
          wms: {url: https://wms}
        ownership:
          partner: {owner: crm}
        flows:
          - name: orders
            on: sales_order.confirmed
            to: wms
            mode: batch
          - name: orders
            on: sales_order.nothing
            to: tms
        """
    assert [line.split(": ", 1)[0] for line in problems(tmp_path, text)] == [
        "1:8",  # store scheme
        "5:10",  # url without scheme
        "6:3",  # wms has no kind
        "8:20",  # unknown owner
        "13:11",  # mode
        "14:11",  # duplicate flow name
        "15:9",  # unknown event type
        "16:9",  # undeclared target
    ]


def test_a_duplicate_key_is_reported_with_the_other_errors(tmp_path: Path) -> None:
    text = "systems:\n  odoo: {kind: odoo}\n  shop: {kind: shop}\n  shop: {}\n"
    assert problems(tmp_path, text) == [
        "4:3: systems.shop: the required key 'kind' is missing",
        "4:3: systems: the key 'shop' appears twice in this mapping (first on line 3); "
        "YAML would silently keep only the last one",
    ]


def test_merged_keys_are_checked_where_they_are_written(tmp_path: Path) -> None:
    text = """\
        systems:
          ups: &carrier {kind: ups, concurrency: 0}
          fedex:
            <<: *carrier
            kind: fedex
        """
    assert problems(tmp_path, text) == [
        "2:42: systems.fedex.concurrency: must be at least 1",
        "2:42: systems.ups.concurrency: must be at least 1",
    ]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(InvalidConfig) as caught:
        load_config(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}: the file does not exist"
    ]


def test_logisync_store_overrides_the_store(tmp_path: Path) -> None:
    path = write(tmp_path, "store: sqlite:///here.db\n" + SYSTEMS)
    config = load_config(path, environ={"LOGISYNC_STORE": "postgresql://db.internal/hub"})
    assert config.store == "postgresql://db.internal/hub"
    assert load_config(path, environ={"LOGISYNC_STORE": ""}).store == "sqlite:///here.db"


def test_a_bad_logisync_store_is_blamed_on_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, SYSTEMS)
    with pytest.raises(InvalidConfig) as caught:
        load_config(path, environ={"LOGISYNC_STORE": "mysql://root:pw@db/hub"})
    assert [str(problem) for problem in caught.value.problems] == [
        "LOGISYNC_STORE: store (set by LOGISYNC_STORE): the store must be sqlite:///PATH "
        "(one file, the default) or postgresql://HOST/DATABASE"
    ]


def test_references_are_checked_for_configurations_built_in_code() -> None:
    with pytest.raises(ValueError, match=r"flows\[0\]\.to: 'erp' is not a declared system"):
        HubConfig.model_validate(
            {
                "systems": {"odoo": {"kind": "odoo"}},
                "flows": [{"name": "a", "on": "*", "to": "erp"}],
            }
        )
