"""An Odoo test server: Odoo's wire protocols over a small ORM that keeps its data in SQLite.

A real Odoo cannot be installed where the hub's tests run, so this package stands in for it,
faithfully enough that ``xmlrpc.client``, ``odoorpc`` and the hub's own connector cannot tell
the difference for what integrations do (see ../shared/ODOO.md for the facts it follows).

Layers: ``errors`` (Odoo's exceptions, and how each protocol shapes them), ``backend`` (the
port between the protocols and the ORM), the ORM engine, and the protocol server with fault
injection.
"""
