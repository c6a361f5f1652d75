"""x2many command tuples: ``(0, 0, vals)`` create, ``(1, id, vals)`` update, ``(2, id, 0)``
delete, ``(3, id, 0)`` unlink, ``(4, id, 0)`` link, ``(5, 0, 0)`` clear, ``(6, 0, ids)`` set.

A one2many is changed by writing its children's inverse many2one (unlinking a child whose
inverse is ``ondelete='cascade'`` deletes it, as Odoo does); a many2many keeps the list of
ids in the owner's row. Plain ids and dicts are accepted as Odoo accepts them (a list of ids
means "set", a dict means "create").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.fields import Field
from logisync.testing.odoo.orm.integrity import ForeignKeyViolation
from logisync.testing.odoo.orm.reading import one2many_ids

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

CREATE, UPDATE, DELETE, UNLINK, LINK, CLEAR, SET = range(7)


def normalize(value: Any) -> list[tuple[int, Any, Any]]:
    """The command list for whatever a client may write to an x2many field."""
    if value is None or value is False:
        return [(CLEAR, 0, 0)]
    if not isinstance(value, list | tuple):
        raise errors.ServerValueError(f"Wrong value for an x2many field: {value!r}")
    if value and all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        return [(SET, 0, list(value))]
    commands: list[tuple[int, Any, Any]] = []
    for item in value:
        if isinstance(item, dict):
            commands.append((CREATE, 0, item))
        elif isinstance(item, list | tuple) and item and item[0] in range(7):
            padded = [*item, 0, 0][:3]
            commands.append((int(padded[0]), padded[1], padded[2]))
        else:
            raise errors.ServerValueError(f"Invalid x2many command: {item!r}")
    return commands


def apply(env: Env, model: str, record_id: int, definition: Field, value: Any) -> None:
    """Run the commands of ``value`` on field ``definition`` of one record."""
    for command, target, payload in normalize(value):
        if definition.type == "one2many":
            _one2many(env, record_id, definition, command, target, payload)
        else:
            _many2many(env, model, record_id, definition, command, target, payload)


def _one2many(
    env: Env, parent: int, definition: Field, command: int, target: Any, payload: Any
) -> None:
    comodel = env[definition.relation or ""]
    inverse = definition.inverse_name or ""
    if command == CREATE:
        comodel.create({**(payload or {}), inverse: parent})
    elif command == UPDATE:
        comodel.write([int(target)], dict(payload or {}))
    elif command == DELETE:
        comodel.unlink([int(target)])
    elif command == UNLINK:
        _detach(env, definition, [int(target)])
    elif command == LINK:
        comodel.write([int(target)], {inverse: parent})
    elif command == CLEAR:
        _detach(env, definition, one2many_ids(env, definition, parent))
    else:
        wanted = [int(i) for i in payload or []]
        current = one2many_ids(env, definition, parent)
        _detach(env, definition, [i for i in current if i not in wanted])
        if wanted:
            comodel.write(wanted, {inverse: parent})


def _detach(env: Env, definition: Field, child_ids: list[int]) -> None:
    """Remove children from a one2many: deleted when their link is ``ondelete='cascade'``
    (they cannot exist alone), else their inverse many2one is emptied."""
    if not child_ids:
        return
    comodel = env[definition.relation or ""]
    inverse = comodel.spec.fields[definition.inverse_name or ""]
    if inverse.ondelete == "cascade":
        comodel.unlink(child_ids)
    else:
        comodel.write(child_ids, {inverse.name: False})


def _many2many(
    env: Env,
    model: str,
    record_id: int,
    definition: Field,
    command: int,
    target: Any,
    payload: Any,
) -> None:
    comodel = env[definition.relation or ""]
    row = env.store.get(model, record_id) or {}
    current: list[int] = list(row.get(definition.name) or [])
    if command == CREATE:
        current.append(comodel.create(dict(payload or {})))
    elif command == UPDATE:
        comodel.write([int(target)], dict(payload or {}))
    elif command == DELETE:
        comodel.unlink([int(target)])
        current = [i for i in current if i != int(target)]
    elif command == UNLINK:
        current = [i for i in current if i != int(target)]
    elif command == LINK:
        if int(target) not in current:
            current.append(int(target))
    elif command == CLEAR:
        current = []
    else:
        current = list(dict.fromkeys(int(i) for i in payload or []))
    missing = [i for i in current if not env.store.exists(comodel.name, i)]
    if missing:
        raise ForeignKeyViolation(model, definition.name)
    env.store.update(model, record_id, {definition.name: current})
