"""``copy``: a new record from an existing one's copyable values.

Fields declared ``copy=False`` (names from sequences, states, dates, one2many by default)
are left to their defaults, so the copy of a confirmed order is a fresh quotation with its
own number, as in Odoo; one2many fields declared copyable (order lines, move lines) are
copied recursively. A model may add default values (a partner's ``"(copy)"`` suffix).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.reading import field_value, one2many_ids
from logisync.testing.odoo.orm.spec import MAGIC

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env


def copy_data(env: Env, model: str, record_id: int, skip: str | None = None) -> dict[str, Any]:
    """The values a copy of ``record_id`` is created with (``skip`` is the inverse field
    of a copied one2many, which the parent's create fills in)."""
    spec = env.spec(model)
    row = env[model].row(record_id)
    vals: dict[str, Any] = {}
    for name, definition in spec.fields.items():
        if name in MAGIC or name == skip or not definition.copy:
            continue
        if definition.compute is not None and definition.inverse is None:
            continue
        if definition.type == "one2many":
            children = one2many_ids(env, definition, record_id)
            vals[name] = [
                (0, 0, copy_data(env, definition.relation or "", child, definition.inverse_name))
                for child in children
            ]
        elif definition.type == "many2many":
            vals[name] = [(6, 0, list(field_value(env, model, row, name)))]
        elif definition.compute is None:
            vals[name] = field_value(env, model, row, name)
    if spec.hooks.copy_default is not None:
        vals.update(spec.hooks.copy_default(env, row))
    return vals


def copy_records(env: Env, model: str, ids: list[int], default: dict[str, Any] | None) -> Any:
    """16/17 copy exactly one record and return its id; 18+ copy each and return ids."""
    if not env.profile.copy_returns_list and len(ids) != 1:
        shown = ", ".join(map(str, ids))
        raise errors.ServerValueError(f"Expected singleton: {model}({shown},)")
    copies = []
    for record_id in ids:
        vals = copy_data(env, model, record_id)
        vals.update(default or {})
        copies.append(env[model].create(vals))
    return copies if env.profile.copy_returns_list else copies[0]
