"""A dispatched shipment of a shop order, pushed back to Shopify as a fulfilment with tracking.

Flows to a Shopify system deliver shipment states (``mode: state``). For each shipment:

1. find the order by its name (the shipment's ``order_number``, ``1001`` -> ``#1001``) with
   its open fulfilment orders and its fulfilments;
2. if a fulfilment with the shipment's tracking number exists, it is ours (this is what
   makes a repeat harmless): update its tracking if company or URL changed; else, if open
   fulfilment orders remain, ``fulfillmentCreate`` with the tracking (whole order: partial
   shipments per line are not mapped yet); if none remain, the order is fulfilled already;
3. a later carrier milestone (in transit ... delivered) becomes a fulfilment event
   (``fulfillmentEventCreate``), unless the fulfilment already shows that status.

A shipment not yet dispatched (no tracking, no dispatch time) needs nothing and is
delivered as a no-op: its dispatch is a new state, delivered again. ``userErrors`` are
permanent failures carrying Shopify's message; see ``graphql`` for the transient ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from logisync.connectors.shopify.graphql import ShopifyCallFailed, ShopifyGraphql
from logisync.connectors.tracing import delivery_span
from logisync.core.delivery.connector import DeliveryItem, ItemResult

ORDER_QUERY = """
query orderForFulfilment($query: String!) {
  orders(first: 1, query: $query) {
    nodes {
      id
      name
      fulfillmentOrders(first: 20) { nodes { id status } }
      fulfillments(first: 50) { id displayStatus trackingInfo { company number url } }
    }
  }
}
"""
CREATE = """
mutation fulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo { company number url } }
    userErrors { field message }
  }
}
"""
UPDATE_TRACKING = """
mutation fulfillmentTrackingInfoUpdate($fulfillmentId: ID!,
    $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId,
      trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
    fulfillment { id trackingInfo { company number url } }
    userErrors { field message }
  }
}
"""
EVENT = """
mutation fulfillmentEventCreate($fulfillmentEvent: FulfillmentEventInput!) {
  fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent) {
    fulfillmentEvent { id status }
    userErrors { field message }
  }
}
"""
OPEN_STATUSES = frozenset({"OPEN", "IN_PROGRESS", "SCHEDULED"})
EVENT_OF_MILESTONE = {
    "picked_up": "IN_TRANSIT",
    "in_transit": "IN_TRANSIT",
    "out_for_delivery": "OUT_FOR_DELIVERY",
    "delivery_attempted": "ATTEMPTED_DELIVERY",
    "available_for_pickup": "READY_FOR_PICKUP",
    "exception": "FAILURE",
    "delivered": "DELIVERED",
}
"""Canonical milestones Shopify can show on a fulfilment (FulfillmentEventStatus)."""
TRACKING_URLS = {
    "ups": "https://www.ups.com/track?tracknum={}",
    "fedex": "https://www.fedex.com/fedextrack/?trknbr={}",
    "dhl": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
}


class UserErrors(Exception):
    """Shopify refused the mutation's input; its messages say why."""


