"""The dashboard says when the hub runs on a simulated clock (the demo), and how fast."""

from __future__ import annotations

from pathlib import Path

import httpx

from logisync.api.app import create_app
from logisync.store.sqlite import SqliteStore
from logisync.testing.serving import serving
from logisync.ui import UiSettings


def login_page(path: Path, ui: UiSettings) -> str:
    SqliteStore(path).close()
    with serving(create_app(lambda: SqliteStore(path), ui=ui)) as url:
        answer = httpx.get(f"{url}/ui/login", timeout=10)
    assert answer.status_code == 200
    return answer.text


def test_a_simulated_clock_is_stated_with_its_speed(tmp_path: Path) -> None:
    page = login_page(tmp_path / "hub.db", UiSettings(simulated_speed=1500))
    assert "Simulated clock, 1,500&times; real time" in page
    assert "latencies are simulated" in page


def test_a_real_clock_shows_no_banner(tmp_path: Path) -> None:
    assert "Simulated clock" not in login_page(tmp_path / "hub.db", UiSettings())
