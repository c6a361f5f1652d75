"""Any bytes sent to the hub's request-parsing endpoints get a 4xx that says why, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logisync.testing.carrier_hub import CarrierHubSim, carrier_hub


@pytest.fixture(scope="module")
def client() -> Iterator[tuple[CarrierHubSim, httpx.Client]]:
    with carrier_hub(seed=1) as carriers, httpx.Client(base_url=carriers.url) as http:
        yield carriers, http


@settings(max_examples=40, deadline=None)
@given(raw=st.binary(max_size=200))
def test_fedex_track_requests(client: tuple[CarrierHubSim, httpx.Client], raw: bytes) -> None:
    _, http = client
    answer = http.post(
        "/track/v1/trackingnumbers",
        content=raw,
        headers={"Authorization": "Bearer fedex-test-token"},
    )
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 400:
        assert answer.json()["errors"][0]["message"]


@settings(max_examples=40, deadline=None)
@given(raw=st.binary(max_size=200))
def test_sim_controls(client: tuple[CarrierHubSim, httpx.Client], raw: bytes) -> None:
    carriers, http = client
    before = carriers.now()
    for path, method in (("/__sim__/faults", "PUT"), ("/__sim__/advance", "POST")):
        answer = http.request(method, path, content=raw)
        assert answer.status_code in (200, 422), answer.text
    assert carriers.now() >= before
