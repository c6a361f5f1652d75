"""A fresh simulated Odoo database per test, called the way the protocol server calls it.

``Odoo.call(model, method, *args, **kwargs)`` is ``execute_kw`` as the integration user
(uid 3) unless ``uid=`` says otherwise; the clock is manual so that write dates are known.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from logisync.core.clock import ManualClock
from logisync.testing.odoo.orm import OdooDatabase

VERSIONS = (16, 17, 18, 19)
SUPERUSER, ADMIN, INTEGRATION, READ_ONLY = 1, 2, 3, 4
START = datetime(2026, 3, 2, 9, 30, 0, 250000, tzinfo=UTC)


class Odoo:
    def __init__(self, path: Path, version: int) -> None:
        self.path = path
        self.version = version
        self.clock = ManualClock(START)
        self.db = OdooDatabase(path, version=version, clock=self.clock)

    def call(self, model: str, method: str, *args: Any, uid: int = INTEGRATION, **kw: Any) -> Any:
        return self.db.execute(uid, model, method, list(args), kw)

    def reopen(self) -> None:
        self.db.close()
        self.db = OdooDatabase(self.path, version=self.version, clock=self.clock)

    def ref(self, xmlid: str) -> int:
        module, name = xmlid.split(".", 1)
        return int(self.call("ir.model.data", "check_object_reference", module, name)[1])

    # -- business fixtures ------------------------------------------------------------------

    def storable_kind(self) -> dict[str, Any]:
        if self.version <= 17:
            return {"detailed_type": "product"}
        return {"type": "consu", "is_storable": True}

    def product(self, name: str = "Widget", code: str = "W-1", **values: Any) -> int:
        vals = {"name": name, "default_code": code, "list_price": 10.0, **self.storable_kind()}
        return int(self.call("product.product", "create", {**vals, **values}))

    def partner(self, name: str = "Acme", **values: Any) -> int:
        return int(self.call("res.partner", "create", {"name": name, **values}))

    def order(self, quantity: float = 5.0, **values: Any) -> int:
        line = {
            "product_id": values.pop("product_id", None) or self.product(),
            "product_uom_qty": quantity,
        }
        return int(
            self.call(
                "sale.order",
                "create",
                {"partner_id": self.partner(), "order_line": [(0, 0, line)], **values},
            )
        )

    def confirmed_picking(self, quantity: float = 5.0) -> int:
        order = self.order(quantity)
        self.call("sale.order", "action_confirm", [order])
        return int(self.call("sale.order", "read", [order], ["picking_ids"])[0]["picking_ids"][0])

    def moves(self, picking: int) -> list[dict[str, Any]]:
        return list(self.call("stock.move", "search_read", [("picking_id", "=", picking)], []))

    @property
    def done_field(self) -> str:
        return "quantity_done" if self.version == 16 else "quantity"

    def picking_state(self, picking: int) -> str:
        return str(self.call("stock.picking", "read", [picking], ["state"])[0]["state"])
