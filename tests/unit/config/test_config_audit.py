"""A configuration is audited when it changes, with the sections that changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from logisync.config import load_config
from logisync.config.audit import ACTION, changed_sections, record_config
from logisync.store.sqlite import SqliteStore

EXAMPLE = Path(__file__).resolve().parents[3] / "src/logisync/examples/hub.yaml"
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_only_a_changed_configuration_is_recorded_with_what_changed(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "hub.db")
    config = load_config(EXAMPLE)
    first = record_config(store, config, EXAMPLE, "process", NOW)
    assert first is not None and first.detail is not None
    assert first.detail["sections"] == ["(first configuration)"]
    assert record_config(store, config, EXAMPLE, "deliver", NOW) is None  # unchanged

    edited = tmp_path / "hub.yaml"
    text = EXAMPLE.read_text().replace("rate_limit: 20/s", "rate_limit: 40/s", 1)
    edited.write_text(text)
    second = record_config(store, load_config(edited), edited, "serve", NOW)
    assert second is not None and second.detail is not None
    assert second.detail["sections"] == ["systems.odoo"]
    assert "systems.odoo" in second.reason and "`logisync serve`" in second.reason
    assert store.last_audit(ACTION) == second
    assert "env:ODOO_PASSWORD" in str(second.detail["config"])  # references, never values


def test_changed_sections_names_sub_keys_of_mappings_and_whole_lists() -> None:
    before = {"systems": {"a": {"x": 1}, "b": {}}, "flows": [1], "store": "s"}
    after = {"systems": {"a": {"x": 2}, "c": {}}, "flows": [1, 2], "store": "s"}
    assert changed_sections(before, after) == ["flows", "systems.a", "systems.b", "systems.c"]
