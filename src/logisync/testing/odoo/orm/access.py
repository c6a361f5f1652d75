"""Access rights: Odoo's ``ir.model.access`` table (CRUD per group) and its refusals.

The table below is a condensed copy of what the sale, stock, account and base modules grant
(their ``security/ir.model.access.csv``), plus one group of the simulator's own, a
read-only role. A user's groups are the ``res.groups`` records on their user; the
superuser (uid 1, or an environment in ``sudo``) bypasses every check, as in Odoo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logisync.testing.odoo import errors

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

OPERATIONS = {"read": "r", "write": "w", "create": "c", "unlink": "u"}

GROUPS: list[tuple[str, str, str]] = [
    ("base.group_user", "User types", "Internal User"),
    ("base.group_erp_manager", "Administration", "Access Rights"),
    ("base.group_system", "Administration", "Settings"),
    ("base.group_allow_export", "Technical", "Access to export feature"),
    ("base.group_partner_manager", "Extra Rights", "Contact Creation"),
    ("sales_team.group_sale_salesman", "Sales", "User: Own Documents Only"),
    ("sales_team.group_sale_manager", "Sales", "Administrator"),
    ("stock.group_stock_user", "Inventory", "User"),
    ("stock.group_stock_manager", "Inventory", "Administrator"),
    ("account.group_account_invoice", "Invoicing", "Billing"),
    ("account.group_account_manager", "Invoicing", "Billing Administrator"),
    ("logisync.group_read_only", "Technical", "Read-only access"),
]
"""(external id, category, name) of every group; ``full_name`` is "category / name"."""

_USER = "base.group_user"
_SALE = "sales_team.group_sale_salesman"
_SALE_ADMIN = "sales_team.group_sale_manager"
_STOCK = "stock.group_stock_user"
_STOCK_ADMIN = "stock.group_stock_manager"
_BILLING = "account.group_account_invoice"
_ADMIN = "base.group_erp_manager"
_SETTINGS = "base.group_system"
_READ_ONLY = "logisync.group_read_only"

ACCESS: dict[str, list[tuple[str, str]]] = {
    "res.partner": [(_USER, "r"), ("base.group_partner_manager", "rwcu"), (_SALE, "rwc")],
    "res.country": [(_USER, "r"), (_SETTINGS, "rwcu")],
    "res.company": [(_USER, "r"), (_SETTINGS, "rwcu")],
    "res.currency": [(_USER, "r"), (_SETTINGS, "rwcu")],
    "res.country.state": [(_USER, "r"), (_SETTINGS, "rwcu")],
    "res.users": [(_USER, "r"), (_ADMIN, "rwcu")],
    "res.groups": [(_USER, "r"), (_ADMIN, "rwcu")],
    "ir.model": [(_USER, "r"), (_SETTINGS, "rwcu")],
    "ir.model.data": [(_ADMIN, "rwcu")],
    "uom.uom": [(_USER, "r"), (_SALE_ADMIN, "rwcu"), (_STOCK_ADMIN, "rwcu")],
    "product.template": [(_USER, "r"), (_SALE_ADMIN, "rwcu"), (_STOCK_ADMIN, "rwcu")],
    "product.product": [(_USER, "r"), (_SALE_ADMIN, "rwcu"), (_STOCK_ADMIN, "rwcu")],
    "product.category": [(_USER, "r"), (_SALE_ADMIN, "rwcu"), (_STOCK_ADMIN, "rwcu")],
    "sale.order": [(_SALE, "rwc"), (_SALE_ADMIN, "rwcu"), (_BILLING, "rw"), (_READ_ONLY, "r")],
    "sale.order.line": [(_SALE, "rwcu"), (_BILLING, "rw"), (_READ_ONLY, "r")],
    "sale.order.cancel": [(_SALE, "rwc")],
    "sale.advance.payment.inv": [(_SALE, "rwc")],
    "stock.location": [(_USER, "r"), (_STOCK_ADMIN, "rwcu")],
    "stock.picking.type": [(_USER, "r"), (_STOCK_ADMIN, "rwcu")],
    "stock.picking": [(_STOCK, "rwcu"), (_SALE, "r"), (_READ_ONLY, "r")],
    "stock.move": [(_STOCK, "rwc"), (_STOCK_ADMIN, "rwcu"), (_SALE, "r"), (_READ_ONLY, "r")],
    "stock.quant": [(_USER, "r"), (_STOCK, "rwc"), (_STOCK_ADMIN, "rwcu")],
    "stock.immediate.transfer": [(_STOCK, "rwc")],
    "stock.backorder.confirmation": [(_STOCK, "rwc")],
    "delivery.carrier": [(_USER, "r"), (_STOCK_ADMIN, "rwcu"), (_SALE_ADMIN, "rwcu")],
    "account.move": [(_BILLING, "rwcu"), ("account.group_account_manager", "r"), (_READ_ONLY, "r")],
    "account.move.line": [(_BILLING, "rwcu"), (_READ_ONLY, "r")],
    "account.tax": [(_USER, "r"), ("account.group_account_manager", "rwcu")],
    "account.journal": [(_USER, "r"), ("account.group_account_manager", "rwcu")],
}
"""Model -> (group, letters of the operations it grants: read, write, create, unlink)."""


def check_access(env: Env, model: str, operation: str) -> None:
    """Raise Odoo's AccessError unless one of the user's groups grants ``operation``."""
    if env.su:
        return
    letter = OPERATIONS[operation]
    groups = user_groups(env, env.uid)
    if _SETTINGS in groups:
        return
    rows = ACCESS.get(model, [])
    if any(group in groups and letter in perms for group, perms in rows):
        return
    raise access_error(env, model, operation)


def access_error(env: Env, model: str, operation: str) -> errors.AccessError:
    heads = {
        "read": "You are not allowed to access '{kind}' ({model}) records.",
        "write": "You are not allowed to modify '{kind}' ({model}) records.",
        "create": "You are not allowed to create '{kind}' ({model}) records.",
        "unlink": "You are not allowed to delete '{kind}' ({model}) records.",
    }
    head = heads[operation].format(kind=env.spec(model).description, model=model)
    letter = OPERATIONS[operation]
    names = {xmlid: f"{category} / {name}" for xmlid, category, name in GROUPS}
    allowed = [names[group] for group, perms in ACCESS.get(model, []) if letter in perms]
    if allowed:
        info = "This operation is allowed for the following groups:\n" + "\n".join(
            f"\t- {name}" for name in allowed
        )
    else:
        info = "No group currently allows this operation."
    resolution = "Contact your administrator to request access if necessary."
    return errors.AccessError(f"{head}\n\n{info}\n\n{resolution}")


def user_groups(env: Env, uid: int) -> set[str]:
    """The external ids of the groups of user ``uid`` (read once per call)."""
    cached = env.txn.groups.get(uid)
    if cached is None:
        cached = env.txn.groups[uid] = _read_groups(env, uid)
    return cached


def _read_groups(env: Env, uid: int) -> set[str]:
    row = env.store.get("res.users", uid)
    if row is None:
        return set()
    field = env.profile.users_groups_field
    found = set()
    for group_id in row.get(field) or []:
        for data_id in env.store.lookup(
            "ir.model.data", ("model", "res_id"), ("res.groups", group_id)
        ):
            data = env.store.get("ir.model.data", data_id) or {}
            found.add(f"{data.get('module')}.{data.get('name')}")
    return found


def has_group(env: Env, xmlid: str) -> bool:
    return env.su or xmlid in user_groups(env, env.uid) or _SETTINGS in user_groups(env, env.uid)
