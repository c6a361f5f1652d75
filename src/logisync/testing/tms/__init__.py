"""A simulated transport management system (TMS): a real HTTP server on loopback.

Consignments are booked with it (``POST /api/v1/consignments``); it plans routes and, in
simulated time, posts ``route.planned``, ``shipment.handed_over`` and ``shipment.delivered``
(proof of delivery) messages of the TMS contract, signed, to the hub's webhook URL. Faults on
command as for the WMS simulator (``MessageFaultPlan``, ``/__sim__/faults``).
"""

from logisync.testing.message_faults import MessageFaultPlan
from logisync.testing.tms.running import DEFAULT_API_KEY, DEFAULT_SECRET, TmsSim, tms_sim

__all__ = ["DEFAULT_API_KEY", "DEFAULT_SECRET", "MessageFaultPlan", "TmsSim", "tms_sim"]
