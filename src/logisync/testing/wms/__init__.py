"""A simulated warehouse management system (WMS): a real HTTP server on loopback.

It takes order releases in its own API format (``POST /api/v2/outbound-orders``, see
``api_models``), acknowledges them at once or later, then picks, packs (valid SSCCs) and
dispatches in simulated time, adjusts stock, posts snapshots and returns -- posting each fact
as a signed message of the WMS contract to the hub's webhook URL. Faults on command:
``MessageFaultPlan`` at start, or live through ``/__sim__/faults``.
"""

from logisync.testing.message_faults import MessageFaultPlan
from logisync.testing.message_outbox import SentMessage
from logisync.testing.wms.running import DEFAULT_SECRET, DEFAULT_TOKEN, WmsSim, wms_sim

__all__ = [
    "DEFAULT_SECRET",
    "DEFAULT_TOKEN",
    "MessageFaultPlan",
    "SentMessage",
    "WmsSim",
    "wms_sim",
]
