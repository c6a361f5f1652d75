"""Stock levels -> ``stock.quant``: Odoo's on-hand quantity set to what the warehouse counted.

Odoo takes a count as an inventory adjustment: the quant's ``inventory_quantity`` is set in
``inventory_mode`` and then applied (``action_apply_inventory``), which books the difference as
a stock move. A batch costs three calls: read the quants, set the counted quantities, apply
them. Applying is not idempotent by itself (a second apply of a stale count would book the
difference again), so quants already at the counted quantity are left out: after an answer
lost in transit, the retry finds the count applied and does nothing.

Canonical locations are mapped to Odoo locations by external id in the system's
``locations`` setting (``{WH1: stock.stock_location_stock}``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.connectors.odoo.lookups import MissingReference, OdooIds
from logisync.connectors.odoo.records import EntityState, amount, delivered, later, refused
from logisync.connectors.odoo.rpc import OdooRpc
from logisync.connectors.odoo.settings import OdooSettings
from logisync.core.delivery.connector import ItemResult

MODEL = "stock.quant"
_INVENTORY = {"inventory_mode": True}


class QuantWriter:
    domain = "stock_level"

    def __init__(self, rpc: OdooRpc, ids: OdooIds, settings: OdooSettings, version: int):
        self._rpc = rpc
        self._ids = ids
        self._settings = settings

    def write(self, entities: Sequence[EntityState]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(entities)
        wanted: dict[int, tuple[int, int, Decimal]] = {}  # position -> product, location, qty
        products = self._ids.by_key(
            "product.product", "default_code", [str(e.state.get("sku")) for e in entities]
        )
        for position, entity in enumerate(entities):
            try:
                wanted[position] = self._target(entity, products)
            except MissingReference as error:
                results[position] = later(str(error)) if error.transient else refused(str(error))
        current = self._quantities(list(wanted.values()))
        to_count = {
            position: (product, location, quantity)
            for position, (product, location, quantity) in wanted.items()
            if current.get((product, location), (None, Decimal(0)))[1] != quantity
        }
        counted, failures = self._count_isolating(to_count)
        for position, failure in failures.items():
            results[position] = failure
        for position, (product, location, _) in wanted.items():
            quant = counted.get((product, location)) or current.get((product, location))
            results[position] = results[position] or (
                delivered(MODEL, quant[0]) if quant and quant[0] else refused("no quant")
            )
        return [result or refused("not written") for result in results]

    def _target(self, entity: EntityState, products: dict[str, int]) -> tuple[int, int, Decimal]:
        state = entity.state
        sku, location = str(state.get("sku")), str(state.get("location"))
        if state.get("on_hand") is None:
            raise MissingReference(
                f"stock level {entity.key} has no on_hand to count", transient=False
            )
        if sku not in products:
            raise MissingReference(f"no product.product in Odoo for SKU {sku} (yet)")
        if location not in self._settings.locations:
            raise MissingReference(
                f"location {location!r} is not mapped: add it to the Odoo system's 'locations' "
                "(canonical location: external id of an Odoo stock.location)",
                transient=False,
            )
        odoo_location = self._ids.xmlid(self._settings.locations[location])
        return products[sku], odoo_location, amount(state["on_hand"])

    def _quantities(
        self, wanted: list[tuple[int, int, Decimal]]
    ) -> dict[tuple[int, int], tuple[int | None, Decimal]]:
        if not wanted:
            return {}
        rows = self._rpc.call(
            MODEL,
            "search_read",
            domain=[
                ["product_id", "in", sorted({p for p, _, _ in wanted})],
                ["location_id", "in", sorted({loc for _, loc, _ in wanted})],
            ],
            fields=["product_id", "location_id", "quantity"],
        )
        return {
            (_id(row["product_id"]), _id(row["location_id"])): (
                int(row["id"]),
                Decimal(str(row["quantity"])),
            )
            for row in rows
        }

    def _count_isolating(
        self, to_count: dict[int, tuple[int, int, Decimal]]
    ) -> tuple[dict[tuple[int, int], tuple[int, Decimal]], dict[int, ItemResult]]:
        """Count them together; if Odoo refuses the batch, one by one, so that one product
        it will not count (a consumable) does not hold back the others."""
        try:
            return self._count(list(to_count.values())), {}
        except OdooCallFailed as error:
            if error.transient or len(to_count) == 1:
                raise
        counted: dict[tuple[int, int], tuple[int, Decimal]] = {}
        failures: dict[int, ItemResult] = {}
        for position, count in to_count.items():
            try:
                counted.update(self._count([count]))
            except OdooCallFailed as error:
                failures[position] = later(str(error)) if error.transient else refused(str(error))
        return counted, failures

    def _count(
        self, counts: list[tuple[int, int, Decimal]]
    ) -> dict[tuple[int, int], tuple[int, Decimal]]:
        if not counts:
            return {}
        vals = [
            {"product_id": product, "location_id": location, "inventory_quantity": float(quantity)}
            for product, location, quantity in counts
        ]
        created = self._rpc.call(MODEL, "create", vals_list=vals, context=_INVENTORY)
        quant_ids = [int(i) for i in created] if isinstance(created, list) else [int(created)]
        self._rpc.call(MODEL, "action_apply_inventory", ids=quant_ids, context=_INVENTORY)
        return {
            (product, location): (quant_id, quantity)
            for (product, location, quantity), quant_id in zip(counts, quant_ids, strict=True)
        }


def _id(value: object) -> int:
    return int(value[0]) if isinstance(value, list) else int(str(value))
