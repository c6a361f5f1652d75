"""Every event type the hub understands, bound to its payload model and its effect on an entity.

An event type is a business fact in past tense, named ``<domain>.<fact>``. Its *effect* is the
set of entity fields it proposes to change; the processor decides (by ordering, lifecycle and
ownership) which of them it actually applies. Keeping the effect here, next to the payload
model, means a new fact is one entry in this table and nothing in the processor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from logisync.model.entities import (
    ENTITY_TYPES,
    Entity,
    Invoice,
    Partner,
    Product,
    Record,
    Return,
    RoutePlan,
    SalesOrder,
    Shipment,
    ShipmentMilestone,
    StockAdjustment,
    StockLevel,
)
from logisync.model.lifecycle import LIFECYCLES
from logisync.model.pii import PiiTree, personal_fields
from logisync.model.stewardship import ACCEPTED_SUFFIX, AcceptedValue
from logisync.model.values import AwareDatetime

JsonObject = dict[str, Any]


class StatusChange(Record):
    """A status fact that carries no other data: the order was released, the invoice paid."""

    number: str = Field(min_length=1, pattern=r"^[^\s:]+$")
    at: AwareDatetime | None = None
    reason: str | None = None
    status: str | None = Field(
        default=None, description="Only for corrections: the status the owner corrects to"
    )


@dataclass(frozen=True)
class EventType:
    """One kind of business fact.

    ``effect`` turns validated payload JSON into proposed field values of the subject entity.
    ``delta_field`` names a quantity field that the fact moves by a delta (stock adjustments)
    instead of setting; ``snapshot_field`` one that it sets absolutely, absorbing older deltas.
    ``correction`` marks an explicit correction from the owner, allowed to move a lifecycle
    field backwards. ``check`` finds what the payload model cannot express on its own, as
    (JSON pointer under ``/data``, sentence) pairs. ``steward_decision`` marks a data
    steward's acceptance (``model.stewardship``), which the processor applies by its own rule.
    ``pii``, when given, says where the payload holds personal data instead of the payload
    model's marks (an acceptance's values are personal exactly where the entity's are).
    """

    name: str
    entity: type[Entity]
    payload: type[BaseModel]
    description: str
    effect: Callable[[JsonObject], JsonObject]
    correction: bool = False
    delta_field: str | None = None
    snapshot_field: str | None = None
    key_of: Callable[[JsonObject], str | None] = field(default=lambda data: None)
    check: Callable[[JsonObject], list[tuple[str, str]]] = field(default=lambda data: [])
    steward_decision: bool = False
    pii: PiiTree | None = None
    domain: str = field(init=False)
    identity: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        # read on every processed event: computed once here
        object.__setattr__(self, "domain", self.entity.domain)
        object.__setattr__(self, "identity", self.entity.identity())


def _whole(status: str | None = None) -> Callable[[JsonObject], JsonObject]:
    """The payload is the entity itself; a status fact also fixes the lifecycle value."""

    def effect(data: JsonObject) -> JsonObject:
        changes = {k: v for k, v in data.items() if k not in ("schema_version", "external_ids")}
        if status is not None:
            changes["status"] = status
        return changes

    return effect


def _status(status: str | None) -> Callable[[JsonObject], JsonObject]:
    def effect(data: JsonObject) -> JsonObject:
        return {"number": data["number"], "status": status or data.get("status")}

    return effect


def _milestone(data: JsonObject) -> JsonObject:
    return {"status": {k: v for k, v in data.items() if k != "shipment_number"}}


def _entity_key(cls: type[Entity]) -> Callable[[JsonObject], str | None]:
    def key_of(data: JsonObject) -> str | None:
        if cls is StockLevel:
            return _stock_level_key(data)
        value = data.get(cls.key_field)
        return None if value is None else f"{cls.domain}:{value}"

    return key_of


def _shipment_number(data: JsonObject) -> str | None:
    number = data.get("shipment_number")
    return None if number is None else f"shipment:{number}"


def _stock_level_key(data: JsonObject) -> str | None:
    # ``new_event`` asks for the key before validating, so a field may be missing here.
    location, sku = data.get("location"), data.get("sku")
    return None if location is None or sku is None else f"stock_level:{location}/{sku}"


def _whole_fact(name: str, cls: type[Entity], text: str, status: str | None = None) -> EventType:
    return EventType(name, cls, cls, text, _whole(status), key_of=_entity_key(cls))


def _status_fact(name: str, cls: type[Entity], text: str, status: str) -> EventType:
    return EventType(name, cls, StatusChange, text, _status(status), key_of=_entity_key(cls))


def _correction(name: str, cls: type[Entity], text: str) -> EventType:
    def check(data: JsonObject) -> list[tuple[str, str]]:
        known = LIFECYCLES[cls.domain].ranks
        status = data.get("status")
        if status is None:
            return [("/status", "a correction must say which status it corrects to")]
        if status not in known:
            return [
                (
                    "/status",
                    f"{status!r} is not a {cls.domain} status; use one of "
                    + ", ".join(sorted(known)),
                )
            ]
        return []

    return EventType(
        name,
        cls,
        StatusChange,
        text,
        _status(None),
        correction=True,
        key_of=_entity_key(cls),
        check=check,
    )


def _needs_quantity(data: JsonObject) -> list[tuple[str, str]]:
    if data.get("on_hand") is None:
        return [("/on_hand", "a stock report must give the quantity on hand")]
    return []


def _needs_reason(data: JsonObject) -> list[tuple[str, str]]:
    if not data.get("reason"):
        return [("/reason", "a rejection must say why")]
    return []


_FACTS: list[EventType] = [
    _whole_fact("partner.created", Partner, "A partner (customer, supplier) was created."),
    _whole_fact("partner.changed", Partner, "Some fields of a partner changed."),
    _whole_fact("product.created", Product, "A product was created."),
    _whole_fact("product.changed", Product, "Some fields of a product changed."),
    _whole_fact("sales_order.placed", SalesOrder, "A customer placed an order.", "placed"),
    _whole_fact("sales_order.confirmed", SalesOrder, "The order was confirmed.", "confirmed"),
    _whole_fact("sales_order.changed", SalesOrder, "Some fields of an order changed."),
    _status_fact("sales_order.released", SalesOrder, "Released for fulfilment.", "released"),
    _status_fact(
        "sales_order.fulfilment_accepted",
        SalesOrder,
        "The warehouse accepted the released order for fulfilment.",
        "released",
    ),
    EventType(
        "sales_order.fulfilment_rejected",
        SalesOrder,
        StatusChange,
        "The warehouse refused to fulfil the released order; reason says why.",
        lambda data: {"number": data["number"]},
        key_of=_entity_key(SalesOrder),
        check=_needs_reason,
    ),
    _status_fact("sales_order.picked", SalesOrder, "All lines were picked.", "picked"),
    _status_fact("sales_order.packed", SalesOrder, "All lines were packed.", "packed"),
    _status_fact("sales_order.shipped", SalesOrder, "All goods left the warehouse.", "shipped"),
    _status_fact("sales_order.delivered", SalesOrder, "All goods were delivered.", "delivered"),
    _status_fact("sales_order.cancelled", SalesOrder, "The order was cancelled.", "cancelled"),
    _correction("sales_order.status_corrected", SalesOrder, "The owner corrected the status."),
    EventType(
        "stock.level_reported",
        StockLevel,
        StockLevel,
        "A location reported its absolute quantity on hand (a count or a snapshot).",
        _whole(),
        snapshot_field="on_hand",
        key_of=_entity_key(StockLevel),
        check=_needs_quantity,
    ),
    EventType(
        "stock.adjusted",
        StockLevel,
        StockAdjustment,
        "Stock at a location moved by a delta (received, damaged, found...).",
        lambda data: {"location": data["location"], "sku": data["sku"], "on_hand": data["delta"]},
        delta_field="on_hand",
        key_of=_stock_level_key,
    ),
    _whole_fact("shipment.created", Shipment, "A shipment (picking) was created."),
    _whole_fact("shipment.changed", Shipment, "Some fields of a shipment changed."),
    _whole_fact("shipment.packed", Shipment, "The shipment was packed into packages."),
    _whole_fact("shipment.dispatched", Shipment, "The shipment was handed to its carrier."),
    EventType(
        "shipment.milestone_recorded",
        Shipment,
        ShipmentMilestone,
        "A carrier or TMS reported a tracking milestone.",
        _milestone,
        key_of=_shipment_number,
    ),
    EventType(
        "shipment.route_planned",
        Shipment,
        RoutePlan,
        "A transport system planned the shipment's stop on a route, with its ETA.",
        lambda data: {"number": data["shipment_number"]},
        key_of=_shipment_number,
    ),
    EventType(
        "shipment.milestone_corrected",
        Shipment,
        ShipmentMilestone,
        "The owner of tracking corrected an earlier milestone (may move it backwards).",
        _milestone,
        correction=True,
        key_of=_shipment_number,
    ),
    _whole_fact("invoice.created", Invoice, "An invoice was drafted.", "draft"),
    _whole_fact("invoice.posted", Invoice, "An invoice was posted (issued).", "posted"),
    _status_fact("invoice.paid", Invoice, "An invoice was paid in full.", "paid"),
    _status_fact("invoice.cancelled", Invoice, "An invoice was cancelled.", "cancelled"),
    _whole_fact("return.requested", Return, "A customer asked to return goods.", "requested"),
    _status_fact("return.authorized", Return, "The return was authorised.", "authorized"),
    _whole_fact("return.received", Return, "Returned goods arrived.", "received"),
    _status_fact("return.refunded", Return, "The customer was refunded.", "refunded"),
    _status_fact("return.rejected", Return, "The return was rejected.", "rejected"),
]


def _pointer(name: str) -> str:
    return "/values/" + name.replace("~", "~0").replace("/", "~1")


def _acceptance(cls: type[Entity]) -> EventType:
    """``<domain>.value_accepted``: a steward's decision (see ``model.stewardship``)."""
    domain = cls.domain
    ledger = {
        name
        for fact in _FACTS
        if fact.domain == domain
        for name in (fact.delta_field, fact.snapshot_field)
        if name is not None
    }

    def check(data: JsonObject) -> list[tuple[str, str]]:
        values, replaces = data.get("values") or {}, data.get("replaces") or {}
        problems = []
        if set(values) != set(replaces):
            problems.append(("/replaces", "must name the same fields as values (null: no value)"))
        governed = entity_fields(domain) - set(cls.identity())
        for name in values:
            if name not in governed:
                known = ", ".join(sorted(governed))
                problems.append((_pointer(name), f"{domain} has no field {name!r} to set; {known}"))
            elif name in ledger:
                problems.append(
                    (
                        _pointer(name),
                        f"{name} moves only by its owner's counts and adjustments; a steward "
                        "cannot set it",
                    )
                )
        proposed = EVENT_TYPES.get(str(data.get("proposed_type")))
        if proposed is None or proposed.domain != domain or proposed.steward_decision:
            problems.append(("/proposed_type", f"must be a {domain} event type that sets values"))
        return problems

    tree = personal_fields(cls)
    return EventType(
        domain + ACCEPTED_SUFFIX,
        cls,
        AcceptedValue,
        f"A data steward accepted a {domain} value that governance had refused or queued; it "
        "applies as the owner's write and is routed as the fact that proposed it.",
        lambda data: dict(data["values"]),
        key_of=lambda data: data.get("entity_key"),
        check=check,
        steward_decision=True,
        pii={"values": tree, "replaces": tree} if tree else {},
    )


_FACTS += [_acceptance(cls) for cls in ENTITY_TYPES.values()]

EVENT_TYPES: dict[str, EventType] = {fact.name: fact for fact in _FACTS}
"""Every known event type by name."""


def event_type(name: str) -> EventType | None:
    return EVENT_TYPES.get(name)


def entity_fields(domain: str) -> set[str]:
    """The field names an entity of ``domain`` has (for validating ownership rules)."""
    for fact in _FACTS:
        if fact.domain == domain:
            return set(fact.entity.model_fields) - {"schema_version", "external_ids"}
    return set()


def entity_pii(domain: str) -> PiiTree | None:
    """Where an entity of ``domain`` (its projection state) holds personal data; ``None`` for
    a domain the model does not know (then all of it must be treated as personal)."""
    for fact in _FACTS:
        if fact.domain == domain:
            return personal_fields(fact.entity)
    return None


def payload_pii(name: str) -> PiiTree | None:
    """Where the ``data`` of an event of type ``name`` holds personal data; ``None`` for an
    unknown type."""
    fact = EVENT_TYPES.get(name)
    if fact is None:
        return None
    return fact.pii if fact.pii is not None else personal_fields(fact.payload)
