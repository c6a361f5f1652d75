"""Shipping methods (``delivery.carrier``; the ``delivery`` module in 16, ``stock_delivery``
adds the transfer fields in 17+). 19 added the ``tracking_url`` template that transfers
fill with their tracking reference."""

from __future__ import annotations

from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm.models.company import company_field
from logisync.testing.odoo.orm.spec import ModelSpec
from logisync.testing.odoo.orm.versions import VersionProfile


def carrier(profile: VersionProfile) -> ModelSpec:
    fields = {
        "name": f.char("Delivery Method", required=True),
        "sequence": f.integer("Sequence", default=10),
        "delivery_type": f.selection(
            "Provider",
            [("base_on_rule", "Based on Rules"), ("fixed", "Fixed Price")],
            default="fixed",
            required=True,
        ),
        "product_id": f.many2one("product.product", "Delivery Product", ondelete="restrict"),
        "fixed_price": f.floating("Fixed Price"),
        "active": f.boolean("Active", default=True),
        "company_id": company_field(default=False),
    }
    if profile.carrier_has_tracking_url:
        fields["tracking_url"] = f.char("Tracking Link")
    return ModelSpec("delivery.carrier", "Shipping Methods", fields, order="sequence, id")
