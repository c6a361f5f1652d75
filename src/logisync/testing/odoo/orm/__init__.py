"""The Odoo test server's ORM engine: models, records and business actions of Odoo 16-19
kept in a SQLite file, behind the ``backend.OdooBackend`` port.

``OdooDatabase(path, version=17, database="odoo", users=None, clock=None)`` is the whole
public surface; ``UserSeed`` describes the users a new database is created with
(``DEFAULT_USERS``: admin, integration, readonly).
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