class ShopifyTarget:
    """``TargetConnector`` writing fulfilments and tracking to one shop."""

    def __init__(
        self, graphql: ShopifyGraphql, *, notify_customer: bool = False, max_batch: int = 10
    ) -> None:
        self.graphql = graphql
        self.notify_customer = notify_customer
        self.max_batch = max_batch

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        return [self._one(item) for item in items]

    def _one(self, item: DeliveryItem) -> ItemResult:
        entity = str(item.payload.get("entity") or item.delivery.entity_key)
        if not entity.startswith("shipment:") or item.delivery.mode != "state":
            return ItemResult(
                "permanent",
                error=(
                    f"the Shopify connector writes fulfilments from shipment states, not "
                    f"{entity.split(':', 1)[0]!r} {item.delivery.mode}s: route only shipment.* "
                    "to it, with mode: state"
                ),
            )
        state = item.payload.get("state") or {}
        try:
            with delivery_span(item, "shopify fulfil"):
                return self._fulfil(state)
        except ShopifyCallFailed as failure:
            if failure.transient:
                return ItemResult(
                    "transient", error=str(failure), retry_after_seconds=failure.retry_after
                )
            return ItemResult("permanent", error=str(failure))
        except UserErrors as refused:
            return ItemResult("permanent", error=f"Shopify refused: {refused}")

    def _fulfil(self, state: dict[str, Any]) -> ItemResult:
        tracking = state.get("tracking_number")
        if not tracking and not state.get("dispatched_at"):
            return ItemResult("delivered")  # not dispatched yet: nothing to tell the shop
        number = state.get("order_number")
        if not number:
            return ItemResult("permanent", error="the shipment names no order_number")
        order = self._order(str(number))
        if order is None:
            return ItemResult("permanent", error=f"the shop has no order named #{number}")
        fulfillment = _ours(order, tracking)
        wanted = self._tracking(state)
        if fulfillment is None:
            open_orders = [
                node["id"]
                for node in order["fulfillmentOrders"]["nodes"]
                if node.get("status") in OPEN_STATUSES
            ]
            if not open_orders:
                done = order.get("fulfillments") or []
                ref = done[0]["id"] if done else None
                return ItemResult("delivered", target_ref=ref)  # fulfilled before, elsewhere
            fulfillment = self._create(open_orders, wanted)
        elif _differs(fulfillment.get("trackingInfo") or [], wanted):
            self._mutate(
                UPDATE_TRACKING,
                "fulfillmentTrackingInfoUpdate",
                {
                    "fulfillmentId": fulfillment["id"],
                    "trackingInfoInput": wanted,
                    "notifyCustomer": self.notify_customer,
                },
            )
        self._milestone(fulfillment, state)
        return ItemResult("delivered", target_ref=fulfillment["id"], external_id=order["id"])

    def _order(self, number: str) -> dict[str, Any] | None:
        name = number if number.startswith("#") or "-" in number else f"#{number}"
        data = self.graphql.call(ORDER_QUERY, {"query": f"name:{name}"})
        nodes = ((data.get("orders") or {}).get("nodes")) or []
        return nodes[0] if nodes else None

    def _tracking(self, state: dict[str, Any]) -> dict[str, Any]:
        carrier = str(state.get("carrier") or "").strip()
        number = str(state.get("tracking_number") or "").strip()
        info: dict[str, Any] = {}
        if carrier:
            info["company"] = carrier.upper() if len(carrier) <= 4 else carrier
        if number:
            info["number"] = number
            template = TRACKING_URLS.get(carrier.lower())
            if template:
                info["url"] = template.format(number)
        return info

    def _create(self, fulfillment_orders: list[str], tracking: dict[str, Any]) -> dict[str, Any]:
        fulfillment: dict[str, Any] = {
            "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": i} for i in fulfillment_orders],
            "notifyCustomer": self.notify_customer,
        }
        if tracking:
            fulfillment["trackingInfo"] = tracking
        answer = self._mutate(CREATE, "fulfillmentCreate", {"fulfillment": fulfillment})
        created = answer.get("fulfillment")
        if not isinstance(created, dict) or "id" not in created:
            raise ShopifyCallFailed("fulfillmentCreate returned no fulfilment", transient=True)
        return created

    def _milestone(self, fulfillment: dict[str, Any], state: dict[str, Any]) -> None:
        status = state.get("status") or {}
        event = EVENT_OF_MILESTONE.get(str(status.get("milestone")))
        if event is None or fulfillment.get("displayStatus") == event:
            return
        happened = {"happenedAt": status["occurred_at"]} if status.get("occurred_at") else {}
        self._mutate(
            EVENT,
            "fulfillmentEventCreate",
            {"fulfillmentEvent": {"fulfillmentId": fulfillment["id"], "status": event, **happened}},
        )

    def _mutate(self, query: str, field: str, variables: dict[str, Any]) -> dict[str, Any]:
        data = self.graphql.call(query, variables)
        answer = data.get(field)
        if not isinstance(answer, dict):
            raise ShopifyCallFailed(f"{field} returned nothing", transient=True)
        errors = answer.get("userErrors") or []
        if errors:
            raise UserErrors(
                "; ".join(
                    f"{'.'.join(map(str, e.get('field') or []))}: {e.get('message')}"
                    for e in errors
                )
            )
        return answer


def _ours(order: dict[str, Any], tracking: Any) -> dict[str, Any] | None:
    if not tracking:
        return None
    for fulfillment in order.get("fulfillments") or []:
        if any(info.get("number") == tracking for info in fulfillment.get("trackingInfo") or []):
            found: dict[str, Any] = fulfillment
            return found
    return None


def _differs(current: list[dict[str, Any]], wanted: dict[str, Any]) -> bool:
    now = current[0] if current else {}
    return any(now.get(key) != value for key, value in wanted.items())
