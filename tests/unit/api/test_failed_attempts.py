"""Failed sign-ins per user name and per client address: past the limit, refused at once until
the window ends; the first refusal of a lock-out is reported, the rest counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from logisync.api.failed_attempts import FailedAttempts

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def test_the_limit_locks_each_key_that_reached_it_until_its_window_ends() -> None:
    attempts = FailedAttempts(limit=3, window=timedelta(seconds=60))
    for n in range(3):
        assert attempts.check(["user:ann", "addr:1.2.3.4"], NOW) is None
        attempts.failed(["user:ann", "addr:1.2.3.4"], NOW + timedelta(seconds=n))
    lock = attempts.check(["user:ann", "addr:9.9.9.9"], NOW + timedelta(seconds=10))
    assert lock is not None and lock.first and lock.retry_after == 50
    address = attempts.check(["user:bob", "addr:1.2.3.4"], NOW + timedelta(seconds=20))
    assert address is not None and address.first and address.retry_after == 40
    again = attempts.check(["user:ann", "addr:1.2.3.4"], NOW + timedelta(seconds=21))
    assert again is not None and not again.first
    assert attempts.check(["user:bob", "addr:9.9.9.9"], NOW + timedelta(seconds=20)) is None
    assert attempts.check(["user:ann"], NOW + timedelta(seconds=60)) is None


def test_a_lock_out_that_ended_reports_how_many_attempts_it_refused() -> None:
    attempts = FailedAttempts(limit=1, window=timedelta(seconds=60))
    attempts.failed(["addr:1.2.3.4"], NOW)
    for n in range(4):
        assert attempts.check(["addr:1.2.3.4"], NOW + timedelta(seconds=n + 1)) is not None
    assert attempts.ended(NOW + timedelta(seconds=30)) == []
    assert attempts.ended(NOW + timedelta(seconds=61)) == [("addr:1.2.3.4", 4)]
    assert attempts.ended(NOW + timedelta(seconds=62)) == []  # reported once, then forgotten


def test_a_success_clears_the_name_and_failures_age_out() -> None:
    attempts = FailedAttempts(limit=2, window=timedelta(seconds=60))
    attempts.failed(["user:ann"], NOW)
    attempts.succeeded("user:ann")
    attempts.failed(["user:ann"], NOW + timedelta(seconds=1))
    assert attempts.check(["user:ann"], NOW + timedelta(seconds=2)) is None
    attempts.failed(["user:ann"], NOW + timedelta(seconds=70))  # the first has aged out
    assert attempts.check(["user:ann"], NOW + timedelta(seconds=71)) is None
    attempts.failed(["user:ann"], NOW + timedelta(seconds=72))
    assert attempts.check(["user:ann"], NOW + timedelta(seconds=73)) is not None
