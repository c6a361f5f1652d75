"""API keys: what a sender holds, what the hub keeps, and what a key may do.

A key is shown once as ``lsk_<id>_<secret>``. The hub keeps the id in clear (to find the key
without scanning) and only a SHA-256 of the secret: the secret is 256 random bits, so a slow
password hash would add latency to every request and no protection. Every check here is pure;
the store keeps the records and the audit trail.
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from logisync.core.clock import utc_text
from logisync.model.stewardship import STEWARD, is_acceptance

PREFIX = "lsk"
SUBMIT = "events:submit"
READ = "events:read"
PII = "pii:read"
ADMIN = "admin"
SCOPES = (SUBMIT, READ, PII, ADMIN)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """The stored form of a key: never the secret itself."""

    key_id: str
    system: str | None  # the one system whose events the key may submit
    scopes: frozenset[str]
    event_types: tuple[str, ...]  # patterns such as ``shipment.*``; empty means every type
    secret_hash: str
    label: str
    created_at: str
    expires_at: str | None = None
    revoked_at: str | None = None
    replaces: str | None = None  # the key this one rotated
    rate_limit: float | None = None  # requests per second; None: the hub's default

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= utc_text(now):
            return "expired"
        return "active"


class KeyRefused(Exception):
    """Why a request's key does not let it through; ``status`` is 401 or 403."""

    def __init__(self, status: int, reason: str, key_id: str | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.key_id = key_id


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key(
    *,
    system: str | None,
    scopes: frozenset[str],
    event_types: tuple[str, ...] = (),
    label: str = "",
    now: datetime,
    expires_in: timedelta | None = None,
    rate_limit: float | None = None,
) -> tuple[str, ApiKey]:
    """A fresh key: the token to hand over once, and the record to store."""
    unknown = sorted(scopes - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scope {', '.join(unknown)}; scopes are {', '.join(SCOPES)}")
    if not scopes:
        raise ValueError(f"a key needs at least one scope of {', '.join(SCOPES)}")
    if SUBMIT in scopes and not system:
        raise ValueError(f"a key with {SUBMIT} belongs to one system: give --system")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    record = ApiKey(
        key_id=key_id,
        system=system,
        scopes=scopes,
        event_types=event_types,
        secret_hash=hash_secret(secret),
        label=label,
        created_at=utc_text(now),
        expires_at=utc_text(now + expires_in) if expires_in else None,
        rate_limit=rate_limit,
    )
    return f"{PREFIX}_{key_id}_{secret}", record


def rotated(old: ApiKey, *, now: datetime, overlap: timedelta) -> tuple[str, ApiKey, ApiKey]:
    """A successor with the same rights; the old key stays valid for ``overlap`` only, so
    senders can switch without a window where neither key works."""
    token, successor = new_key(
        system=old.system,
        scopes=old.scopes,
        event_types=old.event_types,
        label=old.label,
        now=now,
        rate_limit=old.rate_limit,
    )
    successor = replace(successor, replaces=old.key_id)
    ends = utc_text(now + overlap)
    if old.expires_at is None or ends < old.expires_at:
        old = replace(old, expires_at=ends)
    return token, successor, old


def parse_token(token: str) -> tuple[str, str]:
    """``lsk_<id>_<secret>`` -> (id, secret); the secret may itself contain underscores."""
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or len(key_id) != 12 or not secret or not _is_hex(key_id):
        raise KeyRefused(401, f"the API key is malformed: expected {PREFIX}_<12 hex>_<secret>")
    return key_id, secret


def authenticate(record: ApiKey | None, key_id: str, secret: str, now: datetime) -> ApiKey:
    """The key's record if the secret matches and the key is usable; KeyRefused otherwise."""
    if record is None:
        raise KeyRefused(401, f"no API key {key_id} is known", key_id)
    if not hmac.compare_digest(record.secret_hash, hash_secret(secret)):
        raise KeyRefused(401, f"the secret of API key {key_id} does not match", key_id)
    state = record.state(now)
    if state == "revoked":
        raise KeyRefused(401, f"API key {key_id} was revoked at {record.revoked_at}", key_id)
    if state == "expired":
        raise KeyRefused(401, f"API key {key_id} expired at {record.expires_at}", key_id)
    return record


def require_scope(record: ApiKey, scope: str) -> None:
    if scope not in record.scopes and ADMIN not in record.scopes:
        raise KeyRefused(
            403,
            f"API key {record.key_id} lacks the {scope} scope "
            f"(it has {', '.join(sorted(record.scopes))})",
            record.key_id,
        )


def submit_refusal(record: ApiKey, source: str, event_type: str) -> str | None:
    """Why this key may not submit an event of ``event_type`` from ``source``, or None.

    A key speaks for one system: ownership rules trust the ``source`` of an event, so a key
    that could claim any source could overwrite fields it does not own. For the same reason
    no key submits for the reserved ``steward``, who may set every governed field."""
    if SUBMIT not in record.scopes:
        return f"API key {record.key_id} lacks the {SUBMIT} scope"
    if source == STEWARD or is_acceptance(event_type):
        return (
            f"API key {record.key_id} may not submit {event_type} from {source}: a data "
            "steward's decisions are made on the dashboard, never submitted"
        )
    if source != record.system:
        return f"API key {record.key_id} submits for system '{record.system}', not '{source}'"
    if record.event_types and not any(
        fnmatch.fnmatchcase(event_type, pattern) for pattern in record.event_types
    ):
        return (
            f"API key {record.key_id} may submit {', '.join(record.event_types)}, not {event_type}"
        )
    return None


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)
