"""Times the Odoo connector writes: Odoo's ``YYYY-MM-DD HH:MM:SS`` with a four-digit year."""

from __future__ import annotations

from typing import Any, cast

import pytest

from logisync.connectors.odoo.poller import OdooPoller
from logisync.connectors.odoo.records import odoo_datetime
from logisync.connectors.odoo.rpc import OdooRpc
from logisync.core.journal import Journal
from logisync.core.ports import Store


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("2026-03-01T11:00:00Z", "2026-03-01 11:00:00"),
        ("0001-01-01T00:00:00Z", "0001-01-01 00:00:00"),
        ("0999-12-31T23:59:59+00:00", "0999-12-31 23:59:59"),
    ],
)
def test_a_stored_time_is_written_with_a_four_digit_year(stored: str, written: str) -> None:
    """glibc's strftime writes year 1 as "1": an order placed at 0001-01-01T00:00Z (a valid
    canonical time) went to Odoo's date_order as "1-01-01 00:00:00"."""
    assert odoo_datetime(stored) == written


class _Rpc:
    def __init__(self) -> None:
        self.domains: list[list[Any]] = []

    def uid(self) -> int:
        return 2

    def call(self, model: str, method: str, **params: Any) -> Any:
        self.domains.append(params["domain"])
        return []


class _Store:
    def __init__(self, write_date: str) -> None:
        self.write_date = write_date

    def source_cursor(self, source: str, model: str) -> dict[str, Any]:
        return {"write_date": self.write_date}


@pytest.mark.parametrize(
    ("cursor", "since"),
    [
        ("2026-03-01 10:00:00", "2026-03-01 09:57:00"),
        ("0001-01-01 05:00:00", "0001-01-01 04:57:00"),
        ("0001-01-01 00:01:00", "0001-01-01 00:00:00"),
    ],
)
def test_the_poll_reads_from_the_cursor_less_the_overlap_with_a_four_digit_year(
    cursor: str, since: str
) -> None:
    """The cursor is the newest write_date Odoo answered. One in year 1 was asked back as
    "1-01-01 04:57:00" (unpadded by glibc); one in the first three minutes of year 1 raised
    OverflowError out of every poll: the overlap reached back before the calendar's start."""
    rpc = _Rpc()
    store = cast(Store, _Store(cursor))
    poller = OdooPoller(
        cast(OdooRpc, rpc), store, source="odoo", domains=["partner"], journal=Journal(store)
    )
    poller.poll_once()
    [domain] = rpc.domains
    assert ["write_date", ">=", since] in domain
