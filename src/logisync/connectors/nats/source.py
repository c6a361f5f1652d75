"""The ``nats`` source: a partner's events read from a JetStream stream into the journal.

Each round fetches up to ``batch`` messages from a durable pull consumer, turns each into a
CloudEvent draft, and journals the valid ones in one transaction. Only then are they
acknowledged: a crash, a lost connection or a store that cannot commit leaves them
unacknowledged, the stream delivers them again, and the journal's idempotency (the event's
``(source, id)``) stores each once. A message that is not a valid event is refused for good
(``term``) with its reason in the audit log; it stays in the partner's stream, where it can be
read again after a fix.

A message is a structured CloudEvent (a JSON body) or a binary one (``ce-*`` headers around a
JSON ``data`` body). What it leaves out is filled in as the folder intake does: ``source`` is
the system (and must be, when given: a system sends only its own facts), ``id`` the message's
``Nats-Msg-Id`` or else ``<stream>-<sequence>`` (stable across redeliveries), ``time`` when the
stream stored it, ``subject`` the entity its payload names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING, Any

import orjson

from logisync.config import SystemConfig
from logisync.connectors.nats.link import NatsLink
from logisync.connectors.nats.settings import NatsConsume, connect_options, nats_settings
from logisync.core.clock import Clock, SystemClock, utc_text
from logisync.core.journal import Journal
from logisync.core.ports import AuditEntry, Store
from logisync.core.subjects import with_payload_subject
from logisync.errors import InvalidEvent, StoreError
from logisync.model import Event, parse_event

if TYPE_CHECKING:
    from nats.aio.msg import Msg
    from nats.js import JetStreamContext

log = logging.getLogger("logisync.connectors.nats")

RETRY_DELAY_SECONDS = 5.0
"""How long the stream waits before it delivers again what the store could not take."""


@dataclass
class ConsumeReport:
    """One round: how many messages came, were journaled, were already known, were refused."""

    fetched: int = 0
    journaled: int = 0
    already_known: int = 0
    refused: list[str] = field(default_factory=list)
    error: str | None = None


def draft_of(message_headers: dict[str, str] | None, body: bytes) -> dict[str, Any]:
    """The CloudEvent a message carries, as sent (defaults come later); ``ValueError`` when
    the body is not the JSON it must be."""
    headers = {key.lower(): value for key, value in (message_headers or {}).items()}
    try:
        content = orjson.loads(body) if body else None
    except orjson.JSONDecodeError as error:
        raise ValueError(f"the body is not JSON: {error}") from error
    if "ce-id" in headers or "ce-type" in headers:  # binary mode
        draft: dict[str, Any] = {
            key[3:]: value for key, value in headers.items() if key.startswith("ce-")
        }
        draft["data"] = content
        return draft
    if not isinstance(content, dict):
        raise ValueError("a structured CloudEvent is a JSON object (or send ce-* headers)")
    return content


class NatsSource:
    """One system's durable pull consumer, read one round at a time."""

    def __init__(
        self,
        system: str,
        link: NatsLink,
        consume: NatsConsume,
        store: Store,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.system = system
        self._link = link
        self._consume = consume
        self._store = store
        self._clock = clock or SystemClock()
        self._journal = Journal(store, self._clock)
        self._subscription: Any = None
        self._generation = 0

    def consume_once(self) -> ConsumeReport:
        """Fetch, journal, acknowledge one batch (see the module's docstring)."""
        timeout = self._consume.wait_seconds + 30
        try:
            messages: list[Msg] = self._link.run(self._fetch(), timeout)
        except Exception as error:  # the subscription is kept: see ``_fetch``
            log.debug("fetch from %s failed", self._consume.stream, exc_info=True)
            return ConsumeReport(error=f"NATS {self._consume.stream}: {_described(error)}")
        report = ConsumeReport(fetched=len(messages))
        if not messages:
            return report
        events: list[Event] = []
        raws: list[bytes] = []
        accepted: list[Msg] = []
        refused: list[tuple[Msg, str]] = []
        for message in messages:
            try:
                events.append(self._event(message))
            except (InvalidEvent, ValueError) as problem:
                refused.append((message, str(problem)))
                continue
            raws.append(message.data)
            accepted.append(message)
        try:
            results = self._journal.append(events, raws) if events else []
            if refused:
                self._store.record_audit([self._refusal(m, why) for m, why in refused])
        except StoreError as error:
            self._link.run(_settle(self._link, [], [], messages), timeout)
            return ConsumeReport(fetched=len(messages), error=f"store: {error}")
        report.journaled = sum(not r.duplicate for r in results)
        report.already_known = sum(r.duplicate for r in results)
        report.refused = [why for _, why in refused]
        try:
            self._link.run(_settle(self._link, accepted, [m for m, _ in refused], []), timeout)
        except Exception as error:  # journaled: a redelivery is absorbed as already known
            report.error = f"acknowledging: {_described(error)}"
        return report

    async def _fetch(self) -> list[Msg]:

        # One subscription per connection. It outlives reconnects, and must: a fetch the
        # connection dropped may be answered after the reconnect, into this subscription's
        # queue, which the next fetch reads first. A new subscription would leave those
        # messages unread until the consumer's ack wait sends them again.
        js = await self._link.jetstream()
        if self._subscription is None or self._generation != self._link.generation:
            self._subscription = await self._subscribe(js)
            self._generation = self._link.generation
        try:
            messages: list[Msg] = await self._subscription.fetch(
                self._consume.batch, timeout=self._consume.wait_seconds
            )
        except TimeoutError:  # nats-py's own, or asyncio's when a batch fetch finds none
            if not self._link.connected:  # the wait ended because the server went away
                raise ConnectionError("the connection dropped while fetching") from None
            return []
        return messages

    async def _subscribe(self, js: JetStreamContext) -> Any:
        """Bind to the durable consumer, creating it (explicit acks) the first time."""
        import nats.js.errors
        from nats.js.api import AckPolicy, ConsumerConfig

        stream, durable = self._consume.stream, self._consume.durable
        try:
            await js.consumer_info(stream, durable)
        except nats.js.errors.NotFoundError:
            config = ConsumerConfig(
                durable_name=durable,
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=self._consume.ack_wait_seconds,
                filter_subject=self._consume.filter_subject,
            )
            await js.add_consumer(stream, config=config)
        return await js.pull_subscribe_bind(durable=durable, stream=stream)

    def _event(self, message: Msg) -> Event:
        draft = draft_of(message.headers, message.data)
        given = draft.get("source")
        if given is not None and given != self.system:
            raise ValueError(
                f"source {given!r}: this consumer reads system {self.system!r}, which may only "
                "send its own events"
            )
        metadata = message.metadata
        headers = message.headers or {}
        draft.setdefault("source", self.system)
        draft.setdefault("specversion", "1.0")
        draft.setdefault("id", headers.get("Nats-Msg-Id") or _position(message))
        draft.setdefault("time", utc_text(metadata.timestamp.astimezone(UTC)))
        return parse_event(with_payload_subject(draft, self._store.resolve))

    def _refusal(self, message: Msg, why: str) -> AuditEntry:
        return AuditEntry(
            at=utc_text(self._clock.now()),
            actor=f"nats:{self.system}",
            action="intake.refused",
            subject=_position(message),
            reason=why,
            detail={
                "subject": message.subject,
                "body": message.data[:2048].decode("utf-8", "replace"),
            },
        )

    def close(self) -> None:
        self._link.close()


async def _settle(
    link: NatsLink, accepted: list[Msg], refused: list[Msg], retry: list[Msg]
) -> None:
    """Acknowledge what was journaled, end what was refused, ask again for the rest; then
    flush, so that the server has them before the round counts as done."""
    for message in accepted:
        await message.ack()
    for message in refused:
        await message.term()
    for message in retry:
        await message.nak(delay=RETRY_DELAY_SECONDS)
    await link.flush()


def _position(message: Msg) -> str:
    metadata = message.metadata
    return f"{metadata.stream}-{metadata.sequence.stream}"


def _described(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def nats_source(name: str, system: SystemConfig, store: Store) -> NatsSource | None:
    """The source of a ``nats`` system with ``consume:``, or ``None`` without it."""
    own = nats_settings(name, system)
    if own.consume is None:
        return None
    link = NatsLink(f"{name}-in", connect_options(system, own), own.connect_timeout_seconds)
    return NatsSource(name, link, own.consume, store)
