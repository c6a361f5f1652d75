"""Fuzzing the intake's body parsers: any bytes and headers give an event or a problem.

The parsers and the event model are driven directly (thousands of cases per second), then a
sample of the same inputs goes through the real server to check the problem documents."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logisync.api import cloudevents
from logisync.api.problems import PROBLEM_TYPES, Problem
from logisync.errors import InvalidEvent
from logisync.model import parse_event

from .conftest import RunningHub, order

MEDIA = st.sampled_from(
    [
        "application/cloudevents+json",
        "application/cloudevents-batch+json",
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "",
        "application/cloudevents+json; charset=latin-1",
    ]
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _mutated_event(draw_value: Any, field: str) -> dict[str, Any]:
    event = order("SO1", "e1")
    event[field] = draw_value
    return event


BODIES = st.one_of(
    st.binary(max_size=300),
    JSON_VALUES.map(orjson.dumps),
    st.builds(
        _mutated_event,
        JSON_VALUES,
        st.sampled_from(
            ["id", "source", "type", "subject", "time", "data", "specversion", "extra"]
        ),
    ).map(orjson.dumps),
    st.lists(
        st.builds(_mutated_event, JSON_VALUES, st.sampled_from(["time", "data"])), max_size=3
    ).map(orjson.dumps),
)
HEADERS = st.fixed_dictionaries(
    {"content-type": MEDIA},
    optional={
        "ce-specversion": st.text(max_size=5),
        "ce-id": st.text(max_size=10),
        "ce-source": st.text(max_size=10),
        "ce-type": st.sampled_from(["sales_order.placed", "nope", "%zz"]),
        "ce-time": st.text(max_size=30),
        "ce-subject": st.text(max_size=20),
    },
)


def _outcome(headers: dict[str, str], body: bytes) -> str:
    """``event``, ``invalid`` or ``problem:<slug>``; anything else raised is a bug."""
    try:
        raw, _binary = cloudevents.single_event(headers, body)
    except Problem as problem:
        assert problem.slug in PROBLEM_TYPES
        document = problem.document()
        assert document["detail"] and document["status"] >= 400
        return f"problem:{problem.slug}"
    try:
        parse_event(raw)
    except InvalidEvent as invalid:
        assert invalid.problems
        assert all(p.message for p in invalid.problems)
        return "invalid"
    return "event"


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(HEADERS, BODIES)
def test_single_event_parsing_never_crashes(headers: dict[str, str], body: bytes) -> None:
    _outcome(headers, body)


@settings(max_examples=800)
@given(MEDIA, BODIES, st.integers(min_value=1, max_value=5))
def test_batch_parsing_never_crashes(media: str, body: bytes, limit: int) -> None:
    try:
        items = cloudevents.batch({"content-type": media}, body, limit)
    except Problem as problem:
        assert problem.slug in PROBLEM_TYPES
        return
    assert isinstance(items, list) and len(items) <= limit
    for item in items:
        if isinstance(item, dict):
            try:
                parse_event(item)
            except InvalidEvent as invalid:
                assert invalid.problems


PRINTABLE = st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=20)
WIRE_HEADERS = st.fixed_dictionaries(
    {"content-type": MEDIA},
    optional={
        "ce-specversion": PRINTABLE,
        "ce-id": PRINTABLE,
        "ce-source": st.sampled_from(["shop", "wms", "%zz"]),
        "ce-type": st.sampled_from(["sales_order.placed", "nope"]),
        "ce-time": PRINTABLE,
        "ce-subject": PRINTABLE,
    },
)


@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_the_server_answers_every_bad_body_with_a_problem_document(
    running: RunningHub, data: st.DataObject
) -> None:
    token, _ = running.key(rate_limit=1e6)
    with running.client(token) as client:
        for _ in range(40):
            headers, body = data.draw(WIRE_HEADERS), data.draw(BODIES)
            response = client.post("/v1/events", content=body, headers=headers)
            assert response.status_code in (202, 400, 403, 409, 415, 422), response.text
            if response.status_code != 202:
                assert response.headers["content-type"] == "application/problem+json"
                document = response.json()
                assert document["status"] == response.status_code
                assert document["type"].startswith("/problems/")
