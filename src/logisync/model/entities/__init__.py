"""Canonical entities: the hub's own shape of every business object it synchronises."""

from logisync.model.entities.base import Entity, Record
from logisync.model.entities.finance import Invoice, InvoiceLine
from logisync.model.entities.logistics import (
    MILESTONES,
    Location,
    Milestone,
    Package,
    RoutePlan,
    Shipment,
    ShipmentMilestone,
    StockAdjustment,
    StockLevel,
)
from logisync.model.entities.orders import Return, ReturnLine, SalesOrder, SalesOrderLine
from logisync.model.entities.parties import Partner, Product

ENTITY_TYPES: dict[str, type[Entity]] = {
    cls.domain: cls for cls in (Partner, Product, SalesOrder, StockLevel, Shipment, Invoice, Return)
}
"""Every entity type by its domain name (the part of an entity key before the colon)."""

__all__ = [
    "ENTITY_TYPES",
    "MILESTONES",
    "Entity",
    "Invoice",
    "InvoiceLine",
    "Location",
    "Milestone",
    "Package",
    "Partner",
    "Product",
    "Record",
    "Return",
    "ReturnLine",
    "RoutePlan",
    "SalesOrder",
    "SalesOrderLine",
    "Shipment",
    "ShipmentMilestone",
    "StockAdjustment",
    "StockLevel",
]
