"""``logisync users create|list|disable`` as an operator runs them, on a real store file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from logisync.core.accounts import check_login
from logisync.store.sqlite import SqliteStore


def _logisync(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "logisync", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_create_list_and_disable_an_account(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "hub.db").close()  # `logisync init` made it
    store = ["--store", f"sqlite:///{tmp_path / 'hub.db'}"]
    created = _logisync(
        "users", "create", "ann", "--role", "operator", "--password-stdin", *store,
        stdin="correct horse battery\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "created ann (operator)"
    short = _logisync("users", "create", "bob", "--password-stdin", *store, stdin="short\n")
    assert short.returncode == 2 and "at least 10" in short.stderr
    listed = _logisync("users", "list", *store)
    assert listed.stdout.startswith("ann\toperator\tactive")
    assert _logisync("users", "disable", "ann", *store).stdout.strip() == "disabled ann"
    assert _logisync("users", "disable", "nobody", *store).returncode == 3  # NOT_FOUND
    hub = SqliteStore(tmp_path / "hub.db")
    user = hub.dashboard_user("ann")
    assert user is not None and "correct horse" not in user.password_hash
    assert check_login(user, "correct horse battery") == (
        f"the account was disabled at {user.disabled_at}"
    )
    actions = [(e.action, e.subject) for e in hub.audit_log()]
    assert actions == [("user.disable", "user:ann"), ("user.create", "user:ann")]
    hub.close()
