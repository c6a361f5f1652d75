"""Fuzzing what the hub parses from its clients: any bytes give a clear error, never a crash."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from logisync.testing.carrier_hub import CarrierFaultPlan
from logisync.testing.carrier_hub.shapes.fedex import requested_numbers

VALID = json.dumps(
    {"trackingInfo": [{"trackingNumberInfo": {"trackingNumber": "776094337676"}}]}
).encode()
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def test_a_valid_request_gives_its_numbers() -> None:
    assert requested_numbers(VALID) == ["776094337676"]


@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_give_numbers_or_a_value_error(raw: bytes) -> None:
    try:
        numbers = requested_numbers(raw)
    except ValueError as exc:
        assert str(exc)
    else:
        assert all(isinstance(n, str) and n for n in numbers)


@given(position=st.integers(0, len(VALID) - 1), byte=st.integers(0, 255))
def test_mutated_valid_requests_give_numbers_or_a_value_error(position: int, byte: int) -> None:
    raw = VALID[:position] + bytes([byte]) + VALID[position + 1 :]
    try:
        requested_numbers(raw)
    except ValueError as exc:
        assert "trackingInfo" in str(exc) or "not JSON" in str(exc)


@given(value=JSON)
def test_any_json_shape_gives_numbers_or_says_where(value: object) -> None:
    try:
        requested_numbers(json.dumps({"trackingInfo": value}).encode())
    except ValueError as exc:
        assert "trackingInfo" in str(exc)


def test_deeply_nested_json_is_refused_not_crashing() -> None:
    with pytest.raises(ValueError, match="not JSON"):
        requested_numbers(b"[" * 100_000)


@settings(max_examples=60)
@given(raw=st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()))
def test_fault_plans_from_any_bytes_validate_or_explain(raw: bytes) -> None:
    try:
        CarrierFaultPlan.model_validate_json(raw)
    except ValidationError as exc:
        assert exc.errors()
