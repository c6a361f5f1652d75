"""A warehouse management system: the messages it sends the hub, and releasing orders to it."""
