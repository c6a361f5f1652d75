"""Adapters turn a verified delivery into canonical event drafts, one adapter per system kind.

Every provider speaks its own payload (a Shopify order, a UPS tracking push); its adapter maps
that to the hub's CloudEvents envelope. Until a kind has its own adapter, deliveries to it go
through ``cloudevents_passthrough``: a system that already sends CloudEvents in structured
mode (``application/cloudevents+json``, or a ``cloudevents-batch+json`` array) needs no mapping.
Drafts are plain dicts; the intake validates them with ``parse_event`` like any other event.

An adapter never raises for a bad payload: it returns the drafts it could make and a problem
for each part it could not, located by JSON pointer, so the route can report them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.errors import Problem

SINGLE_EVENT = "application/cloudevents+json"
EVENT_BATCH = "application/cloudevents-batch+json"


@dataclass(frozen=True)
class AdaptedDelivery:
    """The event drafts made from one delivery, and what stopped the rest."""

    events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class WebhookAdapter(Protocol):
    def __call__(self, delivery: VerifiedDelivery) -> AdaptedDelivery: ...


def cloudevents_passthrough(delivery: VerifiedDelivery) -> AdaptedDelivery:
    """Take the CloudEvents a system posted as they are, if they say they come from it.

    A verified signature proves who sent the delivery, not what its events claim: an event
    whose ``source`` is another system is refused, so one system's secret cannot be used to
    write facts in another's name.
    """
    media_type = delivery.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in (SINGLE_EVENT, EVENT_BATCH):
        given = f"'{media_type}'" if media_type else "no content type"
        return _refused(
            "",
            f"{given} is not a CloudEvent: send {SINGLE_EVENT} (one event) or {EVENT_BATCH} "
            "(a JSON array), in structured mode",
        )
    try:
        document = orjson.loads(delivery.body)
    except orjson.JSONDecodeError as error:
        return _refused("", f"the body is not JSON: {error}")
    if media_type == SINGLE_EVENT:
        if not isinstance(document, dict):
            return _refused("", f"{SINGLE_EVENT} must be one JSON object")
        return _from_system(delivery.system, [("", document)])
    if not isinstance(document, list):
        return _refused("", f"{EVENT_BATCH} must be a JSON array of events")
    return _from_system(delivery.system, [(f"/{n}", event) for n, event in enumerate(document)])


def _from_system(system: str, located: list[tuple[str, object]]) -> AdaptedDelivery:
    adapted = AdaptedDelivery()
    for pointer, event in located:
        if not isinstance(event, dict):
            adapted.problems.append(Problem(pointer, "an event must be a JSON object"))
            continue
        source = event.get("source")
        if not isinstance(source, str) or source.strip() != system:
            said = f"'{source}'" if isinstance(source, str) else "missing"
            adapted.problems.append(
                Problem(
                    f"{pointer}/source",
                    f"source is {said}; events delivered by {system} must have source '{system}'",
                )
            )
            continue
        adapted.events.append(event)
    return adapted


def _refused(pointer: str, message: str) -> AdaptedDelivery:
    return AdaptedDelivery(problems=[Problem(pointer, message)])
