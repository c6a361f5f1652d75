"""Dashboard accounts: scrypt hashes, login checks, roles and the key-scope mapping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from logisync.core.accounts import (
    ROLES,
    check_login,
    hash_password,
    may,
    new_user,
    password_matches,
    role_for_scopes,
)
from logisync.core.keys import ADMIN, PII, READ, SUBMIT

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def test_a_password_hash_is_salted_and_only_its_password_matches() -> None:
    first, second = hash_password("a long password"), hash_password("a long password")
    assert first != second  # a fresh salt each time
    assert first.startswith("scrypt$16384$8$1$") and "a long password" not in first
    assert password_matches(first, "a long password") and password_matches(
        second, "a long password"
    )
    assert not password_matches(first, "a long passwore")
    assert not password_matches("garbage", "a long password")
    assert not password_matches("md5$1$1$1$00$00", "a long password")


def test_a_login_is_refused_for_an_unknown_name_a_wrong_password_or_a_disabled_account() -> None:
    user = new_user("ann", "operator", "correct horse battery", NOW)
    assert check_login(user, "correct horse battery") is None
    assert check_login(user, "wrong") == "wrong password"
    assert check_login(None, "correct horse battery") == "no such user"
    disabled = replace(user, disabled_at="2026-11-23T10:00:00Z")
    assert check_login(disabled, "correct horse battery") == (
        "the account was disabled at 2026-11-23T10:00:00Z"
    )
    assert check_login(disabled, "wrong") == "wrong password"  # no hint that it exists


@pytest.mark.parametrize(
    ("name", "role", "password", "error"),
    [
        ("ann smith", "viewer", "long enough pw", "not a valid user name"),
        ("ann", "root", "long enough pw", "unknown role"),
        ("ann", "viewer", "short", "at least 10"),
    ],
)
def test_a_new_account_is_checked(name: str, role: str, password: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        new_user(name, role, password, NOW)


def test_roles_are_ordered() -> None:
    assert [may(role, "operator") for role in ROLES] == [False, True, True]
    assert all(may(role, "viewer") for role in ROLES)
    assert [may(role, "admin") for role in ROLES] == [False, False, True]


def test_key_scopes_map_to_roles() -> None:
    assert role_for_scopes(frozenset({ADMIN})) == "admin"
    assert role_for_scopes(frozenset({READ})) == "viewer"
    assert role_for_scopes(frozenset({READ, PII})) == "viewer"
    assert role_for_scopes(frozenset({SUBMIT})) is None
    assert role_for_scopes(frozenset({PII})) is None
