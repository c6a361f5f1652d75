"""The ``base`` and ``uom`` models integrations touch: partners, countries, users and
groups, units of measure, and the metadata models (``ir.model``, ``ir.model.data``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.auth import digest
from logisync.testing.odoo.orm.models.company import company_field, main_company
from logisync.testing.odoo.orm.reading import field_value
from logisync.testing.odoo.orm.spec import Hooks, ModelSpec, model_method
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env


def partner_display(env: Env, row: f.Row) -> str:
    """Odoo's ``complete_name``: "Company, Person" for a contact of a company."""
    name = row.get("name") or ""
    parent_id = row.get("parent_id")
    if parent_id and not row.get("is_company"):
        parent = env.store.get("res.partner", parent_id) or {}
        return f"{parent.get('name') or ''}, {name}".strip()
    return str(name).strip()


def _company_type(env: Env, row: f.Row) -> str:
    return "company" if row.get("is_company") else "person"


def _set_company_type(env: Env, record_id: int, value: Any) -> None:
    env.store.update("res.partner", record_id, {"is_company": value == "company"})


def _commercial_partner(env: Env, row: f.Row) -> int:
    current = row
    while current.get("parent_id") and not current.get("is_company"):
        current = env.store.get("res.partner", current["parent_id"]) or {}
    return int(current.get("id") or row["id"])


def _partner_types(profile: VersionProfile) -> list[tuple[str, str]]:
    types = [("contact", "Contact"), ("invoice", "Invoice Address")]
    types.append(("delivery", "Delivery Address"))
    if profile.partner_has_private_type:
        types.append(("private", "Private Address"))
    types.append(("other", "Other Address"))
    return types


def _partner_fields(profile: VersionProfile) -> dict[str, f.Field]:
    fields = {
        "name": f.char("Name"),
        "complete_name": f.char("Complete Name", compute=partner_display),
        "ref": f.char("Reference"),
        "vat": f.char("Tax ID"),
        "email": f.char("Email"),
        "phone": f.char("Phone"),
        "street": f.char("Street"),
        "street2": f.char("Street2"),
        "zip": f.char("Zip"),
        "city": f.char("City"),
        "state_id": f.many2one("res.country.state", "State", ondelete="restrict"),
        "country_id": f.many2one("res.country", "Country", ondelete="restrict"),
        "is_company": f.boolean("Is a Company"),
        "company_type": f.selection(
            "Company Type",
            [("person", "Individual"), ("company", "Company")],
            compute=_company_type,
            inverse=_set_company_type,
        ),
        "parent_id": f.many2one("res.partner", "Related Company"),
        "child_ids": f.one2many("res.partner", "parent_id", "Contact"),
        "commercial_partner_id": f.many2one(
            "res.partner", "Commercial Entity", compute=_commercial_partner
        ),
        "type": f.selection("Address Type", _partner_types(profile), default="contact"),
        "active": f.boolean("Active", default=True),
        "lang": f.char("Language", default="en_US"),
        "tz": f.char("Timezone"),
        "comment": f.text("Notes"),
        "customer_rank": f.integer("Customer Rank"),
        "company_id": company_field(default=False),
        "supplier_rank": f.integer("Supplier Rank"),
    }
    if profile.partner_has_mobile:
        fields["mobile"] = f.char("Mobile")
    return fields


def partner(profile: VersionProfile) -> ModelSpec:
    return ModelSpec(
        "res.partner",
        "Contact",
        _partner_fields(profile),
        order="complete_name, id desc",
        parent_field="parent_id",
        display=partner_display,
        search_names=("complete_name", "email", "ref", "vat"),
        hooks=Hooks(copy_default=lambda env, row: {"name": f"{row.get('name')} (copy)"}),
    )


def country() -> ModelSpec:
    return ModelSpec(
        "res.country",
        "Country",
        {
            "name": f.char("Country Name", required=True),
            "code": f.char("Country Code"),
            "phone_code": f.integer("Country Calling Code"),
            "state_ids": f.one2many("res.country.state", "country_id", "States"),
        },
        order="name",
    )


def country_state() -> ModelSpec:
    def display(env: Env, row: f.Row) -> str:
        country_row = env.store.get("res.country", row.get("country_id") or 0) or {}
        return f"{row.get('name')} ({country_row.get('code') or ''})"

    return ModelSpec(
        "res.country.state",
        "Country state",
        {
            "name": f.char("State Name", required=True),
            "code": f.char("State Code", required=True),
            "country_id": f.many2one("res.country", "Country", required=True, ondelete="cascade"),
        },
        order="code",
        display=display,
        search_names=("name", "code"),
    )


def groups() -> ModelSpec:
    def full_name(env: Env, row: f.Row) -> str:
        category = row.get("category_name")
        return f"{category} / {row.get('name')}" if category else str(row.get("name") or "")

    return ModelSpec(
        "res.groups",
        "Access Groups",
        {
            "name": f.char("Name", required=True),
            "category_name": f.char("Application"),
            "full_name": f.char("Group Name", compute=full_name),
        },
        rec_name="full_name",
        order="name",
    )


