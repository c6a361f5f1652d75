"""The WMS and TMS message contracts: what they accept, and how clearly they refuse."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from logisync.cli import app
from logisync.connectors.contract_schemas import export_contract_schemas
from logisync.connectors.message_contract import read_message
from logisync.connectors.tms.contract import TMS_MESSAGE, ProofOfDelivery
from logisync.connectors.wms.contract import WMS_MESSAGE, OrderPacked
from logisync.errors import InvalidEvent, Problem

from .messages import SSCC_1, TMS, WMS, tms, wms


def _refusal(body: Any, reader: Any = WMS_MESSAGE) -> list[Problem]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(InvalidEvent) as refused:
        read_message(raw, reader)
    return refused.value.problems


@pytest.mark.parametrize("type_name", sorted(WMS))
def test_every_wms_sample_is_read_as_its_type(type_name: str) -> None:
    message = read_message(json.dumps(WMS[type_name]).encode(), WMS_MESSAGE)
    assert message.type == type_name


@pytest.mark.parametrize("type_name", sorted(TMS))
def test_every_tms_sample_is_read_as_its_type(type_name: str) -> None:
    assert read_message(json.dumps(TMS[type_name]).encode(), TMS_MESSAGE).type == type_name


def test_sscc_of_a_package_is_checked_with_its_gs1_check_digit() -> None:
    body = wms("order.packed")
    body["packages"][1]["sscc"] = SSCC_1[:-1] + "9"
    problems = _refusal(body)
    assert [p.location for p in problems] == ["/packages/1/sscc"]
    assert "check digit" in problems[0].message


def test_sscc_read_with_its_application_identifier_is_normalised() -> None:
    body = wms("order.packed")
    body["packages"][0]["sscc"] = "00" + SSCC_1
    message = read_message(json.dumps(body).encode(), WMS_MESSAGE)
    assert isinstance(message, OrderPacked)
    assert message.packages[0].sscc == SSCC_1


def test_rejection_without_reason_is_refused() -> None:
    problems = _refusal(wms("order.acknowledged", outcome="rejected"))
    assert problems[0].location == "/"
    assert "needs a reason" in problems[0].message


def test_unknown_type_names_the_type() -> None:
    problems = _refusal(wms("order.picked", type="order.teleported"))
    assert problems[0].location == "/type"
    assert "order.teleported" in problems[0].message


def test_missing_type_is_refused_at_type() -> None:
    body = wms("order.picked")
    del body["type"]
    assert [p.location for p in _refusal(body)] == ["/type"]


def test_time_without_offset_and_unknown_key_are_both_reported() -> None:
    body = wms("order.picked", sent_at="2026-03-02T09:00:00", colour="red")
    assert sorted(p.location for p in _refusal(body)) == ["/colour", "/sent_at"]


def test_snapshot_must_list_each_pair_once() -> None:
    body = wms("inventory.snapshot")
    body["levels"].append(dict(body["levels"][0]))
    assert "once" in _refusal(body)[0].message


def test_proof_of_delivery_needs_a_proof() -> None:
    body = tms("shipment.delivered")
    del body["signature_ref"]
    assert "signature_ref or a photo_ref" in _refusal(body, TMS_MESSAGE)[0].message
    body["photo_ref"] = "pod://photo.jpg"
    message = read_message(json.dumps(body).encode(), TMS_MESSAGE)
    assert isinstance(message, ProofOfDelivery)
    assert message.proof_reference == "pod://photo.jpg"


def test_route_stops_are_distinct() -> None:
    body = tms("route.planned")
    body["stops"][1]["sequence"] = 1
    assert "unique" in _refusal(body, TMS_MESSAGE)[0].message


@pytest.mark.parametrize("body", [b"", b"[]", b"not json", b'"text"', b"{}"])
def test_what_is_not_a_message_is_refused_with_a_sentence(body: bytes) -> None:
    assert _refusal(body)[0].message


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_reader(body: bytes) -> None:
    for reader in (WMS_MESSAGE, TMS_MESSAGE):
        try:
            read_message(body, reader)
        except InvalidEvent as refused:
            assert refused.problems


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(sorted(WMS) + sorted(TMS)),
    st.data(),
)
def test_mutated_messages_are_read_or_refused_with_pointers(type_name: str, data: Any) -> None:
    body = WMS.get(type_name) or TMS[type_name]
    reader = WMS_MESSAGE if type_name in WMS else TMS_MESSAGE
    mutated = dict(body)
    key = data.draw(st.sampled_from(sorted(mutated)))
    if data.draw(st.booleans()):
        mutated[key] = data.draw(_JSON)
    else:
        del mutated[key]
    try:
        read_message(json.dumps(mutated).encode(), reader)
    except InvalidEvent as refused:
        assert refused.problems
        assert all(p.location == "" or p.location.startswith("/") for p in refused.problems)


def test_contract_schemas_are_valid_and_accept_the_samples() -> None:
    document = export_contract_schemas()
    for kind, samples in (("wms", WMS), ("tms", TMS)):
        schema = document["contracts"][kind]
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        for sample in samples.values():
            assert list(validator.iter_errors(sample)) == []
        assert list(validator.iter_errors({"type": "nothing"}))


def test_schema_command_prints_the_contracts_with_the_option_only() -> None:
    contracts = CliRunner().invoke(app, ["schema", "--contracts"])
    assert contracts.exit_code == 0, contracts.output
    assert set(json.loads(contracts.output)["contracts"]) == {"wms", "tms"}
    events = json.loads(CliRunner().invoke(app, ["schema"]).output)
    assert "contracts" not in events and "sales_order.fulfilment_rejected" in events["event_types"]
