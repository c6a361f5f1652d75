"""NATS JetStream: the hub's events fanned out to a stream, and partners' events read from one."""
