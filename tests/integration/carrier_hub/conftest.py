from __future__ import annotations

from collections.abc import Iterator

import pytest
from carrier_hub_receiver import Receiver

from logisync.testing.serving import serving


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    """A running receiver and its base URL."""
    target = Receiver()
    with serving(target.app()) as url:
        yield target, url
