"""Products: ``product.template`` and its variants ``product.product``.

A variant keeps its template's fields on the template (Odoo's ``_inherits``), so creating a
variant creates its template and creating a template creates its single variant; the
internal reference and barcode live on the variant and the template shows its single
variant's. Product kinds differ by version: 16/17 ``detailed_type``/``type`` in
consu/service/product, 18+ ``type`` in consu/service/combo with ``is_storable``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm import xmlids
from logisync.testing.odoo.orm.models.company import company_field
from logisync.testing.odoo.orm.reading import field_value, name_of
from logisync.testing.odoo.orm.spec import Hooks, ModelSpec
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

NO_VARIANT_CONTEXT = "create_product_product"
VARIANT_FIELDS = ("default_code", "barcode")


def _default_uom(env: Env) -> int | bool:
    return xmlids.record_id(env, "uom.product_uom_unit", "uom.uom") or False


def _default_category(env: Env) -> int | bool:
    return xmlids.record_id(env, "product.product_category_all", "product.category") or False


def _variant_ids(env: Env, template_id: int) -> list[int]:
    return sorted(env.store.referencing("product.product", "product_tmpl_id", template_id))


def _from_single_variant(name: str) -> f.Compute:
    def compute(env: Env, row: f.Row) -> Any:
        variants = _variant_ids(env, row["id"])
        if len(variants) != 1:
            return False
        return (env.store.get("product.product", variants[0]) or {}).get(name, False)

    return compute


def _to_single_variant(name: str) -> f.Inverse:
    def inverse(env: Env, template_id: int, value: Any) -> None:
        variants = _variant_ids(env, template_id)
        if len(variants) == 1:
            env["product.product"].write(variants, {name: value})

    return inverse


def _qty_available(env: Env, row: f.Row) -> float:
    """On-hand quantity: the product's quants in internal locations."""
    product_ids = [row["id"]] if "product_tmpl_id" in row else _variant_ids(env, row["id"])
    total = 0.0
    for product_id in product_ids:
        for quant_id in env.store.referencing("stock.quant", "product_id", product_id):
            quant = env.store.get("stock.quant", quant_id) or {}
            location = env.store.get("stock.location", quant.get("location_id") or 0) or {}
            if location.get("usage") == "internal":
                total += float(quant.get("quantity") or 0.0)
    return total


def kind_fields(profile: VersionProfile) -> dict[str, f.Field]:
    if profile.product_has_detailed_type:
        kinds = [("consu", "Consumable"), ("service", "Service"), ("product", "Storable Product")]
        return {
            "detailed_type": f.selection("Product Type", kinds, default="consu", required=True),
            "type": f.selection("Type", kinds, default="consu", required=True),
        }
    kinds = [("consu", "Goods"), ("service", "Service"), ("combo", "Combo")]
    return {
        "type": f.selection("Product Type", kinds, default="consu", required=True),
        "is_storable": f.boolean("Track Inventory"),
    }


def template_fields(profile: VersionProfile) -> dict[str, f.Field]:
    fields = {
        "name": f.char("Name", required=True),
        "sequence": f.integer("Sequence", default=1),
        "description_sale": f.text("Sales Description"),
        "list_price": f.floating("Sales Price", default=1.0),
        "standard_price": f.floating("Cost"),
        "weight": f.floating("Weight"),
        "volume": f.floating("Volume"),
        "sale_ok": f.boolean("Can be Sold", default=True),
        "purchase_ok": f.boolean("Can be Purchased", default=True),
        "invoice_policy": f.selection(
            "Invoicing Policy",
            [("order", "Ordered quantities"), ("delivery", "Delivered quantities")],
            default="order",
        ),
        "uom_id": f.many2one("uom.uom", "Unit of Measure", required=True, default=_default_uom),
        "categ_id": f.many2one("product.category", "Product Category", default=_default_category),
        "active": f.boolean("Active", default=True),
        "company_id": company_field(default=False),
        "qty_available": f.floating("Quantity On Hand", compute=_qty_available),
    }
    fields.update(kind_fields(profile))
    return fields


def _sync_kind(profile: VersionProfile, vals: dict[str, Any]) -> dict[str, Any]:
    """16/17 compute ``type`` from ``detailed_type``; a write of ``type`` alone follows."""
    if not profile.product_has_detailed_type:
        return vals
    if "detailed_type" in vals:
        return {**vals, "type": vals["detailed_type"]}
    if "type" in vals:
        return {**vals, "detailed_type": vals["type"]}
    return vals


