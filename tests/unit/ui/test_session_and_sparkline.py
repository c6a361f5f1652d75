"""Session cookies (signed, expiring, tamper-evident) and the server-side sparklines."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta

from logisync.ui.health import sparkline
from logisync.ui.session import new_session, sign, token_matches, verify

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
SECRET = b"k" * 32


def test_a_signed_session_comes_back_until_it_expires() -> None:
    session = new_session("user:ann", "operator", NOW + timedelta(hours=8))
    cookie = sign(session, SECRET)
    assert verify(cookie, SECRET, NOW) == session
    assert verify(cookie, SECRET, NOW + timedelta(hours=8)) is None
    assert verify(cookie, b"another secret", NOW) is None
    assert verify(None, SECRET, NOW) is None and verify("garbage", SECRET, NOW) is None


def test_a_cookie_whose_role_was_raised_is_refused() -> None:
    cookie = sign(new_session("user:ann", "viewer", NOW + timedelta(hours=1)), SECRET)
    payload, mac = cookie.rsplit(".", 1)
    body = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    raised = base64.urlsafe_b64encode(body.replace(b"viewer", b"admin")).decode().rstrip("=")
    assert verify(f"{raised}.{mac}", SECRET, NOW) is None


def test_csrf_tokens_differ_per_session_and_compare_exactly() -> None:
    one = new_session("user:ann", "viewer", NOW)
    two = new_session("user:ann", "viewer", NOW)
    assert one.csrf != two.csrf and len(one.csrf) >= 32
    assert token_matches(one.csrf, one.csrf)
    assert not token_matches(one.csrf, two.csrf)
    assert not token_matches(one.csrf, None) and not token_matches(one.csrf, "")


def test_a_sparkline_scales_to_its_peak() -> None:
    svg = str(sparkline([0, 5, 10], width=100, height=22))
    points = re.search(r'points="([^"]+)"', svg)
    assert points is not None
    assert points.group(1) == "0.0,21.0 50.0,11.0 100.0,1.0"
    assert "peak 10 per minute, now 10" in svg
    flat = str(sparkline([0, 0, 0]))
    assert 'points="0.0,23.0 60.0,23.0 120.0,23.0"' in flat
