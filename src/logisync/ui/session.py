"""Signed session cookies and CSRF tokens.

A session is a signed cookie (HMAC-SHA256 with the dashboard's secret) holding who logged in,
the role they had, when it ends and a random CSRF token. Nothing else is stored, so every hub
process that shares the secret accepts it. The role in the cookie is not trusted alone: each
request reads the account (or API key) again, so that disabling it ends its sessions at once.

CSRF: every POST carries the session's token, as the form field ``csrf`` or the header
``X-CSRF-Token`` (htmx sends it from ``hx-headers``); the login form, which has no session
yet, carries the token of a short-lived login cookie instead (double submit).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import orjson

from logisync.core.accounts import ROLES, Role

COOKIE = "logisync_session"
LOGIN_COOKIE = "logisync_login"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Session:
    actor: str  # ``user:<name>`` or ``key:<key id>``: what the audit log names
    role: Role
    csrf: str
    expires: int  # unix seconds

    @property
    def name(self) -> str:
        return self.actor.split(":", 1)[1]


def new_session(actor: str, role: Role, expires: datetime) -> Session:
    return Session(actor, role, secrets.token_urlsafe(24), int(expires.timestamp()))


def sign(session: Session, secret: bytes) -> str:
    body = orjson.dumps(
        {"a": session.actor, "r": session.role, "c": session.csrf, "e": session.expires}
    )
    payload = base64.urlsafe_b64encode(body).decode().rstrip("=")
    return f"{payload}.{_mac(payload, secret)}"


def verify(cookie: str | None, secret: bytes, now: datetime) -> Session | None:
    """The session of a cookie that is intact and not expired; None otherwise."""
    if not cookie or "." not in cookie:
        return None
    payload, mac = cookie.rsplit(".", 1)
    if not hmac.compare_digest(mac, _mac(payload, secret)):
        return None
    try:
        data = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        session = Session(str(data["a"]), data["r"], str(data["c"]), int(data["e"]))
    except (ValueError, KeyError, TypeError):
        return None
    if session.role not in ROLES or session.expires <= now.timestamp():
        return None
    return session


def token_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def _mac(payload: str, secret: bytes) -> str:
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
