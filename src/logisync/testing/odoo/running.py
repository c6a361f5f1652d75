"""``odoo_sim()``: an Odoo test server running on loopback for the length of a ``with`` block.

It opens the ORM engine on a SQLite file (a temporary one unless ``path`` is given, so a test
starts from a freshly installed database), serves it with the protocol server in a background
thread, and yields an ``OdooSim`` handle: where it listens, which database and version it
presents, the integration user's credentials, and the controls for faults and call counters.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from logisync.core.clock import Clock
from logisync.testing.odoo.faults import FaultPlan
from logisync.testing.odoo.orm import DEFAULT_USERS, INTEGRATION, OdooDatabase, UserSeed
from logisync.testing.odoo.orm.custom_fields import CustomFields
from logisync.testing.odoo.server import SimControl, create_odoo_app
from logisync.testing.serving import serving

# A withheld answer must not hold the server's shutdown for its whole hang.
SHUTDOWN_GRACE_SECONDS = 1


@dataclass(frozen=True)
class OdooUser:
    """A user's credentials: the password and the API key both work on XML-RPC and
    JSON-RPC; only the API key works on JSON-2."""

    uid: int
    login: str
    password: str
    api_key: str


@dataclass
class OdooSim:
    """A running Odoo test server; ``faults`` can be replaced while it runs."""

    url: str
    database: str
    version: int
    user: OdooUser
    backend: OdooDatabase
    control: SimControl

    @property
    def faults(self) -> FaultPlan:
        return self.control.faults

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self.control.faults = plan

    def maintenance_for(self, seconds: float) -> FaultPlan:
        return self.control.maintenance_for(seconds)

    def calls(self) -> dict[str, int]:
        """RPCs received, by protocol, by service method and by model method."""
        return self.control.calls()

    def reset_calls(self) -> None:
        self.control.reset_calls()


def user_of(backend: OdooDatabase, seed: UserSeed) -> OdooUser:
    uid = backend.login(backend.database, seed.login, seed.password)
    if uid is False:
        raise ValueError(f"the database has no user {seed.login!r} with that password")
    api_key = seed.api_keys[0] if seed.api_keys else ""
    return OdooUser(uid=uid, login=seed.login, password=seed.password, api_key=api_key)


@contextmanager
def odoo_sim(
    version: int = 17,
    *,
    path: str | Path | None = None,
    database: str = "odoo",
    faults: FaultPlan | None = None,
    list_db: bool = True,
    users: Sequence[UserSeed] = DEFAULT_USERS,
    integration_user: UserSeed = INTEGRATION,
    clock: Clock | None = None,
    custom_fields: CustomFields | None = None,
) -> Iterator[OdooSim]:
    """Serve an Odoo ``version`` (16-19) database until the block ends.

    ``users`` seed a new database; ``integration_user`` (one of them) is the handle's
    ``user``. ``custom_fields`` adds ``x_`` fields to models, as Studio would.
    ``list_db=False`` makes listing the databases AccessDenied, as Odoo's option.
    """
    with ExitStack() as stack:
        if path is None:
            path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "odoo.sqlite"
        backend = OdooDatabase(
            path,
            version=version,
            database=database,
            users=users,
            clock=clock,
            custom_fields=custom_fields,
        )
        stack.callback(backend.close)
        app = create_odoo_app(backend, faults, list_db=list_db, clock=clock)
        url = stack.enter_context(serving(app, timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS))
        yield OdooSim(
            url=url,
            database=database,
            version=version,
            user=user_of(backend, integration_user),
            backend=backend,
            control=app.control,
        )
