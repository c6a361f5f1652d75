"""The hub's HTTP API: the routes and what they call."""
