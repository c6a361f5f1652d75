"""``logisync conflicts`` lists a page at a time: ``--limit``, then ``--after`` the last id."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from logisync.cli import app
from logisync.core.clock import ManualClock
from logisync.core.journal import Journal
from logisync.core.processor import Processor
from logisync.core.rules import DomainOwnership, FieldRule, OwnershipMap, Rules
from logisync.model import new_event
from logisync.store.sqlite import SqliteStore

runner = CliRunner()
RULES = Rules(ownership=OwnershipMap({"partner": DomainOwnership(FieldRule(frozenset({"odoo"})))}))


def test_conflicts_are_listed_a_page_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "hub.db"
    store = SqliteStore(path)
    renames = [
        new_event(
            "partner.changed",
            {"ref": "C1", "name": f"Name {n}"},
            source="shop",
            id=f"shop-{n}",
            time=f"2026-03-01T10:0{n}:00Z",
        )
        for n in range(3)
    ]
    Journal(store).append(renames)
    Processor(store, RULES, clock=ManualClock()).run_until_idle()
    store.close()
    url = ["--store", f"sqlite:///{path}"]

    first = runner.invoke(app, ["conflicts", *url, "--limit", "2", "--json"])
    assert first.exit_code == 0, first.output
    page = json.loads(first.stdout)
    assert [c["proposed_value"] for c in page["conflicts"]] == ["Name 0", "Name 1"]
    assert page["next_after"] == page["conflicts"][-1]["id"]
    rest = runner.invoke(app, ["conflicts", *url, "--after", str(page["next_after"]), "--json"])
    last = json.loads(rest.stdout)
    assert [c["proposed_value"] for c in last["conflicts"]] == ["Name 2"]
    assert last["next_after"] is None
    shown = runner.invoke(app, ["conflicts", *url, "--limit", "1"])
    assert "more: run again with --after" in shown.output
