"""How to ask each carrier's tracking API about one number (the poller's HTTP requests).

The paths are the carriers' own; the base URL comes from the carrier system's ``url`` so that
the hub can be pointed at a sandbox or the carrier simulator. Authentication headers (DHL's
``DHL-API-Key``, a bearer token) come from the system's settings as static headers; fetching
OAuth tokens is not done here.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import httpx

from logisync.connectors.carriers.code_tables import Carrier
from logisync.connectors.carriers.dhl import parse_dhl
from logisync.connectors.carriers.fedex import parse_fedex
from logisync.connectors.carriers.scans import ParsedScans
from logisync.connectors.carriers.ups import parse_ups
from logisync.connectors.carriers.usps import parse_usps


def tracking_request(
    client: httpx.Client, carrier: Carrier, base: str, number: str
) -> httpx.Request:
    base = base.rstrip("/")
    safe = quote(number, safe="")
    if carrier == "ups":
        headers = {"transId": f"logisync-{safe}", "transactionSrc": "logisync"}
        return client.build_request("GET", f"{base}/api/track/v1/details/{safe}", headers=headers)
    if carrier == "fedex":
        body = {
            "includeDetailedScans": True,
            "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": number}}],
        }
        return client.build_request("POST", f"{base}/track/v1/trackingnumbers", json=body)
    if carrier == "dhl":
        return client.build_request(
            "GET", f"{base}/track/shipments", params={"trackingNumber": number}
        )
    return client.build_request(
        "GET", f"{base}/tracking/v3/tracking/{safe}", params={"expand": "DETAIL"}
    )


PARSERS: dict[Carrier, Callable[[bytes], ParsedScans]] = {
    "ups": parse_ups,
    "fedex": parse_fedex,
    "dhl": parse_dhl,
    "usps": parse_usps,
}
