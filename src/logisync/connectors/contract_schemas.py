"""JSON Schema of the messages warehouse and transport systems send the hub.

Printed by ``logisync schema --contracts``; derived from the pydantic models the webhook
adapters read the messages with, so the documentation cannot drift from what is accepted.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from logisync.connectors.tms.contract import TMS_MESSAGE
from logisync.connectors.wms.contract import WMS_MESSAGE

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def export_contract_schemas() -> dict[str, Any]:
    """One schema per system kind (``wms``, ``tms``), each a union of its message types."""
    contracts: dict[str, TypeAdapter[Any]] = {"wms": WMS_MESSAGE, "tms": TMS_MESSAGE}
    return {
        "$schema": DRAFT_2020_12,
        "title": "logisync message contracts",
        "contracts": {
            kind: {
                "$schema": DRAFT_2020_12,
                "$id": f"urn:logisync:contract:{kind}",
                "title": f"{kind.upper()} messages",
                **reader.json_schema(mode="validation"),
            }
            for kind, reader in contracts.items()
        },
    }