def _password(env: Env, row: f.Row) -> str:
    """Odoo never reads a password back: the field is always empty."""
    return ""


def _set_password(env: Env, record_id: int, value: Any) -> None:
    if value:
        env.store.update("res.users", record_id, {"_password": digest(str(value))})


def _context_get(env: Env, model: str) -> dict[str, Any]:
    """``res.users.context_get``: the caller's language, time zone and uid (odoorpc and
    odooly read it right after logging in; JSON-2 clients use it to learn their uid)."""
    row = env.store.get("res.users", env.uid)
    if row is None:
        return {}
    lang = field_value(env, "res.users", row, "lang") or "en_US"
    tz = field_value(env, "res.users", row, "tz") or False
    return {"lang": lang, "tz": tz, "uid": env.uid}


def _unique_login(env: Env, ids: list[int]) -> None:
    """PostgreSQL's ``UNIQUE (login)``, worded as Odoo reports an SQL constraint."""
    logins = [row.get("login") for row in env.store.rows("res.users")]
    for user_id in ids:
        if logins.count((env.store.get("res.users", user_id) or {}).get("login")) > 1:
            raise errors.ValidationError(
                "The operation cannot be completed: You can not have two users with the "
                "same login !"
            )


def users(profile: VersionProfile) -> ModelSpec:
    return ModelSpec(
        "res.users",
        "User",
        {
            "login": f.char("Login", required=True),
            "partner_id": f.many2one(
                "res.partner", "Related Partner", required=True, ondelete="restrict"
            ),
            "name": f.char("Name", delegate="partner_id"),
            "email": f.char("Email", delegate="partner_id"),
            "lang": f.char("Language", delegate="partner_id"),
            "tz": f.char("Timezone", delegate="partner_id"),
            "password": f.char("Password", compute=_password, inverse=_set_password, copy=False),
            profile.users_groups_field: f.many2many("res.groups", "Groups"),
            "active": f.boolean("Active", default=True),
            "share": f.boolean("Share User"),
            "company_id": company_field(required=True),
            "company_ids": f.many2many(
                "res.company", "Companies", default=lambda env: [(6, 0, [main_company(env)])]
            ),
            "login_date": f.datetime_field("Latest Login", readonly=True),
        },
        order="name, login",
        methods={"context_get": model_method(_context_get)},
        search_names=("name", "login"),
        hooks=Hooks(constraints=(_unique_login,)),
    )


def ir_model() -> ModelSpec:
    return ModelSpec(
        "ir.model",
        "Models",
        {
            "name": f.char("Model Description", required=True),
            "model": f.char("Model", required=True),
            "state": f.selection(
                "Type", [("manual", "Custom Object"), ("base", "Base Object")], default="base"
            ),
            "transient": f.boolean("Transient Model"),
        },
        order="model",
        search_names=("name", "model"),
    )


def _check_object_reference(
    env: Env, model: str, module: str, xml_id: str, raise_on_access_error: bool = False
) -> list[Any]:
    """``env.ref`` over RPC (odoorpc): ``[model, id]``, found without access rights on
    ``ir.model.data``; ``[model, False]`` (or AccessError) when the record is not
    readable."""
    found = xmlids.check_object_reference(env, module, xml_id)
    if found[1] is False and raise_on_access_error:
        raise errors.AccessError(
            f"Not enough access rights on the external ID {module + '.' + xml_id!r}"
        )
    return found


def ir_model_data() -> ModelSpec:
    def complete_name(env: Env, row: f.Row) -> str:
        return f"{row.get('module')}.{row.get('name')}"

    return ModelSpec(
        "ir.model.data",
        "Model Data",
        {
            "name": f.char("External Identifier", required=True),
            "complete_name": f.char("Complete ID", compute=complete_name),
            "model": f.char("Model Name", required=True),
            "module": f.char("Module", required=True, default=""),
            "res_id": f.integer("Record ID"),
            "noupdate": f.boolean("Non Updatable"),
        },
        rec_name="complete_name",
        order="module, model, name",
        methods={"check_object_reference": model_method(_check_object_reference)},
    )


def uom() -> ModelSpec:
    return ModelSpec(
        "uom.uom",
        "Product Unit of Measure",
        {
            "name": f.char("Unit of Measure", required=True),
            "factor": f.floating("Ratio", default=1.0),
            "rounding": f.floating("Rounding Precision", default=0.01),
            "active": f.boolean("Active", default=True),
        },
        order="name",
    )


def base_models(profile: VersionProfile) -> list[ModelSpec]:
    return [
        partner(profile),
        country(),
        country_state(),
        groups(),
        users(profile),
        ir_model(),
        ir_model_data(),
        uom(),
    ]