def template(profile: VersionProfile) -> ModelSpec:
    fields = template_fields(profile)
    for name in VARIANT_FIELDS:
        label = "Internal Reference" if name == "default_code" else "Barcode"
        fields[name] = f.char(
            label, compute=_from_single_variant(name), inverse=_to_single_variant(name)
        )
    fields["product_variant_ids"] = f.one2many("product.product", "product_tmpl_id", "Products")
    fields["product_variant_id"] = f.many2one(
        "product.product",
        "Product",
        compute=lambda env, row: (_variant_ids(env, row["id"]) or [False])[0],
    )
    fields["product_variant_count"] = f.integer(
        "# Product Variants", compute=lambda env, row: len(_variant_ids(env, row["id"]))
    )

    def prepare(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        return _sync_kind(profile, vals)

    def after_create(env: Env, ids: list[int], vals_list: list[dict[str, Any]]) -> None:
        if NO_VARIANT_CONTEXT in env.context:
            return
        for template_id, vals in zip(ids, vals_list, strict=True):
            variant = {name: vals[name] for name in VARIANT_FIELDS if vals.get(name)}
            env.with_context(**{NO_VARIANT_CONTEXT: False})["product.product"].create(
                {**variant, "product_tmpl_id": template_id}
            )

    return ModelSpec(
        "product.template",
        "Product",
        fields,
        order="sequence, name, id",
        search_names=("name", "default_code", "barcode"),
        hooks=Hooks(
            prepare_create=prepare,
            after_create=after_create,
            before_write=lambda env, ids, vals: _sync_kind(profile, vals),
            copy_default=lambda env, row: {"name": f"{row.get('name')} (copy)"},
        ),
    )


def variant_display(env: Env, row: f.Row) -> str:
    name = field_value(env, "product.product", row, "name") or ""
    code = row.get("default_code")
    return f"[{code}] {name}" if code else str(name)


def _create_template_first(env: Env, vals: dict[str, Any]) -> dict[str, Any]:
    """A variant created alone creates its template from the template's fields."""
    if vals.get("product_tmpl_id"):
        return vals
    spec = env.spec("product.product")
    parent = {k: v for k, v in vals.items() if spec.fields[k].delegate == "product_tmpl_id"}
    own = {k: v for k, v in vals.items() if k not in parent}
    template_env = env.with_context(**{NO_VARIANT_CONTEXT: False})
    own["product_tmpl_id"] = template_env["product.template"].create(parent)
    return own


def _check_barcode_uniqueness(env: Env, ids: list[int]) -> None:
    barcodes = {
        row["barcode"]
        for row in (env.store.get("product.product", i) or {} for i in ids)
        if row.get("barcode")
    }
    if not barcodes:
        return
    order = "id" if env.version == 16 else None
    found = env.sudo()["product.product"].search([("barcode", "in", sorted(barcodes))], order=order)
    by_barcode: dict[str, list[int]] = {}
    for product_id in found:
        by_barcode.setdefault(env["product.product"].row(product_id)["barcode"], []).append(
            product_id
        )
    duplicates = [
        f'- Barcode "{barcode}" already assigned to product(s): '
        + ", ".join(name_of(env, "product.product", i) for i in products)
        for barcode, products in by_barcode.items()
        if len(products) > 1
    ]
    if duplicates:
        text = "\n".join(duplicates)
        if env.version >= 17:
            text += "\n\nNote: products that you don't have access to will not be shown above."
        raise errors.ValidationError(f"Barcode(s) already assigned:\n\n{text}")


def variant(profile: VersionProfile) -> ModelSpec:
    fields: dict[str, f.Field] = {
        name: f.Field(**{**_field_args(spec), "delegate": "product_tmpl_id"})
        for name, spec in template_fields(profile).items()
        if name not in ("active", "qty_available")
    }
    fields.update(
        {
            "product_tmpl_id": f.many2one(
                "product.template",
                "Product Template",
                required=True,
                ondelete="cascade",
                copy=False,
            ),
            "default_code": f.char("Internal Reference"),
            "barcode": f.char("Barcode", copy=False),
            "active": f.boolean("Active", default=True),
            "lst_price": f.floating(
                "Sales Price",
                compute=lambda env, row: field_value(env, "product.product", row, "list_price"),
                inverse=lambda env, i, v: env["product.product"].write([i], {"list_price": v}),
            ),
            "qty_available": f.floating("Quantity On Hand", compute=_qty_available),
        }
    )
    return ModelSpec(
        "product.product",
        "Product Variant",
        fields,
        order="default_code, name, id",
        display=variant_display,
        search_names=("default_code", "name", "barcode"),
        hooks=Hooks(
            prepare_create=_create_template_first,
            before_write=lambda env, ids, vals: _sync_kind(profile, vals),
            constraints=(_check_barcode_uniqueness,),
        ),
    )


def _field_args(spec: f.Field) -> dict[str, Any]:
    return {
        "type": spec.type,
        "string": spec.string,
        "required": spec.required,
        "readonly": spec.readonly,
        "relation": spec.relation,
        "selection": spec.selection,
        "default": spec.default,
    }


def category() -> ModelSpec:
    return ModelSpec(
        "product.category",
        "Product Category",
        {
            "name": f.char("Name", required=True),
            "parent_id": f.many2one("product.category", "Parent Category", ondelete="cascade"),
        },
        order="name",
        parent_field="parent_id",
    )


def product_models(profile: VersionProfile) -> list[ModelSpec]:
    return [template(profile), variant(profile), category()]
