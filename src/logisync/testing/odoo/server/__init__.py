"""The Odoo protocol server: Odoo's external APIs over an ``OdooBackend``, with faults.

``create_odoo_app(backend, faults)`` returns an ASGI app; serve it with
``logisync.testing.serving.serving`` or uvicorn, and steer it with ``app.control``.
"""

from logisync.testing.odoo.server.admin import SimControl
from logisync.testing.odoo.server.app import OdooApp, create_odoo_app

__all__ = ["OdooApp", "SimControl", "create_odoo_app"]
