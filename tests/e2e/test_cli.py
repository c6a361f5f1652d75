"""The command line as a user runs it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from logisync.cli import app
from logisync.core.journal import Journal, journal_entry
from logisync.core.processor import Processor
from logisync.core.rules import DomainOwnership, FieldRule, OwnershipMap, Rules
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore

runner = CliRunner()
CONFIG = Path(__file__).resolve().parents[2] / "src/logisync/examples/hub.yaml"


def test_process_status_and_parked_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    store = SqliteStore(tmp_path / "hub.db")
    event = new_event(
        "product.changed",
        {"sku": "P1", "name": "Chair"},
        source="odoo",
        id="1",
        time="2026-03-01T10:00:00Z",
    )
    Journal(store).append([event])
    store.append([journal_entry(event, "t")._replace(event_id="2", type="product.teleported")])
    result = runner.invoke(
        app, ["process", "--config", str(CONFIG), "--store", url, "--until-idle"]
    )
    assert result.exit_code == 0, result.output
    assert "processed 1 events" in result.output
    status = runner.invoke(app, ["status", "--store", url], env={"COLUMNS": "120"})
    assert status.exit_code == 0, status.output
    assert "parked 1" in status.output
    listed = runner.invoke(app, ["parked", "--store", url])
    assert "product:P1" in listed.output and "product.teleported" in listed.output
    released = runner.invoke(app, ["parked", "--store", url, "--release", "product:P1"])
    assert released.exit_code == 0 and "released product:P1" in released.output
    assert runner.invoke(app, ["parked", "--store", url, "--release", "nope"]).exit_code == 3


def test_conflicts_command_lists_refused_writes(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    store = SqliteStore(db)
    facts = [
        ("odoo", "partner.created", "ACME Interiors BV", "1"),
        ("shop", "partner.changed", "ACME INTERIORS BV!!", "2"),
    ]
    Journal(store).append(
        [
            new_event(
                kind,
                {"ref": "C1001", "name": name},
                source=source,
                id=n,
                time=f"2026-03-01T1{n}:00:00Z",
            )
            for source, kind, name, n in facts
        ]
    )
    rules = Rules(
        ownership=OwnershipMap({"partner": DomainOwnership(FieldRule(frozenset({"odoo"})))})
    )
    Processor(store, rules).run_until_idle()
    store.close()
    result = runner.invoke(app, ["conflicts", "--store", f"sqlite:///{db}"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "partner:C1001" in result.output and "ACME INTERIORS BV!!" in result.output


def test_deliver_dlq_and_redrive_commands_against_a_real_http_target(tmp_path: Path) -> None:
    from logisync.testing.target_server import Faults, TargetServer

    with TargetServer(Faults(refuse_keys=["erp:p2"])) as target:
        config = tmp_path / "hub.yaml"
        config.write_text(
            f"store: sqlite:///{tmp_path / 'hub.db'}\n"
            "systems:\n"
            "  erp: {kind: odoo}\n"
            f"  shop: {{kind: webhook, url: '{target.url}/deliveries'}}\n"
            "flows:\n"
            "  - {name: products to the shop, on: [product.*], to: shop, mode: event}\n"
        )
        store = SqliteStore(tmp_path / "hub.db")
        Journal(store).append(
            [
                new_event(
                    "product.changed",
                    {"sku": f"P{n}", "name": "x"},
                    source="erp",
                    id=f"p{n}",
                    time="2026-03-01T10:00:00Z",
                )
                for n in (1, 2)
            ]
        )
        assert (
            runner.invoke(app, ["process", "--config", str(config), "--until-idle"]).exit_code == 0
        )
        sent = runner.invoke(app, ["deliver", "--config", str(config), "--until-idle"])
        assert sent.exit_code == 0, sent.output
        assert "erp:p1" in target.applied
        listed = runner.invoke(app, ["dlq", "list", "--config", str(config)])
        assert "refused by the target" in listed.output
        dead_id = listed.output.split("\t")[0]
        shown = runner.invoke(app, ["dlq", "show", dead_id, "--config", str(config)])
        assert "attempt 1" in shown.output and "permanent" in shown.output
        target.faults = Faults()
        replay = runner.invoke(
            app,
            [
                "dlq",
                "replay",
                dead_id,
                "--config",
                str(config),
                "--reason",
                "the shop accepts long names now",
            ],
        )
        assert replay.exit_code == 0, replay.output
        after_replay = runner.invoke(app, ["deliver", "--config", str(config), "--until-idle"])
        assert after_replay.exit_code == 0, after_replay.output
        assert "erp:p2" in target.applied
        history = runner.invoke(app, ["dlq", "show", dead_id, "--config", str(config)])
        assert "attempt 2" in history.output and "delivered" in history.output
        redrive = runner.invoke(
            app, ["redrive", "shop", "--config", str(config), "--reason", "shop database restored"]
        )
        assert "queued 2 entities" in redrive.output
        nothing = runner.invoke(
            app, ["dlq", "replay", "--config", str(config), "--reason", "x", "--error", "refused"]
        )
        assert "queued again: 0 of 0" in nothing.output
        last = runner.invoke(app, ["deliver", "--config", str(config), "--until-idle"])
        assert last.exit_code == 0, (last.output, store.deliveries())
        assert any(key.startswith("product:P1@") for key in target.applied)
        actions = [e.action for e in store.audit_log()]
    assert [a for a in actions if a != "config.changed"] == ["redrive", "dlq.replay"]
    assert actions.count("config.changed") == 1  # deliver ran twice with the same config
