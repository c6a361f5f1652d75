"""``init``, ``status``, ``trace`` and the ``--json`` listings, as an operator runs them: the
installed console script in a subprocess, against a store in a temporary folder."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from operator_shell import logisync, logisync_json

from logisync.cli_exit import ExitCode
from logisync.core.journal import Journal
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore
from logisync.testing.scripted_day import record_scripted_day

EXAMPLE = Path(__file__).resolve().parents[2] / "src/logisync/examples/hub.yaml"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's day: orders, a shipment tracked by UPS, a refused overwrite (a conflict)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    record_scripted_day(path)
    return f"sqlite:///{path}"


def test_init_writes_a_commented_config_that_check_config_accepts(tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    done = logisync("init", str(folder))
    assert done.returncode == ExitCode.OK, done.stderr
    config = folder / "hub.yaml"
    assert "next steps" in done.stdout and f"logisync check-config {config}" in done.stdout
    checked = logisync("check-config", str(config))
    assert checked.returncode == ExitCode.OK, checked.stdout
    report = logisync_json("check-config", str(config))
    assert report["valid"] is True and report["problems"] == []
    assert report["summary"]["store"] == f"sqlite:///{folder / 'logisync.db'}"
    assert report["summary"]["systems"]["odoo"] == "odoo"
    text = config.read_text()
    for section in ("store", "systems", "ownership", "flows"):  # each explained above itself
        assert re.search(rf"^# {section}: .+\n(#.*\n)*{section}:", text, re.M), section
    secrets = re.findall(r"^\s*(?:password|token|api_key|secret|user):\s*(\S+)", text, re.M)
    assert secrets and all(value.startswith("env:") for value in secrets)
    with sqlite3.connect(folder / "logisync.db") as db:  # created and migrated
        assert db.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] > 10
    status = logisync_json("status", "--config", str(config))
    assert status["journal"]["events"] == 0


def test_init_refuses_to_overwrite_unless_forced_and_keeps_the_database(tmp_path: Path) -> None:
    assert logisync("init", str(tmp_path)).returncode == ExitCode.OK
    config = tmp_path / "hub.yaml"
    config.write_text(config.read_text() + "# my change\n")
    store = SqliteStore(tmp_path / "logisync.db")
    Journal(store).append([_product("P1", "e1")])
    store.close()
    again = logisync("init", str(tmp_path))
    assert again.returncode == ExitCode.EXISTS and "--force" in again.stderr
    assert config.read_text().endswith("# my change\n")
    forced = logisync("init", str(tmp_path), "--force")
    assert forced.returncode == ExitCode.OK, forced.stderr
    assert "kept and migrated" in forced.stdout
    assert "# my change" not in config.read_text()
    assert logisync_json("status", "--config", str(config))["journal"]["events"] == 1


def _product(sku: str, event_id: str, **extra: object):  # type: ignore[no-untyped-def]
    return new_event(
        "product.changed",
        {"sku": sku, "name": "Chair"},
        source="odoo",
        id=event_id,
        time="2026-11-23T10:00:00Z",
        **extra,
    )


def test_status_sums_up_the_hub_on_one_screen_and_as_json(tmp_path: Path, demo_db: str) -> None:
    report = logisync_json("status", "--store", demo_db)
    assert report["journal"]["events"] == 16 and report["journal"]["pending_events"] == 0
    assert report["journal"]["lag_seconds"] is None
    assert report["conflicts_open"] == 1 and report["parked"]["count"] == 0
    sources = {s["source"]: s for s in report["sources"]}
    assert sources["ups"]["events"] == 4 and sources["ups"]["seconds_ago"] >= 0
    odoo = next(t for t in report["targets"] if t["target"] == "odoo")
    assert odoo["queued"] > 0 and odoo["dead"] == 0 and odoo["latency_seconds"]["p50"] is None
    shown = logisync("status", "--store", demo_db)
    assert shown.returncode == ExitCode.OK, shown.stderr
    assert "journal 16 events" in shown.stdout and "open conflicts 1" in shown.stdout
    assert re.search(r"│ ups\s+│ 4\s+│ \d+[smhd] ago", shown.stdout)
    missing = logisync("status", "--store", f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.returncode == ExitCode.STORE_UNAVAILABLE and "logisync init" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    bad = logisync("status", "--config", str(tmp_path / "none.yaml"))
    assert bad.returncode == ExitCode.CONFIG_INVALID


def test_status_shows_lag_parked_entities_and_pollers_cursors(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    Journal(store).append([_product("P1", "1"), _product("P2", "2")])
    store.save_source_cursor("odoo", "product.product", {"write_date": "2026-11-23 09:00:00"})
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    waiting = logisync_json("status", "--store", url)
    assert waiting["journal"]["pending_events"] == 2
    assert waiting["journal"]["lag_seconds"] is not None
    [cursor] = waiting["cursors"]
    assert cursor["position"] == {"write_date": "2026-11-23 09:00:00"}
    store.append([_poison()])
    assert (
        logisync("process", "--config", str(EXAMPLE), "--store", url, "--until-idle").returncode
        == 0
    )
    report = logisync_json("status", "--store", url)
    assert report["journal"]["lag_seconds"] is None  # parked: waits for a person, not for lag
    assert report["parked"]["count"] == 1
    assert report["parked"]["entities"][0]["entity_key"] == "product:P1"
    assert logisync_json("parked", "--store", url)["parked"][0]["entity_key"] == "product:P1"
    shown = logisync("status", "--store", url)
    assert "product:P1" in shown.stdout and "odoo (product.product)" in shown.stdout


def _poison():  # type: ignore[no-untyped-def]
    from logisync.core.journal import journal_entry

    entry = journal_entry(_product("P1", "3"), "2026-11-23T10:00:00.000000Z")
    return entry._replace(event_id="3", type="product.teleported")


def test_trace_finds_a_transaction_from_any_of_its_numbers(demo_db: str) -> None:
    by_order = logisync_json("trace", "SO1001", "--store", demo_db)
    assert by_order["correlation_id"] == "SO1001"
    kinds = {entry["kind"] for entry in by_order["entries"]}
    assert {"event.received", "event.processed", "delivery.created"} <= kinds
    at = [entry["at"] for entry in by_order["entries"]]
    assert at == sorted(at)
    for number in ("1Z999AA10123456784", "1Z 999 AA1 0123 456 784", "SH1001"):
        assert logisync_json("trace", number, "--store", demo_db) == by_order, number
    shown = logisync("trace", "1Z999AA10123456784", "--store", demo_db)
    assert shown.returncode == ExitCode.OK, shown.stderr
    assert "sales_order.placed" in shown.stdout and "delivery 1 routed" in shown.stdout
    missing = logisync("trace", "NO-SUCH-THING", "--store", demo_db)
    assert missing.returncode == ExitCode.NOT_FOUND and "NO-SUCH-THING" in missing.stderr


def test_trace_masks_personal_data_unless_asked_with_a_reason_and_audits_it(
    tmp_path: Path,
) -> None:
    db = tmp_path / "demo.db"
    record_scripted_day(db)
    url = f"sqlite:///{db}"
    masked = logisync_json("trace", "partner:C1001", "--store", url)
    changes = [e["data"] for e in masked["entries"] if e["kind"] == "event.received"]
    assert {"email": "***", "ref": "C1001"} in changes
    refused = logisync("trace", "partner:C1001", "--store", url, "--show-pii")
    assert refused.returncode == ExitCode.USAGE and "--reason" in refused.stderr
    shown = logisync_json(
        "trace", "partner:C1001", "--store", url, "--show-pii", "--reason", "ticket 4711"
    )
    emails = [e["data"].get("email") for e in shown["entries"] if e["kind"] == "event.received"]
    assert any(email and "@" in email for email in emails)
    [audit] = [e for e in SqliteStore(db).audit_log() if e.action == "pii.read"]
    assert (audit.subject, audit.reason) == ("trace:partner:C1001", "ticket 4711")


def test_a_number_of_several_transactions_is_listed_to_narrow_down(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    order = new_event(
        "sales_order.placed",
        {"number": "X1", "channel": "web"},
        source="shop",
        id="o1",
        time="2026-11-23T10:00:00Z",
        correlationid="T-ORDER",
    )
    Journal(store).append([_product("X1", "p1", correlationid="T-PRODUCT"), order])
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    assert (
        logisync("process", "--config", str(EXAMPLE), "--store", url, "--until-idle").returncode
        == 0
    )
    listed = logisync("trace", "X1", "--store", url)
    assert listed.returncode == ExitCode.AMBIGUOUS
    assert "T-ORDER" in listed.stdout and "product:X1" in listed.stdout
    as_json = logisync("trace", "X1", "--store", url, "--json")
    assert as_json.returncode == ExitCode.AMBIGUOUS
    document = json.loads(as_json.stdout)
    assert document["ambiguous"] is True
    assert sorted(document["correlation_ids"]) == ["T-ORDER", "T-PRODUCT"]
    narrowed = logisync_json("trace", "T-ORDER", "--store", url)
    assert {e.get("subject") for e in narrowed["entries"]} - {None} == {"sales_order:X1"}


def test_listings_as_json_for_scripts(tmp_path: Path, demo_db: str) -> None:
    [conflict] = logisync_json("conflicts", "--store", demo_db)["conflicts"]
    assert conflict["entity_key"] == "partner:C1001" and conflict["kind"] == "conflict"
    assert logisync_json("parked", "--store", demo_db) == {"parked": []}
    assert logisync_json("dlq", "list", "--store", demo_db) == {"dead_letters": []}
    SqliteStore(tmp_path / "keys.db").close()
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    created = logisync("keys", "create", "--system", "shop", "--label", "web shop", "--store", url)
    assert created.returncode == 0, created.stderr
    [key] = logisync_json("keys", "list", "--store", url)["keys"]
    assert key["system"] == "shop" and key["state"] == "active"
    assert key["scopes"] == ["events:submit"] and key["label"] == "web shop"
    assert created.stdout.strip().split("_")[-1] not in str(key)  # never the secret
    unknown = logisync("keys", "revoke", "nope", "--reason", "x", "--store", url)
    assert unknown.returncode == ExitCode.NOT_FOUND
