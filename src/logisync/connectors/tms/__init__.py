"""A transport management system: the messages it sends the hub (routes, hand-over, POD)."""
