"""The ``nats`` target: canonical events published to a JetStream stream.

Each delivery becomes one message, a structured CloudEvent (``application/cloudevents+json``):

* an event delivery on ``<prefix>.<domain>.<fact>`` (its type, e.g.
  ``logisync.shipment.milestone_recorded``), the event as journaled;
* a state delivery on ``<prefix>.<domain>.state``, typed ``<domain>.state``, with the entity's
  latest state as data and its version in the ``entityversion`` attribute.

``Nats-Msg-Id`` is the delivery's idempotency key (``<source>:<event id>`` for events, event
ids being unique per source; ``<entity>@<version>`` for states), so the stream drops a resend
within its duplicate window, and a delivery counts as done only once the stream acknowledged
it (its answer, duplicate or not, names the stream sequence, kept as the target's reference).

Changes of one entity are published one after another, each after the previous was
acknowledged; different entities' go out together. When one fails, the entity's later changes
in the batch are not sent (they are retried after it), so the stream keeps each entity's order.

Answers: acknowledged -> delivered; no acknowledgement in time, no stream listening, the
server unreachable or the stream full (503) -> transient; a message over the server's payload
limit or a request the stream refuses (400) -> permanent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson

from logisync.config import SystemConfig
from logisync.connectors.nats.link import NatsLink
from logisync.connectors.nats.settings import NatsSettings, connect_options, nats_settings
from logisync.core.delivery.connector import DeliveryItem, ItemResult

if TYPE_CHECKING:
    from nats.js import JetStreamContext

CLOUDEVENTS_JSON = "application/cloudevents+json"


def message_for(item: DeliveryItem, prefix: str) -> tuple[str, bytes, dict[str, str]]:
    """The subject, body and headers that carry ``item``."""
    payload = item.payload
    if item.delivery.mode == "event":
        event_type = str(payload["type"])
        event = {
            "specversion": "1.0",
            "id": payload["id"],
            "source": payload["source"],
            "type": event_type,
            "subject": payload.get("subject"),
            "time": payload.get("time"),
            "datacontenttype": "application/json",
            "data": payload.get("data"),
        }
    else:
        domain = item.delivery.entity_key.split(":", 1)[0]
        event_type = f"{domain}.state"
        event = {
            "specversion": "1.0",
            "id": item.idempotency_key,
            "source": "logisync",
            "type": event_type,
            "subject": payload.get("entity", item.delivery.entity_key),
            "entityversion": payload.get("version"),
            "datacontenttype": "application/json",
            "data": payload.get("state"),
        }
    headers = {"Nats-Msg-Id": item.idempotency_key, "Content-Type": CLOUDEVENTS_JSON}
    if item.traceparent:
        headers["traceparent"] = item.traceparent
        if item.tracestate:
            headers["tracestate"] = item.tracestate
    body = {key: value for key, value in event.items() if value is not None}
    return f"{prefix}.{event_type}", orjson.dumps(body), headers


def failure(error: BaseException, subject: str, ack_timeout: float) -> ItemResult:
    """What a publish error means for the delivery (see the module's docstring)."""
    import nats.errors
    import nats.js.errors

    if isinstance(error, nats.errors.MaxPayloadError):
        return ItemResult("permanent", error=f"{subject}: {error} (the server's max_payload)")
    if isinstance(error, nats.js.errors.NoStreamResponseError):
        return ItemResult("transient", error=f"no JetStream stream stores {subject}")
    if isinstance(error, nats.js.errors.APIError):
        text = f"JetStream refused {subject}: {error.description} (code {error.err_code})"
        permanent = error.code is not None and 400 <= error.code < 500
        return ItemResult("permanent" if permanent else "transient", error=text)
    if isinstance(error, asyncio.TimeoutError | TimeoutError):
        return ItemResult(
            "transient",
            error=f"{subject}: no acknowledgement within {ack_timeout:g}s (a resend within the "
            "stream's duplicate window is dropped by its Nats-Msg-Id)",
        )
    return ItemResult("transient", error=f"{subject}: {type(error).__name__}: {error}")


class NatsTarget:
    def __init__(self, link: NatsLink, settings: NatsSettings) -> None:
        self._link = link
        self._settings = settings
        self.max_batch = settings.batch
        self._stream_checked = False

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        chains: dict[str, list[int]] = {}
        for position, item in enumerate(items):
            chains.setdefault(item.delivery.entity_key, []).append(position)
        longest = max(len(chain) for chain in chains.values())
        budget = self._settings.ack_timeout_seconds * (longest + 2) + 5
        try:
            return self._link.run(self._publish(items, list(chains.values())), timeout=budget)
        except Exception as error:  # connecting, or the stream check: nothing was published
            where = ", ".join(self._settings.servers)
            if isinstance(error, TimeoutError):
                why = f"no connection to NATS at {where} in time"
            else:
                why = f"NATS at {where}: {type(error).__name__}: {error}"
            return [ItemResult("transient", error=why)] * len(items)

    async def _publish(
        self, items: Sequence[DeliveryItem], chains: list[list[int]]
    ) -> list[ItemResult]:
        js = await self._link.jetstream()
        if not self._stream_checked:
            await self._ensure_stream(js)
        results: list[ItemResult | None] = [None] * len(items)

        async def publish_chain(chain: list[int]) -> None:
            for step, position in enumerate(chain):
                result = await self._publish_one(js, items[position])
                results[position] = result
                if result.kind != "delivered":
                    held = ItemResult(
                        "transient",
                        error=f"held back behind an earlier change of the entity: {result.error}",
                    )
                    for later in chain[step + 1 :]:
                        results[later] = held
                    return

        await asyncio.gather(*(publish_chain(chain) for chain in chains))
        return [result for result in results if result is not None]

    async def _publish_one(self, js: JetStreamContext, item: DeliveryItem) -> ItemResult:
        subject, body, headers = message_for(item, self._settings.subject_prefix)
        timeout = self._settings.ack_timeout_seconds
        try:
            ack = await js.publish(
                subject, body, timeout=timeout, stream=self._settings.stream, headers=headers
            )
        except Exception as error:
            import nats.js.errors

            if isinstance(error, nats.js.errors.NoStreamResponseError):
                self._stream_checked = False  # deleted meanwhile: check (and create) it again
            return failure(error, subject, timeout)
        return ItemResult("delivered", target_ref=f"{ack.stream}:{ack.seq}")

    async def _ensure_stream(self, js: JetStreamContext) -> None:
        """Create the stream when asked to and it is missing; an existing one is left as is."""
        import nats.js.errors

        if self._settings.create_stream:
            try:
                await js.stream_info(self._settings.stream)
            except nats.js.errors.NotFoundError:
                await js.add_stream(
                    name=self._settings.stream,
                    subjects=[f"{self._settings.subject_prefix}.>"],
                    duplicate_window=self._settings.duplicate_window_seconds,
                )
        self._stream_checked = True

    def close(self) -> None:
        self._link.close()


def nats_target(name: str, system: SystemConfig) -> NatsTarget:
    own = nats_settings(name, system)
    options: dict[str, Any] = connect_options(system, own)
    return NatsTarget(NatsLink(name, options, own.connect_timeout_seconds), own)
