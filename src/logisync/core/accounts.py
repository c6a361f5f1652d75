"""Dashboard accounts: people who log in with a name and password, each with one role.

Roles are ordered: a ``viewer`` reads with personal data masked, an ``operator`` also sees
personal data, replays dead letters and decides conflicts, an ``admin`` also reads the audit
log. An API key may log in too; its scopes map to a role (``role_for_scopes``), so a key never
gets more through the dashboard than through the API.

Passwords are hashed with scrypt (stdlib ``hashlib.scrypt``), salted per account and compared
in constant time. Unlike API key secrets (256 random bits, hashed with one SHA-256), people pick
passwords, so a slow, memory-hard hash is what protects them if the store leaks. Every check
here is pure; the store keeps the records and the audit trail.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from logisync.core.clock import utc_text
from logisync.core.keys import ADMIN, READ

Role = Literal["viewer", "operator", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "operator", "admin")

# scrypt cost: n=2**14, r=8 takes ~16 MiB and ~50 ms, OWASP's floor for interactive logins.
_N, _R, _P, _LENGTH = 2**14, 8, 1, 32
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 10


@dataclass(frozen=True, slots=True)
class DashboardUser:
    """The stored form of an account: never the password itself."""

    name: str
    role: Role
    password_hash: str  # scrypt$n$r$p$salt_hex$hash_hex
    created_at: str
    disabled_at: str | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None


def may(role: Role, needed: Role) -> bool:
    """Whether ``role`` includes what ``needed`` may do (admin > operator > viewer)."""
    return ROLES.index(role) >= ROLES.index(needed)


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_LENGTH, maxmem=64 * 1024 * 1024
    )
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def password_matches(stored: str, password: str) -> bool:
    """Constant-time comparison of ``password`` with a ``hash_password`` result."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected) // 2,
            maxmem=64 * 1024 * 1024,
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def new_user(name: str, role: Role | str, password: str, now: datetime) -> DashboardUser:
    """A fresh account; ``ValueError`` says what is wrong with the name, role or password."""
    if not _NAME.match(name):
        raise ValueError(
            f"{name!r} is not a valid user name: 1-64 letters, digits or . _ @ -, "
            "starting with a letter or digit"
        )
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
    checked: Role = next(r for r in ROLES if r == role)
    return DashboardUser(name, checked, hash_password(password), utc_text(now))


@functools.cache
def _dummy() -> str:
    """A hash to compare against when the user does not exist, so that the answer takes as
    long for an unknown name as for a wrong password (no user enumeration by timing). Made on
    first use: a scrypt costs ~70 ms and 16 MiB, not worth paying in every importing process."""
    return hash_password("not a password", salt=b"\0" * 16)


def check_login(user: DashboardUser | None, password: str) -> str | None:
    """None when the login may proceed; else why not (for the audit log, not for the user)."""
    if user is None:
        password_matches(_dummy(), password)
        return "no such user"
    if not password_matches(user.password_hash, password):
        return "wrong password"
    if not user.active:
        return f"the account was disabled at {user.disabled_at}"
    return None


def role_for_scopes(scopes: frozenset[str]) -> Role | None:
    """The dashboard role of an API key: ``admin`` scope -> admin; ``events:read`` -> viewer;
    anything else (a sender's ``events:submit`` key) may not log in. ``pii:read`` does not
    raise a key above viewer: unmasking through the dashboard is for operator accounts, whose
    actions name a person in the audit log."""
    if ADMIN in scopes:
        return "admin"
    if READ in scopes:
        return "viewer"
    return None
