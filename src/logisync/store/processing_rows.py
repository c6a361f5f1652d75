"""A processed batch's results as table rows, for both backends.

Encoded before the write transaction (JSON and tuples cost CPU, not the lock), in the column
order of each backend's ``queries.sql``; the backends differ only in how a JSON column is
passed (SQLite takes bytes, PostgreSQL text), hence ``dumps``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from logisync.core.order_to_cash import order_number_of
from logisync.core.ports import ConflictRecord, EntityResult

Row = tuple[Any, ...]
Dumps = Callable[[Any], Any]


class ProcessingRows(NamedTuple):
    """A batch's results as the rows ``commit`` writes, encoded before the write lock is taken."""

    projections: list[Row]
    processed: list[Row]
    conflicts: list[Row]
    links: list[Row]
    event_deliveries: list[Row]
    state_deliveries: list[Row]
    last_seq: dict[str, int]  # per entity, the last event processed
    parked: list[tuple[str, str]]  # (entity, reason)
    orders: set[str]  # orders whose documents changed: their order-to-cash stage is redone


def encode(results: Sequence[EntityResult], dumps: Dumps) -> ProcessingRows:
    """Encode every result as rows (pure: no connection). The tuples follow the columns of the
    queries ``commit`` runs; the ports' named tuples are already in that order."""
    rows = ProcessingRows([], [], [], [], [], [], {}, [], set())
    for result in results:
        projection = result.projection
        if result.changed:
            order = order_number_of(projection.entity_key, projection.state)
            if order is not None:
                rows.orders.add(order)
        if result.changed or projection.version:
            rows.projections.append(
                (
                    projection.entity_key,
                    projection.entity_key.split(":", 1)[0],
                    projection.version,
                    dumps(projection.state),
                    dumps(projection.provenance),
                    dumps(projection.meta),
                    projection.updated_at,
                )
            )
        for marker in result.processed:  # (seq, entity_key, outcome, version, detail)
            rows.processed.append((*marker[:4], dumps(marker.detail), projection.updated_at))
        if result.processed:
            rows.last_seq[result.entity_key] = max(marker.seq for marker in result.processed)
        rows.conflicts.extend(_conflict_row(c, dumps) for c in result.conflicts)
        rows.links.extend(
            (lk.system, lk.external_id, lk.entity_key, projection.updated_at) for lk in result.links
        )
        for d in result.deliveries:  # NewDelivery up to created_at, which is also due_at
            if d.mode == "state":
                rows.state_deliveries.append((*d[:10], d.created_at, d.absorbed))
            else:
                rows.event_deliveries.append((*d[:10], d.created_at))
        if result.parked:
            rows.parked.append((result.entity_key, result.parked))
    return rows


def _conflict_row(c: ConflictRecord, dumps: Dumps) -> Row:
    return (
        c.entity_key,
        c.field,
        c.kind,
        c.policy,
        c.event_seq,
        c.event_id,
        c.proposed_by,
        dumps(c.proposed_value),
        dumps(c.current_value),
        c.current_source,
        c.created_at,
    )
