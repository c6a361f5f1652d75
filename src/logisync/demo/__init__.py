"""The demo: a compressed business day driven through the hub, printed as it happens."""
