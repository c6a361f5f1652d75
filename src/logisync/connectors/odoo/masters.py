"""Master data the hub may own: partners -> ``res.partner``, products -> ``product.product``.

Both are plain upserts by external id through ``load``, one call per batch; a field the hub
does not know is left out of the row, so it stays as it is in Odoo.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from logisync.connectors.odoo.loading import ImportRecord, load_records
from logisync.connectors.odoo.lookups import OdooIds
from logisync.connectors.odoo.records import (
    EntityState,
    amount,
    delivered,
    known,
    row_refused,
)
from logisync.connectors.odoo.rpc import OdooRpc
from logisync.connectors.odoo.settings import OdooSettings
from logisync.connectors.odoo.xmlids import xmlid
from logisync.core.delivery.connector import ItemResult


class _LoadWriter:
    domain: str
    model: str

    def __init__(self, rpc: OdooRpc, ids: OdooIds, settings: OdooSettings, version: int):
        self._rpc = rpc
        self._ids = ids
        self._settings = settings
        self._version = version

    def write(self, entities: Sequence[EntityState]) -> list[ItemResult]:
        records = [ImportRecord(self._cells(entity)) for entity in entities]
        loaded = load_records(self._rpc, self.model, records)
        return [
            delivered(self.model, record_id)
            if record_id is not None
            else row_refused(self.model, error)
            for record_id, error in zip(loaded.ids, loaded.errors, strict=True)
        ]

    def _xmlid(self, entity: EntityState) -> str:
        return xmlid(self._settings.module, self.domain, entity.key)

    def _cells(self, entity: EntityState) -> dict[str, str]:
        raise NotImplementedError


class PartnerWriter(_LoadWriter):
    domain = "partner"
    model = "res.partner"

    def _cells(self, entity: EntityState) -> dict[str, str]:
        state = entity.state
        address: dict[str, Any] = state.get("address") or {}
        country = address.get("country")
        company = state.get("is_company")
        return known(
            {
                "id": self._xmlid(entity),
                "ref": entity.key,
                "name": state.get("name") or entity.key,
                "company_type": None if company is None else ("company" if company else "person"),
                "email": state.get("email"),
                "phone": state.get("phone"),
                "vat": state.get("vat"),
                "street": address.get("street"),
                "street2": address.get("street2"),
                "city": address.get("city"),
                "zip": address.get("postal_code"),
                "country_id/.id": self._country(country) if country else None,
                "active": state.get("active"),
            }
        )

    def _country(self, code: str) -> int | None:
        return self._ids.by_key("res.country", "code", [code]).get(code)


class ProductWriter(_LoadWriter):
    domain = "product"
    model = "product.product"

    def _cells(self, entity: EntityState) -> dict[str, str]:
        state = entity.state
        weight = state.get("weight")
        price = state.get("list_price")
        return known(
            {
                "id": self._xmlid(entity),
                "default_code": entity.key,
                "name": state.get("name") or entity.key,
                "barcode": state.get("gtin"),
                "lst_price": amount(price) if price else None,
                "weight": _kilograms(weight) if weight else None,
                "active": state.get("active"),
                **self._kind(state.get("stock_tracked")),
            }
        )

    def _kind(self, stock_tracked: bool | None) -> dict[str, Any]:
        """Storable or not: ``detailed_type`` in 16-17, ``is_storable`` from 18 on."""
        if stock_tracked is None:
            return {}
        if self._version >= 18:
            return {"type": "consu", "is_storable": stock_tracked}
        return {"detailed_type": "product" if stock_tracked else "consu"}


_TO_KG = {"KGM": 1, "GRM": 0.001, "LBR": 0.45359237, "ONZ": 0.028349523125, "TNE": 1000}


def _kilograms(weight: dict[str, Any]) -> Any:
    """Odoo keeps product weight in kg (the default weight unit)."""
    factor = _TO_KG.get(str(weight.get("unit", "KGM")), 1)
    return amount(weight) * type(amount(weight))(str(factor))
