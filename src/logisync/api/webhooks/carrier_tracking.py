"""Carrier tracking pushes -> draft ``shipment.milestone_recorded`` events, one adapter per kind.

UPS (Track Alert) and FedEx push; DHL and USPS do not, but an aggregator may post their
tracking-response shape to the hub, so each kind accepts its carrier's response body. The
drafts carry no ``subject``: the route completes them with
``logisync.core.subjects.with_subject`` and the store's crosswalk. Their ids are content
hashes shared with the poller, so a scan both pushed and polled is journaled once.
CloudEvents posted in structured mode pass through as for any system.
"""

from __future__ import annotations

from collections.abc import Callable

from logisync.api.webhooks.adapters import (
    EVENT_BATCH,
    SINGLE_EVENT,
    AdaptedDelivery,
    WebhookAdapter,
    cloudevents_passthrough,
)
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.connectors.carriers.dhl import parse_dhl
from logisync.connectors.carriers.events import draft_events
from logisync.connectors.carriers.fedex import parse_fedex
from logisync.connectors.carriers.scans import ParsedScans
from logisync.connectors.carriers.ups import parse_ups
from logisync.connectors.carriers.usps import parse_usps


def carrier_adapter(parse: Callable[[bytes], ParsedScans]) -> WebhookAdapter:
    """The adapter that reads a delivery with ``parse``."""

    def adapt(delivery: VerifiedDelivery) -> AdaptedDelivery:
        media_type = delivery.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type in (SINGLE_EVENT, EVENT_BATCH):
            return cloudevents_passthrough(delivery)
        drafted = draft_events(parse(delivery.body), delivery.system)
        return AdaptedDelivery(events=drafted.events, problems=drafted.problems)

    return adapt


ups_tracking = carrier_adapter(parse_ups)
fedex_tracking = carrier_adapter(parse_fedex)
dhl_tracking = carrier_adapter(parse_dhl)
usps_tracking = carrier_adapter(parse_usps)
