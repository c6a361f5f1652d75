"""The exported JSON Schemas agree with ``parse_event`` on the samples, and the CLI prints them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from typer.testing import CliRunner

from logisync.cli import app
from logisync.model import EVENT_TYPES, parse_event
from logisync.model.schema import export_schemas, export_schemas_json
from logisync.testing.samples import sample_event

SCHEMAS: dict[str, Any] = export_schemas()["event_types"]


def _validator(type_name: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMAS[type_name], format_checker=FormatChecker())


def _error_paths(type_name: str, raw: dict[str, Any]) -> list[str]:
    return sorted(e.json_path for e in _validator(type_name).iter_errors(raw))


def test_document_names_its_dialect_and_title() -> None:
    document = export_schemas()
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["title"] == "logisync event types"


def test_every_event_type_has_a_schema() -> None:
    assert set(SCHEMAS) == set(EVENT_TYPES)


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_schema_is_a_valid_draft_2020_12_schema_with_the_fact_description(type_name: str) -> None:
    schema = SCHEMAS[type_name]
    Draft202012Validator.check_schema(schema)
    assert schema["description"] == EVENT_TYPES[type_name].description
    assert schema["properties"]["type"]["const"] == type_name


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_sample_event_validates_against_its_schema(type_name: str) -> None:
    raw = sample_event(type_name)
    parse_event(raw)  # the hub accepts it too
    assert _error_paths(type_name, raw) == []


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_canonical_event_validates_against_its_schema(type_name: str) -> None:
    canonical = parse_event(sample_event(type_name)).model_dump(mode="json", exclude_none=True)
    assert _error_paths(type_name, canonical) == []


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_event_of_another_type_does_not_validate(type_name: str) -> None:
    other = next(name for name in sorted(EVENT_TYPES) if name != type_name)
    raw = {**sample_event(type_name), "type": other}
    assert "$.type" in _error_paths(type_name, raw)


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_subject_of_another_domain_does_not_validate(type_name: str) -> None:
    raw = {**sample_event(type_name), "subject": "nothing:at-all"}
    assert _error_paths(type_name, raw) == ["$.subject"]


def _leaf_paths(errors: Iterable[ValidationError]) -> set[str]:
    """Where the innermost errors are (an ``anyOf`` reports its branches' errors as context)."""
    paths: set[str] = set()
    for error in errors:
        paths |= _leaf_paths(error.context) if error.context else {error.json_path}
    return paths


def test_invalid_nested_payload_does_not_validate() -> None:
    raw = sample_event("sales_order.placed")
    raw["data"]["lines"][0]["quantity"]["value"] = None
    raw["data"]["lines"][1]["colour"] = "blue"
    assert _error_paths("sales_order.placed", raw) == ["$.data.lines"]
    leaves = _leaf_paths(_validator("sales_order.placed").iter_errors(raw))
    assert {"$.data.lines[0].quantity.value", "$.data.lines[1]"} <= leaves


def test_missing_required_payload_field_does_not_validate() -> None:
    raw = sample_event("stock.adjusted")
    del raw["data"]["reason"]
    assert _error_paths("stock.adjusted", raw) == ["$.data"]


def test_stock_level_subject_is_location_slash_sku() -> None:
    raw = sample_event("stock.level_reported")
    assert _error_paths("stock.level_reported", raw) == []
    raw["subject"] = "stock_level:WH-TLB"
    assert _error_paths("stock.level_reported", raw) == ["$.subject"]


def test_integer_source_version_is_allowed_as_the_hub_accepts_it() -> None:
    raw = {**sample_event("partner.changed"), "sourceversion": 1207}
    assert _error_paths("partner.changed", raw) == []


def test_json_export_is_deterministic_with_sorted_keys() -> None:
    text = export_schemas_json()
    assert text == export_schemas_json()
    assert json.loads(text) == export_schemas()
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False)


def test_exporting_does_not_change_later_exports() -> None:
    first = export_schemas()
    first["event_types"]["partner.created"]["properties"]["data"]["title"] = "changed"
    assert export_schemas()["event_types"]["partner.created"]["properties"]["data"]["title"] == (
        "Partner"
    )


def test_schema_command_prints_every_event_type_as_json() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document["event_types"]) == set(EVENT_TYPES)


def test_schema_command_writes_to_a_file(tmp_path: Any) -> None:
    target = tmp_path / "events.schema.json"
    result = CliRunner().invoke(app, ["schema", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text()) == export_schemas()
