"""``sqlite:///PATH[?busy_timeout_ms=N]``: the one option is checked, never ignored."""

from __future__ import annotations

import pytest

from logisync.errors import StoreError
from logisync.store.sqlite.store import MAX_BUSY_TIMEOUT_MS, sqlite_target


def test_a_plain_path_waits_ten_seconds_for_another_writer() -> None:
    assert sqlite_target("sqlite:////var/lib/hub.db") == ("/var/lib/hub.db", 10_000)
    assert sqlite_target("sqlite:///hub.db") == ("hub.db", 10_000)


def test_the_busy_timeout_is_taken_from_the_query() -> None:
    assert sqlite_target("sqlite:////x/hub.db?busy_timeout_ms=250") == ("/x/hub.db", 250)
    assert sqlite_target("sqlite:///h.db?busy_timeout_ms=0") == ("h.db", 0)
    top = f"sqlite:///h.db?busy_timeout_ms={MAX_BUSY_TIMEOUT_MS}"
    assert sqlite_target(top) == ("h.db", MAX_BUSY_TIMEOUT_MS)


@pytest.mark.parametrize(
    "query",
    [
        "busy_timeout_ms=",
        "busy_timeout_ms=-1",
        "busy_timeout_ms=1.5",
        "busy_timeout_ms=١٢",  # Arabic-Indic digits: isdigit() but not ASCII
        f"busy_timeout_ms={MAX_BUSY_TIMEOUT_MS + 1}",
        "busy_timeout_ms=10&busy_timeout_ms=20",
        "timeout=10",
        "busy_timeout_ms=10&mode=ro",
        "odd",
        "busy_timeout_ms=" + "9" * 5000,  # past int()'s digit limit: still our message
    ],
)
def test_anything_else_after_the_question_mark_is_refused_with_what_is_allowed(
    query: str,
) -> None:
    with pytest.raises(StoreError, match=r"the one option is busy_timeout_ms=N") as error:
        sqlite_target(f"sqlite:///hub.db?{query}")
    assert "'?' in a file name is not supported" in str(error.value)


def test_a_url_of_another_scheme_is_not_an_sqlite_target() -> None:
    with pytest.raises(StoreError, match="not an SQLite store URL"):
        sqlite_target("postgresql://localhost/hub")
