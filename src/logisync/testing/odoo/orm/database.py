"""``OdooDatabase``: one simulated Odoo database, the ``backend.OdooBackend`` the protocol
server talks to.

Each ``execute`` is one transaction, like an Odoo RPC call: its start time is every
``write_date`` it sets; it commits when the method returns and rolls back when it raises.
An Odoo exception passes through; a database constraint violation becomes Odoo's
ValidationError; anything else becomes a server error carrying the traceback text, as
XML-RPC fault 1 does. A test can make the next calls fail with a serialization failure
(after doing their work and rolling it back), which is how PostgreSQL conflicts look to a
client once Odoo has given up retrying.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from logisync.core.clock import Clock, SystemClock
from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import auth, dispatch
from logisync.testing.odoo.orm.custom_fields import CustomFields, with_custom_fields
from logisync.testing.odoo.orm.environment import SUPERUSER_ID, Env, Transaction
from logisync.testing.odoo.orm.integrity import IntegrityViolation, as_validation_error
from logisync.testing.odoo.orm.models import build_registry, index_columns
from logisync.testing.odoo.orm.seed import seed
from logisync.testing.odoo.orm.storage import RecordStore
from logisync.testing.odoo.orm.versions import VersionProfile


class OdooDatabase:
    """A simulated Odoo ``version`` database named ``database``, kept in the SQLite file
    ``path`` (created and seeded with ``users`` if new; reopening keeps everything).

    Calls are expected one at a time (the protocol server serializes them). ``clock`` gives
    the transaction times and the login cooldown's time (UTC).
    """

    def __init__(
        self,
        path: str | Path,
        version: int = 17,
        database: str = "odoo",
        users: Sequence[auth.UserSeed] | None = None,
        clock: Clock | None = None,
        custom_fields: CustomFields | None = None,
    ) -> None:
        self.version = version
        self.database = database
        self.profile = VersionProfile(version)
        self._clock = clock or SystemClock()
        self._registry = with_custom_fields(build_registry(self.profile), custom_fields or {})
        self._store = RecordStore(str(path), index_columns(self._registry))
        self._guard = auth.LoginGuard()
        self._failures_to_inject = 0
        self._open(users if users is not None else auth.DEFAULT_USERS)

    def _open(self, users: Sequence[auth.UserSeed]) -> None:
        stored = self._store.meta("version")
        if stored is None:
            self._store.set_meta("version", str(self.version))
            self._store.set_meta("database", self.database)
            self._run(SUPERUSER_ID, lambda env: seed(env, users))
        elif stored != str(self.version):
            self._store.close()
            raise ValueError(f"this file holds an Odoo {stored} database, not {self.version}")

    def close(self) -> None:
        self._store.close()

    # -- the OdooBackend port ---------------------------------------------------------------

    def version_info(self) -> dict[str, Any]:
        return self.profile.version_info()

    def login(self, db: str, login: str, password: str) -> int | Literal[False]:
        now = self._now()
        self._check_database(db)
        if not password:
            return False  # refused before the cooldown counts it, as in Odoo
        self._guard.check(now)
        row = auth.find_login(self._store, login)
        if row is None or not auth.credentials_match(row, password):
            self._guard.failed(now)
            return False
        self._guard.succeeded()
        return int(row["id"])

    def check(self, db: str, uid: int, password: str) -> None:
        now = self._now()
        self._check_database(db)
        if not password:
            raise errors.AccessDenied()
        self._guard.check(now)
        row = self._store.get("res.users", uid)
        if row is None or not row.get("active") or not auth.credentials_match(row, password):
            self._guard.failed(now)
            raise errors.AccessDenied()
        self._guard.succeeded()

    def uid_for_api_key(self, key: str) -> int | None:
        return auth.user_for_key(self._store, key)

    def execute(
        self, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        return self._run(uid, lambda env: dispatch.call(env, model, method, args, kwargs))

    def method_parameters(self, model: str, method: str) -> tuple[list[str], bool]:
        env = self._env(SUPERUSER_ID)
        return dispatch.method_parameters(env, model, method)

    def models(self) -> list[str]:
        return sorted(self._registry)

    # -- for tests and the fault layer ------------------------------------------------------

    def inject_serialization_failures(self, count: int) -> None:
        """Make the next ``count`` calls do their work, roll it back and raise
        ``errors.SerializationFailure``."""
        self._failures_to_inject = count

    # -- internals --------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock.now().astimezone(UTC).replace(tzinfo=None)

    def _check_database(self, db: str) -> None:
        if db != self.database:
            raise errors.AccessDenied()

    def _env(self, uid: int) -> Env:
        txn = Transaction(self._store, self._registry, self.profile, self._now())
        return Env(txn, uid, {}, su=uid == SUPERUSER_ID)

    def _run(self, uid: int, work: Any) -> Any:
        """One transaction around ``work(env)``."""
        env = self._env(uid)
        try:
            result = work(env)
            if self._failures_to_inject > 0:
                self._failures_to_inject -= 1
                raise errors.SerializationFailure()
        except errors.OdooError:
            self._store.rollback()
            raise
        except IntegrityViolation as violation:
            self._store.rollback()
            raise as_validation_error(env, violation) from violation
        except Exception as exc:
            self._store.rollback()
            raise errors.OdooError(traceback.format_exc()) from exc
        self._store.commit()
        return result
