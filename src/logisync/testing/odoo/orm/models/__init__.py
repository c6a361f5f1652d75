"""Every model the simulated database has, declared per version."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm.models.account import account_models
from logisync.testing.odoo.orm.models.base import base_models
from logisync.testing.odoo.orm.models.company import company, currency
from logisync.testing.odoo.orm.models.delivery import carrier
from logisync.testing.odoo.orm.models.invoicing import wizard as invoicing_wizard
from logisync.testing.odoo.orm.models.product import product_models
from logisync.testing.odoo.orm.models.sale import sale_models
from logisync.testing.odoo.orm.models.stock import location, picking, picking_type
from logisync.testing.odoo.orm.models.stock_moves import move
from logisync.testing.odoo.orm.models.stock_quants import KEY as QUANT_KEY
from logisync.testing.odoo.orm.models.stock_quants import quant
from logisync.testing.odoo.orm.models.stock_wizards import wizard_models
from logisync.testing.odoo.orm.spec import ModelSpec, with_magic
from logisync.testing.odoo.orm.versions import VersionProfile
from logisync.testing.odoo.orm.xmlids import BY_NAME, BY_RECORD

EXTRA_INDEXES: dict[str, list[tuple[str, ...]]] = {
    "ir.model.data": [BY_NAME, BY_RECORD],
    "stock.quant": [QUANT_KEY],
}


@cache
def build_registry(profile: VersionProfile) -> dict[str, ModelSpec]:
    """Every model of ``profile``'s version, built once per version (the specs are never
    changed after this, so databases of one version share them)."""
    specs = [
        *base_models(profile),
        company(),
        currency(),
        *product_models(profile),
        *sale_models(profile),
        location(),
        picking_type(),
        picking(profile),
        move(profile),
        quant(),
        *wizard_models(profile),
        *account_models(profile),
        invoicing_wizard(),
        carrier(profile),
    ]
    registry = {spec.name: with_magic(spec) for spec in specs}
    if profile.version == 16:
        for spec in registry.values():
            spec.fields["__last_update"] = replace(LAST_UPDATE, name="__last_update")
    return registry


LAST_UPDATE = f.datetime_field(
    "Last Modified on",
    compute=lambda env, row: row.get("write_date") or row.get("create_date") or False,
)
"""16's ``__last_update`` (Odoo's concurrency check field, gone in 17)."""


def index_columns(registry: dict[str, ModelSpec]) -> dict[str, list[tuple[str, ...]]]:
    """The columns the store indexes: every stored many2one (one2many fields, ``ondelete``
    rules and most searches follow them) and the lookup keys some models need."""
    indexes: dict[str, list[tuple[str, ...]]] = {}
    for name, spec in registry.items():
        columns = [(field.name,) for field in spec.stored_fields() if field.type == "many2one"]
        indexes[name] = columns + EXTRA_INDEXES.get(name, [])
    return indexes
