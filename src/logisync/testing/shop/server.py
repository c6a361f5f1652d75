"""The shop's HTTP face: the GraphQL Admin endpoint the fulfilment connector calls, and
``/__sim__/...`` to drive the shop and change its faults while it runs.

The endpoint is not a GraphQL engine: it recognises the operations the connector sends by
their root field (``orders``, ``fulfillmentCreate``, ``fulfillmentTrackingInfoUpdate``,
``fulfillmentEventCreate``) and reads their variables, answering in Shopify's shapes,
``userErrors`` and throttling included. Any other query is answered with a GraphQL error.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from logisync.testing.shop.faults import ShopFaultPlan
from logisync.testing.shop.shop import Shop

ROOT_FIELD = re.compile(
    r"\b(orders|fulfillmentCreate|fulfillmentTrackingInfoUpdate|fulfillmentEventCreate)\s*\("
)
COST = {"requestedQueryCost": 52, "actualQueryCost": None}


def shop_app(shop: Shop, token: str) -> FastAPI:
    app = FastAPI(title="logisync shop simulator")
    app.state.calls = []

    @app.post("/admin/api/{version}/graphql.json")
    async def graphql(version: str, request: Request) -> JSONResponse:
        if request.headers.get("x-shopify-access-token") != token:
            return JSONResponse({"errors": "[API] Invalid API key or access token"}, 401)
        faults = shop.faults
        if faults.take("downtime"):
            return JSONResponse({"errors": "Service Unavailable"}, 503, {"Retry-After": "1"})
        if faults.take("rate_limited"):
            return JSONResponse({"errors": "Exceeded rate limit"}, 429, {"Retry-After": "2"})
        if faults.take("throttled"):
            status = {"maximumAvailable": 2000.0, "currentlyAvailable": 12, "restoreRate": 100.0}
            return JSONResponse(
                {
                    "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
                    "extensions": {"cost": {**COST, "throttleStatus": status}},
                }
            )
        body = await request.json()
        query, variables = str(body.get("query", "")), body.get("variables") or {}
        match = ROOT_FIELD.search(query)
        if match is None:
            message = "the simulator answers only the fulfilment connector's operations"
            return JSONResponse({"errors": [{"message": message}]})
        operation = match.group(1)
        app.state.calls.append((operation, variables))
        if operation != "orders" and faults.take("user_error"):
            error = {"field": ["fulfillment"], "message": "Fulfillment order is not fulfillable"}
            return JSONResponse({"data": {operation: {"userErrors": [error]}}})
        with shop.lock:
            answer = OPERATIONS[operation](shop, variables)
        return JSONResponse({"data": {operation: answer}})

    @app.get("/__sim__/faults")
    def get_faults() -> dict[str, Any]:
        return shop.faults.plan.model_dump()

    @app.put("/__sim__/faults")
    def put_faults(plan: ShopFaultPlan) -> dict[str, Any]:
        shop.faults.plan = plan
        return plan.model_dump()

    @app.post("/__sim__/orders")
    def place_orders(count: int = 1) -> dict[str, Any]:
        return {"orders": [shop.place_order()["name"] for _ in range(max(0, min(count, 1000)))]}

    @app.get("/__sim__/fulfillments")
    def fulfillments() -> dict[str, Any]:
        with shop.lock:
            return {
                shop.orders[order_id]["name"]: found
                for order_id, found in shop.fulfillments.items()
                if found
            }

    return app


def _orders(shop: Shop, variables: dict[str, Any]) -> dict[str, Any]:
    query = str(variables.get("query", ""))
    name = query.removeprefix("name:").strip().strip('"')
    order = shop.order_by_name(name)
    if order is None:
        return {"nodes": []}
    order_id = order["id"]
    return {
        "nodes": [
            {
                "id": order["admin_graphql_api_id"],
                "name": order["name"],
                "fulfillmentOrders": {
                    "nodes": [
                        {"id": f"gid://shopify/FulfillmentOrder/{fo['id']}", "status": fo["status"]}
                        for fo in shop.fulfillment_orders[order_id]
                    ]
                },
                "fulfillments": [_public(f) for f in shop.fulfillments[order_id]],
            }
        ]
    }


def _create(shop: Shop, variables: dict[str, Any]) -> dict[str, Any]:
    fulfillment = variables.get("fulfillment") or {}
    wanted = {
        str(pair.get("fulfillmentOrderId", "")).rsplit("/", 1)[-1]
        for pair in fulfillment.get("lineItemsByFulfillmentOrder") or []
    }
    for order_id, fulfillment_orders in shop.fulfillment_orders.items():
        chosen = [fo for fo in fulfillment_orders if str(fo["id"]) in wanted]
        if not chosen:
            continue
        if any(fo["status"] != "OPEN" for fo in chosen):
            return _user_error("fulfillmentOrderId", "Fulfillment order is already closed")
        for fo in chosen:
            fo["status"] = "CLOSED"
        tracking = fulfillment.get("trackingInfo") or {}
        created = {
            "id": f"gid://shopify/Fulfillment/{shop._id()}",
            "status": "SUCCESS",
            "displayStatus": "FULFILLED",
            "trackingInfo": [tracking] if tracking else [],
            "events": [],
            "notifyCustomer": bool(fulfillment.get("notifyCustomer")),
        }
        shop.fulfillments[order_id].append(created)
        return {"fulfillment": _public(created), "userErrors": []}
    return _user_error("fulfillmentOrderId", "Fulfillment order does not exist")


def _update_tracking(shop: Shop, variables: dict[str, Any]) -> dict[str, Any]:
    found = _fulfillment(shop, str(variables.get("fulfillmentId")))
    if found is None:
        return _user_error("fulfillmentId", "Fulfillment does not exist")
    found["trackingInfo"] = [variables.get("trackingInfoInput") or {}]
    return {"fulfillment": _public(found), "userErrors": []}


def _event(shop: Shop, variables: dict[str, Any]) -> dict[str, Any]:
    event = variables.get("fulfillmentEvent") or {}
    found = _fulfillment(shop, str(event.get("fulfillmentId")))
    if found is None:
        return _user_error("fulfillmentId", "Fulfillment does not exist")
    found["events"].append(event)
    found["displayStatus"] = event.get("status")
    return {"fulfillmentEvent": {"id": shop._id(), "status": event.get("status")}, "userErrors": []}


def _fulfillment(shop: Shop, fulfillment_id: str) -> dict[str, Any] | None:
    for fulfillments in shop.fulfillments.values():
        for fulfillment in fulfillments:
            if fulfillment["id"] == fulfillment_id:
                return fulfillment
    return None


def _public(fulfillment: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "status", "displayStatus", "trackingInfo")
    return {key: fulfillment[key] for key in keys}


def _user_error(field: str, message: str) -> dict[str, Any]:
    return {"userErrors": [{"field": ["fulfillment", field], "message": message}]}


OPERATIONS = {
    "orders": _orders,
    "fulfillmentCreate": _create,
    "fulfillmentTrackingInfoUpdate": _update_tracking,
    "fulfillmentEventCreate": _event,
}
