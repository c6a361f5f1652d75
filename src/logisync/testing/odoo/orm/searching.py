"""``search``: the domain, the implicit ``active`` filter, the order, offset and limit.

Records are scanned in memory (fast enough for tens of thousands); the domain language
itself is the ``domain`` package's. Ordering follows PostgreSQL's defaults: empty values
last when ascending and first when descending, text compared case-insensitively as a
typical ``en_US.UTF-8`` collation does, a many2one by its target's display name, and the
id as the final tie-break so that equal keys keep a stable order.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import domain as domains
from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.access import check_access
from logisync.testing.odoo.orm.reading import field_spec, field_value, name_of
from logisync.testing.odoo.orm.records import StoredRecord
from logisync.testing.odoo.orm.storage import Row

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

_ORDER_TERM = re.compile(r'^\s*"?(\w+)"?(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$', re.I)


def search_ids(
    env: Env,
    model: str,
    domain: Any,
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
) -> list[int]:
    rows = matching_rows(env, model, domain)
    ordered = sort_rows(env, model, rows, order)
    ids = [row["id"] for row in ordered]
    start = int(offset or 0)
    return ids[start : start + int(limit)] if limit else ids[start:]


def search_count(env: Env, model: str, domain: Any, limit: int | None = None) -> int:
    count = len(matching_rows(env, model, domain))
    return min(count, int(limit)) if limit else count


def matching_rows(env: Env, model: str, domain: Any) -> list[Row]:
    spec = env.spec(model)
    check_access(env, model, "read")
    # An empty domain matches everything (Odoo normalizes it to TRUE_LEAF first).
    node = domains.parse(domain, version=env.version) if domain else domains.Constant(True)
    if spec.has_active and env.active_test and not domains.mentions(node, "active"):
        node = domains.And((domains.Leaf("active", "=", True), node))
    view = env.with_context(active_test=False)
    candidates = _candidates(env, model, node)
    rows = env.store.rows(model) if candidates is None else candidates
    return [
        row
        for row in rows
        if domains.matches(node, StoredRecord(view, model, row), active_test=env.active_test)
    ]


def _candidates(env: Env, model: str, node: domains.Node) -> list[Row] | None:
    """Rows that may match, from an index, when the domain requires an id or a many2one
    value (``('picking_id', '=', 7)``, ``('id', 'in', ids)``); ``None`` means "scan all".
    The full domain is still evaluated on each candidate."""
    leaves = node.children if isinstance(node, domains.And) else (node,)
    for leaf in leaves:
        if isinstance(leaf, domains.And):
            found = _candidates(env, model, leaf)
            if found is not None:
                return found
        if not isinstance(leaf, domains.Leaf) or leaf.operator not in ("=", "in"):
            continue
        values = leaf.value if isinstance(leaf.value, list | tuple) else [leaf.value]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            continue
        if leaf.path == "id":
            ids = set(values)
        else:
            definition = env.spec(model).fields.get(leaf.path)
            if definition is None or definition.type != "many2one" or not definition.stored:
                continue
            ids = set().union(*(env.store.referencing(model, leaf.path, v) for v in values))
        return [row for i in sorted(ids) if (row := env.store.get(model, i)) is not None]
    return None


def parse_order(env: Env, model: str, order: str | None) -> list[tuple[str, bool]]:
    """``"f1 desc, f2"`` as (field, descending) pairs; unknown fields and malformed terms
    raise ValueError as in Odoo."""
    spec = env.spec(model)
    text = order or spec.order
    terms = []
    for part in text.split(","):
        if not part.strip():
            continue
        found = _ORDER_TERM.match(part)
        if found is None:
            raise errors.ServerValueError(f"Invalid order {text!r} for model {model!r}")
        name = found.group(1)
        if name != "id":
            field_spec(spec, name)
        terms.append((name, (found.group(2) or "asc").lower() == "desc"))
    return terms


def sort_rows(env: Env, model: str, rows: list[Row], order: str | None) -> list[Row]:
    terms = parse_order(env, model, order)
    ordered = sorted(rows, key=lambda row: row["id"])
    for name, descending in reversed(terms):
        keyed = [(_sort_key(env, model, row, name), row) for row in ordered]
        keyed.sort(key=lambda pair: pair[0], reverse=descending)
        ordered = [row for _key, row in keyed]
    return ordered


def _sort_key(env: Env, model: str, row: Row, name: str) -> tuple[int, Any]:
    if name == "id":
        return (0, row["id"])
    definition = env.spec(model).fields[name]
    value = field_value(env, model, row, name)
    if definition.type == "boolean":
        return (0, bool(value))
    if value is None or value is False or value == []:
        return (1, 0)
    if definition.type == "many2one":
        return (0, name_of(env, definition.relation or "", value).casefold())
    if isinstance(value, str):
        return (0, value.casefold())
    if isinstance(value, list):
        return (0, tuple(value))
    return (0, value)
