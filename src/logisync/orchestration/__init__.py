"""Orchestrations over the projections: business SLA monitors (``monitors``)."""
