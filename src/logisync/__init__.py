"""logisync: a governed, durable, event-driven sync hub for Odoo and its logistics neighbours."""

__version__ = "0.1.0"
