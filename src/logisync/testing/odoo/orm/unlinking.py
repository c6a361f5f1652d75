"""``unlink``: the model's refusals first, then the database's ``ondelete`` rules.

Ids that no longer exist are skipped, as Odoo does. The rows that reference a deleted
record are handled like PostgreSQL's foreign keys: ``cascade`` deletes them without running
their own business checks (the database does it, not the ORM), ``set null`` empties the link
(a NOT NULL violation when the link is required), ``restrict`` refuses. Deleting through the
ORM also deletes the record's external ids; a cascade does not, which is how Odoo databases
end up with dangling external ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logisync.testing.odoo.orm.access import check_access
from logisync.testing.odoo.orm.integrity import ForeignKeyViolation, NotNullViolation

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

XMLID_MODEL = "ir.model.data"


def unlink_records(env: Env, model: str, ids: list[int]) -> None:
    spec = env.spec(model)
    check_access(env, model, "unlink")
    existing = [i for i in dict.fromkeys(ids) if env.store.exists(model, i)]
    if not existing:
        return
    if spec.hooks.before_unlink is not None:
        spec.hooks.before_unlink(env, existing)
    if model != XMLID_MODEL:
        for data_id in _external_ids(env, model, existing):
            env.store.delete(XMLID_MODEL, data_id)
    _delete(env, model, existing)


def _external_ids(env: Env, model: str, ids: list[int]) -> list[int]:
    found: set[int] = set()
    for record_id in ids:
        found |= env.store.lookup(XMLID_MODEL, ("model", "res_id"), (model, record_id))
    return sorted(found)


def _delete(env: Env, model: str, ids: list[int]) -> None:
    """Delete rows and apply the foreign keys that point at them."""
    doomed = set(ids)
    for record_id in ids:
        env.store.delete(model, record_id)
    for other, spec in env.txn.registry.items():
        for definition in spec.stored_fields():
            if definition.relation != model:
                continue
            if definition.type == "many2one":
                _apply_ondelete(env, other, definition.name, definition.ondelete, doomed)
            elif definition.type == "many2many":
                _drop_links(env, other, definition.name, doomed)


def _apply_ondelete(env: Env, model: str, field: str, ondelete: str, doomed: set[int]) -> None:
    spec = env.spec(model)
    referencing: set[int] = set()
    for target in doomed:
        referencing |= env.store.referencing(model, field, target)
    if not referencing:
        return
    if ondelete == "cascade":
        _delete(env, model, sorted(referencing))
    elif ondelete == "restrict":
        raise ForeignKeyViolation(model, field)
    elif spec.fields[field].required:
        raise NotNullViolation(model, field)
    else:
        for record_id in sorted(referencing):
            env.store.update(model, record_id, {field: False})


def _drop_links(env: Env, model: str, field: str, doomed: set[int]) -> None:
    for row in list(env.store.rows(model)):
        links = row.get(field) or []
        if any(target in doomed for target in links):
            kept = [target for target in links if target not in doomed]
            env.store.update(model, row["id"], {field: kept})
