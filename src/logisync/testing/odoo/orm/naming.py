"""Record names: ``name_search``, ``name_get`` (16/17) and ``name_create``.

``name_search`` matches the model's searchable name fields (Odoo's ``_rec_names_search``:
a partner's email and reference, a product's internal reference and barcode) with OR for
positive operators and AND for negative ones, and skips the filter for an empty ``ilike``
(which matches everything).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.reading import name_of
from logisync.testing.odoo.orm.searching import search_ids

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

NEGATIVE = frozenset({"!=", "not like", "not ilike", "not in", "not =like", "not =ilike"})


def name_search(
    env: Env, model: str, name: str, domain: list[Any] | None, operator: str, limit: int | None
) -> list[list[Any]]:
    spec = env.spec(model)
    fields = spec.search_names or ((spec.rec_name,) if spec.rec_name else ("display_name",))
    terms: list[Any] = list(domain or [])
    if not (name == "" and operator in ("like", "ilike")):
        joiner = "&" if operator in NEGATIVE else "|"
        terms += [joiner] * (len(fields) - 1) + [(field, operator, name) for field in fields]
    ids = search_ids(env, model, terms, 0, limit or None, None)
    return [[record_id, name_of(env, model, record_id)] for record_id in ids]


def name_get(env: Env, model: str, ids: list[int]) -> list[list[Any]]:
    return [[i, name_of(env, model, i)] for i in ids if env.store.exists(model, i)]


def name_create(env: Env, model: str, name: str) -> list[Any]:
    spec = env.spec(model)
    if spec.rec_name is None:
        raise errors.UserError(f"Cannot execute name_create, no _rec_name defined on {model}")
    record_id = env[model].create({spec.rec_name: name})
    return [record_id, name_of(env, model, record_id)]
