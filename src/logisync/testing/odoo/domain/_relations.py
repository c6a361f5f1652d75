"""Conditions on relational fields: ids, names, and the ``child_of``/``parent_of`` hierarchy.

A many2one or x2many compared with ints compares ids; compared with strings it compares the
related records' ``display_name`` (Odoo's name search). A negative operator is the
complement of its positive form over the whole field: ``('tag_ids', '!=', 5)`` means "no tag
5", ``('partner_id', 'not ilike', 'acme')`` also finds orders without a partner.

Which related records count follows Odoo's sub-searches: a many2one always sees archived
records (Odoo searches it with ``active_test=False``), an x2many compared by ids sees every
linked record, and an x2many searched by name or sub-domain hides archived ones when the
caller's ``active_test`` is on.

Names given to ``child_of``/``parent_of`` or to ``in``/``=`` are compared with
``display_name`` exactly, as Odoo 18+ resolves them (``display_name in names``); Odoo 16/17
resolved a ``child_of`` name with an ``ilike`` name search instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from logisync.testing.odoo.domain._record import DomainRecord
from logisync.testing.odoo.domain._values import INEQUALITIES, like
from logisync.testing.odoo.errors import ServerTypeError, ServerValueError

X2MANY_TYPES = frozenset({"one2many", "many2many"})
RELATIONAL_TYPES = X2MANY_TYPES | {"many2one"}


def visible(records: Sequence[DomainRecord], active_test: bool) -> Sequence[DomainRecord]:
    """``records`` without the archived ones when ``active_test`` is on."""
    if not active_test:
        return records
    return [record for record in records if _is_active(record)]


def _is_active(record: DomainRecord) -> bool:
    try:
        kind = record.field_type("active")
    except ServerValueError:
        return True
    return kind != "boolean" or bool(record.value("active"))


def _is_null_id(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, int) and value == 0)


def _ids_and_names(values: tuple[Any, ...]) -> tuple[set[int], list[str]]:
    ids = {v for v in values if isinstance(v, int) and not isinstance(v, bool) and v}
    return ids, [v for v in values if isinstance(v, str)]


def many2one_in(record: DomainRecord, name: str, values: tuple[Any, ...]) -> bool:
    """The many2one is one of ``values``: an id, a display name, or ``False`` for unset."""
    current = record.value(name)
    if not current:
        return any(_is_null_id(value) for value in values)
    ids, names = _ids_and_names(values)
    if current in ids:
        return True
    return bool(names) and any(r.display_name() in names for r in record.related(name))


def x2many_in(record: DomainRecord, name: str, values: tuple[Any, ...], active_test: bool) -> bool:
    """Some linked record is one of ``values`` (ids or display names), or, with ``False``
    among them, nothing is linked at all."""
    linked = record.value(name) or []
    if not linked and any(_is_null_id(value) for value in values):
        return True
    ids, names = _ids_and_names(values)
    if any(link in ids for link in linked):
        return True
    related = visible(record.related(name), active_test) if names else []
    return any(r.display_name() in names for r in related)


def names_like(related: Sequence[DomainRecord], op: str, pattern: str) -> bool:
    """A pattern operator on the related records' display names: positive when some record
    matches, negative when none does (so an empty field matches a negative pattern)."""
    positive = op.removeprefix("not ")
    hit = any(like(positive, r.display_name(), pattern) for r in related)
    return hit != op.startswith("not ")


def many2one_compare(
    record: DomainRecord, name: str, op: str, value: Any, condition: tuple[Any, ...]
) -> bool:
    """An inequality on a many2one compares ids; an unset field never matches."""
    if isinstance(value, str):
        raise ServerTypeError(
            f"Inequality not supported for relational field using a string in condition "
            f"{condition!r}"
        )
    if value is False or value is None:
        return False
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ServerValueError(f"Invalid value {value!r} for an id in condition {condition!r}")
    current = record.value(name)
    return bool(current) and INEQUALITIES[op](current, value)


def x2many_compare(record: DomainRecord, name: str, condition: tuple[Any, ...]) -> bool:
    """Odoo has no inequality on x2many fields (its SQL builder asserts 'any')."""
    if isinstance(condition[2], str):
        raise ServerTypeError(
            f"Inequality not supported for relational field using a string in condition "
            f"{condition!r}"
        )
    raise ServerValueError(
        f"Relational field {record.model}.{name} expects 'any' operator in condition {condition!r}"
    )


def hierarchy(
    record: DomainRecord, name: str, kind: str, value: Any, condition: tuple[Any, ...]
) -> bool:
    """``child_of``/``parent_of``: ``value`` (ids, display names, or both) names the roots;
    ``child_of`` matches the roots and everything below them through the parent field,
    ``parent_of`` the roots and everything above them.

    On ``id``, and on a many2one to the model itself (``('parent_id', 'child_of', 7)``), the
    record itself is placed in the hierarchy, as in Odoo; on any other relational field, the
    records it points to are.
    """
    targets, model, parent = _hierarchy_targets(record, name, kind, condition)
    ids, names = _roots(value)
    if not ids and not names:
        return False
    if condition[1] == "child_of":
        return any(
            ancestor.id in ids or ancestor.display_name() in names
            for target in targets
            for ancestor in _lineage(target, parent)
        )
    roots = list(record.lookup(model, sorted(ids))) if ids else []
    if names:
        roots += [r for r in record.records(model) if r.display_name() in names]
    above = {ancestor.id for root in roots for ancestor in _lineage(root, parent)}
    return any(target.id in above for target in targets)


def _hierarchy_targets(
    record: DomainRecord, name: str, kind: str, condition: tuple[Any, ...]
) -> tuple[Sequence[DomainRecord], str, str | None]:
    """The records placed in the hierarchy, their model, and the parent field to walk."""
    if kind == "id":
        return [record], record.model, record.parent_field()
    if kind == "many2one" and record.comodel(name) == record.model:
        return [record], record.model, name
    if kind in RELATIONAL_TYPES:
        targets = record.related(name)
        parent = targets[0].parent_field() if targets else None
        return targets, record.comodel(name), parent
    raise ServerValueError(
        f"Cannot execute {condition[1]} for {record.model}.{name}, works only for relational "
        f"fields in condition {condition!r}"
    )


def _roots(value: Any) -> tuple[set[int], list[str]]:
    """The ids and display names ``child_of``/``parent_of`` start from (``False`` or ``0``:
    none, so nothing matches, as in Odoo)."""
    if isinstance(value, bool) or value is None:
        return set(), []
    if isinstance(value, int | str):
        value = (value,)
    if not isinstance(value, list | tuple | set | frozenset):
        raise ServerTypeError(f"Invalid argument to get ids from hierarchy: {value!r}")
    return _ids_and_names(tuple(value))


def _lineage(record: DomainRecord, parent: str | None) -> Iterator[DomainRecord]:
    """``record`` then its ancestors through ``parent``, stopping at a cycle."""
    seen: set[int] = set()
    current: DomainRecord | None = record
    while current is not None and current.id not in seen:
        seen.add(current.id)
        yield current
        above = current.related(parent) if parent else []
        current = above[0] if above else None
