"""The ``wms`` and ``tms`` webhook adapters: a body is one JSON message of the system's contract.

The message is read with the contract models (``connectors/wms/contract.py``,
``connectors/tms/contract.py``) and mapped to canonical events; a message that does not fit
the contract is refused with a problem per field, located by JSON pointer in the body. A
system that sends CloudEvents instead is passed through as for any kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import TypeAdapter

from logisync.api.webhooks.adapters import (
    EVENT_BATCH,
    SINGLE_EVENT,
    AdaptedDelivery,
    WebhookAdapter,
    cloudevents_passthrough,
)
from logisync.api.webhooks.verdict import VerifiedDelivery
from logisync.connectors.message_contract import read_message
from logisync.connectors.message_events import EventDrafts
from logisync.connectors.tms.contract import TMS_MESSAGE
from logisync.connectors.tms.events import tms_events
from logisync.connectors.wms.contract import WMS_MESSAGE
from logisync.connectors.wms.events import wms_events
from logisync.errors import InvalidEvent

M = TypeVar("M")


def _is_cloudevents(delivery: VerifiedDelivery) -> bool:
    media_type = delivery.headers.get("content-type", "").partition(";")[0].strip().lower()
    return media_type in (SINGLE_EVENT, EVENT_BATCH)


def _contract_adapter(
    reader: TypeAdapter[M], mapping: Callable[[str, M], EventDrafts]
) -> WebhookAdapter:
    def adapt(delivery: VerifiedDelivery) -> AdaptedDelivery:
        if _is_cloudevents(delivery):
            return cloudevents_passthrough(delivery)
        try:
            message = read_message(delivery.body, reader)
        except InvalidEvent as refused:
            return AdaptedDelivery(problems=refused.problems)
        drafts = mapping(delivery.system, message)
        return AdaptedDelivery(events=drafts.events, problems=drafts.problems)

    return adapt


wms_message = _contract_adapter(WMS_MESSAGE, wms_events)
"""The ``wms`` adapter: a body is one message of the WMS contract."""

tms_message = _contract_adapter(TMS_MESSAGE, tms_events)
"""The ``tms`` adapter: a body is one message of the TMS contract."""
