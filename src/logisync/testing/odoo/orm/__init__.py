"""The Odoo test server's ORM engine: models, records and business actions of Odoo 16-19
kept in a SQLite file, behind the ``backend.OdooBackend`` port.

``OdooDatabase(path, version=17, database="odoo", users=None, clock=None)`` is the engine:
the port's methods, plus ``inject_serialization_failures(n)`` for the fault layer and
``close()``. ``UserSeed`` describes the users a new database is created with;
``DEFAULT_USERS`` are ``ADMIN`` (uid 2, admin/admin), ``INTEGRATION`` (uid 3,
integration/integration, sales, stock and invoicing rights, no access to external ids) and
``READ_ONLY`` (uid 4, readonly/readonly), each with an API key in ``api_keys``.
"""

from __future__ import annotations

from logisync.testing.odoo.orm.auth import (
    ADMIN,
    DEFAULT_USERS,
    INTEGRATION,
    READ_ONLY,
    UserSeed,
)
from logisync.testing.odoo.orm.database import OdooDatabase

__all__ = ["ADMIN", "DEFAULT_USERS", "INTEGRATION", "READ_ONLY", "OdooDatabase", "UserSeed"]
