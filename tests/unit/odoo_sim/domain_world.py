"""A small Odoo database in plain dataclasses, seen through the ``DomainRecord`` port.

Partners in a hierarchy (Acme > John Smith > Jane Doe, Globex > archived Old Corp) with a
country and tags (one archived), and sale orders with lines on products (one archived):
enough for every operator, path and active-record rule of the domain engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from logisync.testing.odoo.domain import filter_records
from logisync.testing.odoo.errors import ServerValueError

FIELDS: dict[str, dict[str, tuple[str, str | None]]] = {
    "res.partner": {
        "name": ("char", None),
        "email": ("char", None),
        "is_company": ("boolean", None),
        "active": ("boolean", None),
        "employees": ("integer", None),
        "credit_limit": ("float", None),
        "type": ("selection", None),
        "birthday": ("date", None),
        "write_date": ("datetime", None),
        "country_id": ("many2one", "res.country"),
        "parent_id": ("many2one", "res.partner"),
        "child_ids": ("one2many", "res.partner"),
        "category_id": ("many2many", "res.partner.category"),
    },
    "res.country": {"name": ("char", None), "code": ("char", None), "active": ("boolean", None)},
    "res.partner.category": {"name": ("char", None), "active": ("boolean", None)},
    "product.product": {"name": ("char", None), "active": ("boolean", None)},
    "sale.order": {
        "name": ("char", None),
        "state": ("selection", None),
        "date_order": ("datetime", None),
        "amount_total": ("monetary", None),
        "partner_id": ("many2one", "res.partner"),
        "order_line": ("one2many", "sale.order.line"),
    },
    "sale.order.line": {
        "name": ("char", None),
        "qty": ("float", None),
        "order_id": ("many2one", "sale.order"),
        "product_id": ("many2one", "product.product"),
    },
}
PARENT_FIELDS = {"res.partner": "parent_id"}


@dataclass
class Record:
    """One stored record; ``values`` holds what is set, the rest reads as Odoo's empty."""

    world: World
    model: str
    id: int
    values: dict[str, Any] = field(default_factory=dict)

    def _spec(self, name: str) -> tuple[str, str | None]:
        spec = FIELDS[self.model].get(name)
        if spec is None:
            raise ServerValueError(f"Invalid field {name!r} on model {self.model!r}")
        return spec

    def field_type(self, name: str) -> str:
        return self._spec(name)[0]

    def value(self, name: str) -> Any:
        kind, comodel = self._spec(name)
        if kind == "one2many":
            inverse = "parent_id" if comodel == self.model else "order_id"
            return [r.id for r in self.world.all(comodel or "") if r.value(inverse) == self.id]
        return self.values.get(name, [] if kind == "many2many" else False)

    def related(self, name: str) -> list[Record]:
        comodel = self.comodel(name)
        value = self.value(name)
        ids = value if isinstance(value, list) else [value] if value else []
        return self.lookup(comodel, ids)

    def display_name(self) -> str:
        return str(self.values.get("name", f"{self.model},{self.id}"))

    def comodel(self, name: str) -> str:
        return self._spec(name)[1] or ""

    def parent_field(self) -> str | None:
        return PARENT_FIELDS.get(self.model)

    def lookup(self, model: str, ids: list[int]) -> list[Record]:
        table = self.world.tables[model]
        return [table[i] for i in ids if i in table]

    def records(self, model: str) -> list[Record]:
        return self.world.all(model)


class World:
    """The database: ``add`` records, ``ids`` runs a domain over a whole model."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[int, Record]] = {model: {} for model in FIELDS}

    def add(self, model: str, record_id: int, **values: Any) -> Record:
        record = Record(self, model, record_id, values)
        self.tables[model][record_id] = record
        return record

    def all(self, model: str) -> list[Record]:
        return list(self.tables[model].values())

    def ids(self, domain: Any, model: str = "res.partner", *, active_test: bool = True) -> set[int]:
        found = filter_records(domain, self.all(model), active_test=active_test)
        return {record.id for record in found}


PARTNERS: dict[int, dict[str, Any]] = {
    1: {"name": "Acme", "email": "info@acme.example", "is_company": True, "employees": 50,
        "credit_limit": 1000.0, "country_id": 1, "category_id": [1],
        "write_date": "2024-05-01 10:00:00"},
    2: {"name": "John Smith", "email": "john@acme.example", "employees": 0, "type": "contact",
        "country_id": 1, "parent_id": 1, "write_date": "2024-05-01 23:30:00"},
    3: {"name": "Jane Doe", "email": "", "type": "delivery", "country_id": 2, "parent_id": 2,
        "birthday": "1990-02-03", "write_date": "2024-05-02 08:00:00"},
    4: {"name": "Globex", "is_company": True, "country_id": 2, "category_id": [1, 2],
        "write_date": "2023-12-31 12:00:00"},
    5: {"name": "Old Corp", "email": "old@corp.example", "is_company": True, "active": False,
        "country_id": 3, "parent_id": 4, "category_id": [3], "birthday": "2001-01-01",
        "write_date": "2020-01-01 00:00:00"},
    6: {"name": "Nobody"},
}  # fmt: skip
ORDERS: dict[int, dict[str, Any]] = {
    1: {"name": "SO001", "state": "sale", "partner_id": 1, "amount_total": 150.0,
        "date_order": "2024-05-01 09:00:00"},
    2: {"name": "SO002", "state": "draft", "partner_id": 3, "amount_total": 0.0,
        "date_order": "2024-05-02 00:00:00"},
    3: {"name": "SO003", "state": "cancel", "amount_total": 10.0},
    4: {"name": "SO004", "state": "sale", "partner_id": 5, "amount_total": 99.5},
}  # fmt: skip
LINES = [(1, 1, 1, 2.0), (2, 1, 2, 1.0), (3, 2, 1, 5.0), (4, 4, 3, 1.0)]  # id, order, product, qty


def sample_world() -> World:
    """The data every domain test reads (ids are what the tests assert)."""
    world = World()
    for cid, name, code, active in [
        (1, "Belgium", "BE", True),
        (2, "France", "FR", True),
        (3, "Atlantis", "AT", False),
    ]:
        world.add("res.country", cid, name=name, code=code, active=active)
    for tid, name, active in [(1, "Customer", True), (2, "Vendor", True), (3, "Old tag", False)]:
        world.add("res.partner.category", tid, name=name, active=active)
    for pid, values in PARTNERS.items():
        world.add("res.partner", pid, **{"active": True, **values})
    for pid, name, active in [(1, "Widget", True), (2, "Gadget", True), (3, "Old Thing", False)]:
        world.add("product.product", pid, name=name, active=active)
    for oid, values in ORDERS.items():
        world.add("sale.order", oid, **values)
    for lid, order, product, qty in LINES:
        world.add(
            "sale.order.line", lid, name=f"line {lid}", order_id=order, product_id=product, qty=qty
        )
    return world
