"""What a fresh database contains, with the external ids Odoo gives those records.

Enough of a freshly installed Odoo with sale, stock and invoicing for integrations to work
against: the superuser (uid 1) and the administrator (uid 2) first, then the configured
users; groups; a few countries and states; units of measure; the warehouse's locations and operation
types; a sales journal and tax; a shipping method; and one ``ir.model`` row per model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.access import GROUPS
from logisync.testing.odoo.orm.auth import ADMIN, UserSeed, digest

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

COUNTRIES = [
    ("us", "United States", "US", 1),
    ("de", "Germany", "DE", 49),
    ("fr", "France", "FR", 33),
    ("nl", "Netherlands", "NL", 31),
    ("uk", "United Kingdom", "GB", 44),
    ("be", "Belgium", "BE", 32),
]
STATES = [
    ("state_us_5", "California", "CA", "us"),
    ("state_us_27", "New York", "NY", "us"),
    ("state_de_by", "Bavaria", "BY", "de"),
    ("state_de_be", "Berlin", "BE", "de"),
]
UNITS = [
    ("product_uom_unit", "Units", 1.0),
    ("product_uom_dozen", "Dozens", 1 / 12),
    ("product_uom_kgm", "kg", 1.0),
    ("product_uom_gram", "g", 1000.0),
    ("product_uom_meter", "m", 1.0),
    ("product_uom_litre", "L", 1.0),
]
MODULES = {
    "res": "base",
    "ir": "base",
    "sale": "sale",
    "stock": "stock",
    "account": "account",
    "product": "product",
    "uom": "uom",
    "delivery": "delivery",
}


def create(env: Env, model: str, xmlid: str, values: dict[str, Any]) -> int:
    record_id = env[model].create(values)
    xmlids.assign(env, model, record_id, xmlid, noupdate=True)
    return record_id


def seed(env: Env, users: Sequence[UserSeed]) -> None:
    _groups(env)
    _users(env, users)
    for code, name, iso, phone in COUNTRIES:
        create(env, "res.country", f"base.{code}", {"name": name, "code": iso, "phone_code": phone})
    for xmlid, name, code, country in STATES:
        country_id = xmlids.record_id(env, f"base.{country}", "res.country")
        create(
            env,
            "res.country.state",
            f"base.{xmlid}",
            {"name": name, "code": code, "country_id": country_id},
        )
    for code, name, factor in UNITS:
        create(env, "uom.uom", f"uom.{code}", {"name": name, "factor": factor})
    create(env, "product.category", "product.product_category_all", {"name": "All"})
    _warehouse(env)
    _accounting(env)
    _shipping(env)
    for name, spec in sorted(env.txn.registry.items()):
        module = MODULES.get(name.split(".")[0], "base")
        create(
            env,
            "ir.model",
            f"{module}.model_{spec.table}",
            {"name": spec.description, "model": name, "transient": spec.transient},
        )


def _groups(env: Env) -> None:
    for xmlid, category, name in GROUPS:
        create(env, "res.groups", xmlid, {"name": name, "category_name": category})


def _users(env: Env, users: Sequence[UserSeed]) -> None:
    """uid 1 is the inactive superuser, uid 2 the administrator, then the others."""
    partner = create(
        env, "res.partner", "base.main_partner", {"name": "YourCompany", "is_company": True}
    )
    euro = create(env, "res.currency", "base.EUR", {"name": "EUR", "symbol": "\u20ac"})
    create(env, "res.currency", "base.USD", {"name": "USD", "symbol": "$"})
    create(
        env,
        "res.company",
        "base.main_company",
        {"name": "YourCompany", "partner_id": partner, "currency_id": euro},
    )
    root = create(
        env,
        "res.users",
        "base.user_root",
        {"login": "__system__", "name": "OdooBot", "active": False},
    )
    root_partner = (env.store.get("res.users", root) or {})["partner_id"]
    env.store.update("res.partner", root_partner, {"active": False})
    xmlids.assign(env, "res.partner", root_partner, "base.partner_root", noupdate=True)
    admin = next((user for user in users if user.login == ADMIN.login), ADMIN)
    for user in [admin, *(u for u in users if u.login != ADMIN.login)]:
        _user(env, user)


def _user(env: Env, user: UserSeed) -> None:
    groups = [xmlids.record_id(env, group, "res.groups") for group in user.groups]
    xmlid = "base.user_admin" if user.login == ADMIN.login else f"logisync.user_{user.login}"
    user_id = create(
        env,
        "res.users",
        xmlid,
        {
            "login": user.login,
            "name": user.name,
            "email": user.email or False,
            "tz": user.tz,
            "lang": user.lang,
            env.profile.users_groups_field: [(6, 0, [g for g in groups if g])],
        },
    )
    env.store.update(
        "res.users",
        user_id,
        {
            "_password": digest(user.password),
            "_api_keys": [digest(key) for key in user.api_keys],
        },
    )


def _warehouse(env: Env) -> None:
    company = xmlids.record_id(env, "base.main_company", "res.company")

    def location(xmlid: str, name: str, usage: str, parent: int | bool = False) -> int:
        """The warehouse's locations belong to the company; partner and virtual ones not."""
        owned = usage in ("internal", "view") and parent is not False
        values = {"name": name, "usage": usage, "location_id": parent}
        return create(env, "stock.location", xmlid, {**values, "company_id": owned and company})

    physical = location("stock.stock_location_locations", "Physical Locations", "view")
    partners = location("stock.stock_location_locations_partner", "Partners", "view")
    virtual = location("stock.stock_location_locations_virtual", "Virtual Locations", "view")
    warehouse = location("stock.warehouse0_view_location", "WH", "view", physical)
    stock = location("stock.stock_location_stock", "Stock", "internal", warehouse)
    customers = location("stock.stock_location_customers", "Customers", "customer", partners)
    vendors = location("stock.stock_location_suppliers", "Vendors", "supplier", partners)
    location("stock.location_inventory", "Inventory adjustment", "inventory", virtual)
    kinds = [
        ("picking_type_in", "Receipts", "incoming", "IN", vendors, stock),
        ("picking_type_out", "Delivery Orders", "outgoing", "OUT", stock, customers),
        ("picking_type_internal", "Internal Transfers", "internal", "INT", stock, stock),
    ]
    for xmlid, name, code, prefix, source, target in kinds:
        create(
            env,
            "stock.picking.type",
            f"stock.{xmlid}",
            {
                "name": name,
                "code": code,
                "sequence_code": prefix,
                "warehouse_name": "WH",
                "default_location_src_id": source,
                "default_location_dest_id": target,
            },
        )


def _accounting(env: Env) -> None:
    create(
        env,
        "account.journal",
        "account.sale_journal",
        {"name": "Customer Invoices", "code": "INV", "type": "sale"},
    )
    create(
        env,
        "account.journal",
        "account.purchase_journal",
        {"name": "Vendor Bills", "code": "BILL", "type": "purchase"},
    )
    create(
        env,
        "account.journal",
        "account.general_journal",
        {"name": "Miscellaneous Operations", "code": "MISC", "type": "general"},
    )
    create(env, "account.tax", "account.tax_sale_15", {"name": "15%", "amount": 15.0})


def _shipping(env: Env) -> None:
    kind = {"detailed_type": "service", "type": "service"}
    if not env.profile.product_has_detailed_type:
        kind = {"type": "service"}
    product = create(
        env,
        "product.product",
        "delivery.product_product_delivery",
        {
            "name": "Standard delivery",
            "list_price": 0.0,
            "invoice_policy": "order",
            **kind,
            "default_code": "Delivery_007",
        },
    )
    create(
        env,
        "delivery.carrier",
        "delivery.free_delivery_carrier",
        {"name": "Standard delivery", "product_id": product, "fixed_price": 0.0},
    )
