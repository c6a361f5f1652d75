"""The ``edi_partner_sim`` pytest fixture: simulated EDI partners for a test, stopped after it.

Registered as a ``pytest11`` plugin beside ``odoo_sim`` and ``carrier_hub_sim``::

    def test_intake(edi_partner_sim, tmp_path):
        partner = edi_partner_sim(seed=3)     # inbox/outbox default to tmp_path folders
        partner.drop("purchase_order")

The keyword arguments are those of ``logisync.testing.edi_partner.edi_partner``. Nothing is
imported until a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from logisync.testing.edi_partner.running import EdiPartnerSim


@pytest.fixture
def edi_partner_sim(tmp_path: Path) -> Iterator[Callable[..., EdiPartnerSim]]:
    """A factory of partners: ``edi_partner_sim(seed=0, inbox=..., outbox=..., faults=...)``."""
    from logisync.testing.edi_partner.running import edi_partner

    with ExitStack() as partners:

        def start(**options: Any) -> EdiPartnerSim:
            if "post_to" not in options:
                options.setdefault("inbox", tmp_path / "edi-inbox")
            options.setdefault("outbox", tmp_path / "edi-outbox")
            return partners.enter_context(edi_partner(**options))

        yield start
