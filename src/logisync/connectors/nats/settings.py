"""A NATS system's settings, from its entry under ``systems:`` in the configuration.

```yaml
bus:
  kind: nats
  servers: [nats://10.0.0.5:4222, nats://10.0.0.6:4222]
  token: env:NATS_TOKEN          # or user: hub + password: env:NATS_PASSWORD
  stream: LOGISYNC               # deliveries are published to <subject_prefix>.<domain>.<fact>
  consume:                       # optional: the system also sends events to the hub
    stream: PARTNER_EVENTS
    durable: logisync
    filter_subject: partners.>
```

As a target (a flow's ``to:``) the connector publishes each delivery to JetStream and counts
it delivered only once the stream has acknowledged it. As a source (``consume:``) it reads a
durable pull consumer and acknowledges a message only after its event is journaled.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from logisync.config import SystemConfig
from logisync.errors import InvalidConfig, Problem

_NAME = r"^[A-Za-z0-9_-]+$"  # JetStream stream and consumer names: no dots, spaces or wildcards


class NatsConsume(BaseModel):
    """``consume:`` of a ``nats`` system: the durable pull consumer the hub reads events from.
    Each message is one CloudEvent, structured (JSON body) or binary (``ce-*`` headers)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stream: str = Field(pattern=_NAME, description="The stream the partner publishes to")
    durable: str = Field(
        default="logisync", pattern=_NAME, description="The consumer's durable name"
    )
    filter_subject: str | None = Field(
        default=None, description="Only the stream's messages on this subject (wildcards allowed)"
    )
    batch: int = Field(
        default=100, ge=1, le=1000, description="Messages per fetch and journal commit"
    )
    wait_seconds: float = Field(
        default=1.0, gt=0, le=60, description="How long one fetch waits for messages"
    )
    ack_wait_seconds: float = Field(
        default=60.0,
        gt=0,
        description="When the stream delivers again what was fetched and not acknowledged "
        "(a consumer that died); applies when the hub creates the consumer",
    )


class NatsSettings(BaseModel):
    """The kind-specific keys of a ``nats`` system (NATS JetStream)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    servers: list[str] = Field(
        default=["nats://127.0.0.1:4222"], min_length=1, description="The servers' URLs"
    )
    user: str | None = Field(default=None, description="User name (with password)")
    stream: str = Field(
        default="LOGISYNC", pattern=_NAME, description="The stream deliveries are published to"
    )
    subject_prefix: str = Field(
        default="logisync",
        pattern=r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$",
        description="Subjects are <prefix>.<domain>.<fact>; a state delivery's fact is 'state'",
    )
    create_stream: bool = Field(
        default=True,
        description="Create the stream (subjects <prefix>.>) when it does not exist",
    )
    duplicate_window_seconds: float = Field(
        default=120.0, gt=0, description="The created stream's Nats-Msg-Id de-duplication window"
    )
    ack_timeout_seconds: float = Field(
        default=5.0, gt=0, le=120, description="How long to wait for the stream's acknowledgement"
    )
    connect_timeout_seconds: float = Field(
        default=5.0, gt=0, le=120, description="How long to try to connect, per server"
    )
    batch: int = Field(default=100, ge=1, le=1000, description="Deliveries per publish batch")
    consume: NatsConsume | None = Field(default=None, description="Read events from a stream")

    @field_validator("servers")
    @classmethod
    def _nats_urls(cls, servers: list[str]) -> list[str]:
        for url in servers:
            if not url.startswith(("nats://", "tls://")) or "@" in url:
                raise ValueError(
                    f"{url!r}: a server is nats://host:port or tls://host:port, with no "
                    "credentials in it (use token, or user and password)"
                )
        return servers


def _issue(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        keys = ", ".join(NatsSettings.model_fields)
        return f"not a setting of NATS systems ({keys})"
    return error["msg"]


def settings_issues(name: str, system: SystemConfig) -> list[tuple[tuple[str | int, ...], str]]:
    """What ``check-config`` reports about a NATS system's keys."""
    issues: list[tuple[tuple[str | int, ...], str]] = []
    try:
        own = NatsSettings.model_validate(system.settings)
    except ValidationError as error:
        return [(("systems", name, *e["loc"]), _issue(e)) for e in error.errors()]
    if own.user is not None and system.password is None:
        issues.append((("systems", name), "user is given: give password: env:NAME too"))
    if system.password is not None and own.user is None:
        issues.append((("systems", name), "password is given: give the user it belongs to"))
    if system.url is not None:
        issues.append((("systems", name, "url"), "a NATS system lists its servers: servers: [...]"))
    return issues


def nats_settings(name: str, system: SystemConfig) -> NatsSettings:
    """The validated settings, or ``InvalidConfig`` naming every problem."""
    issues = settings_issues(name, system)
    if issues:
        raise InvalidConfig([Problem(".".join(map(str, where)), why) for where, why in issues])
    return NatsSettings.model_validate(system.settings)


def connect_options(system: SystemConfig, own: NatsSettings) -> dict[str, Any]:
    """``nats.connect`` keyword arguments: servers and credentials (secrets resolved here)."""
    from logisync.config import resolve_secret

    options: dict[str, Any] = {"servers": list(own.servers)}
    if system.token is not None:
        options["token"] = resolve_secret(str(system.token))
    if own.user is not None and system.password is not None:
        options["user"] = own.user
        options["password"] = resolve_secret(str(system.password))
    return options
