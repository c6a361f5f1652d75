"""The WMS target's two pure halves: the release request it builds, and how it reads answers."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.connectors.wms.release import release_request
from logisync.connectors.wms.target import _outcome
from logisync.errors import PermanentDeliveryError
from logisync.testing.samples import sample_payload


def _state_payload(**changes: Any) -> dict[str, Any]:
    state = {**sample_payload("sales_order.confirmed"), **changes}
    return {"entity": f"sales_order:{state['number']}", "version": 3, "state": state}


def test_the_release_uses_the_wms_field_names() -> None:
    body = release_request(_state_payload(), "express")
    assert body["client_reference"] == sample_payload("sales_order.confirmed")["number"]
    assert body["priority"] == "express"
    first = body["items"][0]
    assert set(first) == {"line", "article", "qty"} and isinstance(first["qty"], str)


def test_an_order_without_lines_cannot_be_released() -> None:
    with pytest.raises(PermanentDeliveryError, match="no lines"):
        release_request(_state_payload(lines=[]))


def _answer(status: int, body: bytes, retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return httpx.Response(status, content=body, headers=headers)


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (201, b'{"id": "WO-1", "status": "accepted"}', "delivered"),
        (200, b'{"id": "WO-1", "status": "received"}', "delivered"),
        (201, b'{"id": "WO-1", "status": "rejected", "reason": "no stock"}', "permanent"),
        (201, b"{}", "permanent"),
        (409, b'{"id": "WO-1"}', "permanent"),
        (400, b'{"message": "items: missing"}', "permanent"),
        (401, b"", "permanent"),
        (429, b"", "transient"),
        (502, b"<html>", "transient"),
    ],
)
def test_each_answer_maps_to_an_outcome(status: int, body: bytes, kind: str) -> None:
    assert _outcome("SO-1", _answer(status, body)).kind == kind


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=100, max_value=599),
    st.binary(max_size=120) | st.sampled_from([b'{"id": 5}', b'{"id": "", "status": 1}', b"[]"]),
    st.none() | st.text(max_size=8),
)
def test_any_answer_is_read_without_raising(status: int, body: bytes, retry: str | None) -> None:
    try:
        response = _answer(status, body, retry)
    except (ValueError, UnicodeEncodeError):
        return  # not a header httpx can even build
    result = _outcome("SO-1", response)
    assert result.kind in ("delivered", "transient", "permanent")
    if result.kind == "delivered":
        assert result.external_id


_JUNK = st.recursive(
    st.none() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["lines", "ship_to", "number"]), _JUNK)
def test_a_mangled_state_is_refused_with_a_known_error_or_released(key: str, junk: Any) -> None:
    payload = _state_payload()
    payload["state"][key] = junk
    # the target turns these three into a permanent failure naming the cause
    with contextlib.suppress(PermanentDeliveryError, KeyError, TypeError):
        body = release_request(payload)
        assert body["items"]
