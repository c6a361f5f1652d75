"""Who may call: users, passwords, API keys and the login cooldown.

Passwords and API keys are kept hashed in the user's row (never readable through
``read``). An API key works wherever a password does on XML-RPC and JSON-RPC, and is the
only credential JSON-2 accepts. After 5 failed attempts, every login is refused for 60
seconds with Odoo's message (Odoo counts per client address; this simulation has one).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from logisync.testing.odoo import errors

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.storage import RecordStore, Row

COOLDOWN_AFTER = 5
COOLDOWN = timedelta(seconds=60)
COOLDOWN_MESSAGE = "Too many login failures, please wait a bit before trying again."

SALES_STOCK_BILLING = (
    "base.group_user",
    "base.group_partner_manager",
    "base.group_allow_export",
    "sales_team.group_sale_salesman",
    "sales_team.group_sale_manager",
    "stock.group_stock_user",
    "stock.group_stock_manager",
    "account.group_account_invoice",
)


@dataclass(frozen=True)
class UserSeed:
    """A user the database is created with. ``groups`` are external ids of ``res.groups``;
    ``api_keys`` work as passwords (and as JSON-2 bearer tokens)."""

    login: str
    password: str
    name: str
    groups: tuple[str, ...]
    api_keys: tuple[str, ...] = ()
    tz: str = "Europe/Brussels"
    lang: str = "en_US"
    email: str | None = None


ADMIN = UserSeed(
    "admin",
    "admin",
    "Mitchell Admin",
    (
        "base.group_user",
        "base.group_erp_manager",
        "base.group_system",
        "base.group_allow_export",
        *SALES_STOCK_BILLING[3:],
    ),
    api_keys=("admin-api-key-5b2f0c1e9d7a4e3c8f6b1a2d",),
    email="admin@example.com",
)
INTEGRATION = UserSeed(
    "integration",
    "integration",
    "Integration",
    SALES_STOCK_BILLING,
    api_keys=("integration-api-key-7c4e1f2a9b8d6e5c3a1f0b9d",),
    email="integration@example.com",
)
READ_ONLY = UserSeed(
    "readonly",
    "readonly",
    "Read-only Auditor",
    ("base.group_user", "logisync.group_read_only"),
    api_keys=("readonly-api-key-2e9d8c7b6a5f4e3d2c1b0a9f",),
    email="readonly@example.com",
)
DEFAULT_USERS = (ADMIN, INTEGRATION, READ_ONLY)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class LoginGuard:
    """Odoo's login cooldown: failures since the last success, and when the last one was."""

    failures: int = 0
    last_failure: datetime = field(default_factory=lambda: datetime.min)

    def check(self, now: datetime) -> None:
        if self.failures >= COOLDOWN_AFTER and now - self.last_failure < COOLDOWN:
            raise errors.AccessDenied(COOLDOWN_MESSAGE)

    def failed(self, now: datetime) -> None:
        self.failures += 1
        self.last_failure = now

    def succeeded(self) -> None:
        self.failures = 0


def credentials_match(row: Row, secret: str) -> bool:
    """The password, or one of the user's API keys."""
    if not secret:
        return False
    hashed = digest(secret)
    if hmac.compare_digest(str(row.get("_password") or ""), hashed):
        return True
    return any(hmac.compare_digest(key, hashed) for key in row.get("_api_keys") or [])


def find_login(store: RecordStore, login: str) -> Row | None:
    for row in store.rows("res.users"):
        if row.get("login") == login and row.get("active"):
            return row
    return None


def user_for_key(store: RecordStore, key: str) -> int | None:
    if not key:
        return None
    hashed = digest(key)
    for row in store.rows("res.users"):
        if row.get("active") and any(
            hmac.compare_digest(k, hashed) for k in row.get("_api_keys") or []
        ):
            return int(row["id"])
    return None
