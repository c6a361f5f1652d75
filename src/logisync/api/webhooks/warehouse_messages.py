"""The ``wms`` and ``tms`` webhook adapters: a body is one JSON message of the system's contract.

The message is read with the contract models (``connectors/wms/contract.py``,
``connectors/tms/contract.py``) and mapped to canonical events; a message that does not fit
the contract is refused with a problem per field, located by JSON pointer in the body. A
system that sends CloudEvents instead is passed through as for any kind.
"""

from __future__ import annotations

from logisync.api.webhooks.adapters import (
    EVENT_BATCH,
    SINGLE_EVENT,
    AdaptedDelivery,
    cloudevents_passthrough,
)
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.connectors.message_contract import read_message
from logisync.connectors.tms.contract import TMS_MESSAGE
from logisync.connectors.tms.events import tms_events
from logisync.connectors.wms.contract import WMS_MESSAGE
from logisync.connectors.wms.events import wms_events
from logisync.errors import InvalidEvent


def _is_cloudevents(delivery: VerifiedDelivery) -> bool:
    media_type = delivery.headers.get("content-type", "").partition(";")[0].strip().lower()
    return media_type in (SINGLE_EVENT, EVENT_BATCH)


def wms_message(delivery: VerifiedDelivery) -> AdaptedDelivery:
    if _is_cloudevents(delivery):
        return cloudevents_passthrough(delivery)
    try:
        message = read_message(delivery.body, WMS_MESSAGE)
    except InvalidEvent as refused:
        return AdaptedDelivery(problems=refused.problems)
    drafts = wms_events(delivery.system, message)
    return AdaptedDelivery(events=drafts.events, problems=drafts.problems)


def tms_message(delivery: VerifiedDelivery) -> AdaptedDelivery:
    if _is_cloudevents(delivery):
        return cloudevents_passthrough(delivery)
    try:
        message = read_message(delivery.body, TMS_MESSAGE)
    except InvalidEvent as refused:
        return AdaptedDelivery(problems=refused.problems)
    drafts = tms_events(delivery.system, message)
    return AdaptedDelivery(events=drafts.events, problems=drafts.problems)
