"""The company and currencies (one company, "YourCompany", in EUR), and the ``company_id``
and ``currency_id`` fields Odoo documents carry: integrations read and write them even in a
single-company database, so they exist with Odoo's defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.spec import ModelSpec

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

MAIN_COMPANY = "base.main_company"


def main_company(env: Env) -> int | bool:
    return xmlids.record_id(env, MAIN_COMPANY, "res.company") or False


def company_currency(env: Env) -> Any:
    company = env.store.get("res.company", main_company(env) or 0) or {}
    return company.get("currency_id") or False


def company_field(default: bool = True, required: bool = False) -> f.Field:
    """``company_id``; documents default to the user's (the only) company."""
    return f.many2one(
        "res.company", "Company", required=required, default=main_company if default else None
    )


def currency_field() -> f.Field:
    return f.many2one("res.currency", "Currency", default=company_currency)


def company() -> ModelSpec:
    return ModelSpec(
        "res.company",
        "Companies",
        {
            "name": f.char("Company Name", required=True),
            "partner_id": f.many2one("res.partner", "Partner", required=True),
            "currency_id": f.many2one("res.currency", "Currency", required=True),
            "sequence": f.integer("Sequence", default=10),
            "active": f.boolean("Active", default=True),
        },
        order="sequence, name",
    )


def currency() -> ModelSpec:
    return ModelSpec(
        "res.currency",
        "Currency",
        {
            "name": f.char("Currency", required=True),
            "symbol": f.char("Symbol", required=True),
            "rounding": f.floating("Rounding Factor", default=0.01),
            "active": f.boolean("Active", default=True),
        },
        order="active desc, name",
    )
