"""Every carrier parser, fed arbitrary bytes or mutated valid payloads, returns problems and
scans, never an exception (and the drafts it leads to never raise either)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logisync.connectors.carriers.dhl import parse_dhl
from logisync.connectors.carriers.events import draft_events
from logisync.connectors.carriers.fedex import parse_fedex
from logisync.connectors.carriers.scans import ParsedScans
from logisync.connectors.carriers.ups import parse_ups
from logisync.connectors.carriers.usps import parse_usps

GOLDEN = Path(__file__).parents[2] / "golden" / "carriers"
PARSERS: list[tuple[str, Callable[[bytes], ParsedScans], str]] = [
    ("ups", parse_ups, "ups_track_alert.json"),
    ("ups", parse_ups, "ups_track_response.json"),
    ("fedex", parse_fedex, "fedex_track_response.json"),
    ("dhl", parse_dhl, "dhl_tracking_response.json"),
    ("usps", parse_usps, "usps_tracking_response.json"),
]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replace(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    container = document
    for step in path[:-1]:
        container = container[step]
    container[path[-1]] = new
    return document


def _check(parse: Callable[[bytes], ParsedScans], source: str, body: bytes) -> None:
    parsed = parse(body)
    assert isinstance(parsed, ParsedScans)
    drafted = draft_events(parsed, source)
    assert all(p.message for p in drafted.problems)


@pytest.mark.parametrize(("source", "parse", "_"), PARSERS, ids=[p[2] for p in PARSERS])
@FUZZ
@given(body=st.binary(max_size=300))
def test_arbitrary_bytes(
    source: str, parse: Callable[[bytes], ParsedScans], _: str, body: bytes
) -> None:
    _check(parse, source, body)


@pytest.mark.parametrize(("source", "parse", "golden"), PARSERS, ids=[p[2] for p in PARSERS])
@FUZZ
@given(data=st.data())
def test_mutated_valid_payloads(
    source: str, parse: Callable[[bytes], ParsedScans], golden: str, data: st.DataObject
) -> None:
    document = orjson.loads((GOLDEN / golden).read_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)))
        document = _replace(document, path, data.draw(json_values))
    _check(parse, source, orjson.dumps(document))


@pytest.mark.parametrize(("source", "parse", "golden"), PARSERS, ids=[p[2] for p in PARSERS])
@FUZZ
@given(cut=st.integers(0, 4000))
def test_truncated_payloads(
    source: str, parse: Callable[[bytes], ParsedScans], golden: str, cut: int
) -> None:
    body = (GOLDEN / golden).read_bytes()
    _check(parse, source, body[:cut])
