"""The ``order_stages`` table on PostgreSQL: one row per order, its order-to-cash stage and
since when (``core.order_to_cash`` decides; migration 0003 made the table).

As SQLite's, ``refresh`` runs in the processing transaction for the orders whose documents it
changed, ``rebuild`` fills the table once (the migration's step) and ``counts`` is the business
view's read. What differs is concurrency: two processes may commit documents of one order at
once, and under READ COMMITTED neither sees the other's uncommitted projection. So a refresh
first takes the order's advisory lock (``lock_orders``): the second commit waits for the first,
then reads its documents as committed, and the stage it writes counts both.
"""

from __future__ import annotations

from collections.abc import Iterable

from logisync.core.order_to_cash import OrderDocument, order_stage
from logisync.core.ports import OrderStageCount
from logisync.store.postgres.connection import Connection
from logisync.store.postgres.queries import q


def refresh(conn: Connection, orders: Iterable[str]) -> None:
    """Recompute the stage of each of ``orders`` from its documents as they now stand."""
    numbers = sorted(set(orders))
    if not numbers:
        return
    conn.execute(q("lock_orders"), {"orders": numbers}).fetchall()
    rows = conn.execute(q("order_documents"), {"orders": numbers}).fetchall()
    _save(conn, numbers, rows)


def rebuild(conn: Connection) -> None:
    """Compute every order's stage from every projection (one pass)."""
    rows = conn.execute(q("all_order_documents")).fetchall()
    numbers = sorted({str(row[0]) for row in rows if row[0] not in (None, "")})
    _save(conn, numbers, rows)


def _save(conn: Connection, numbers: list[str], rows: Iterable[tuple[object, ...]]) -> None:
    documents: dict[str, list[OrderDocument]] = {number: [] for number in numbers}
    for number, domain, status, since in rows:
        if number in (None, ""):
            continue
        documents[str(number)].append(
            OrderDocument(str(domain), None if status is None else str(status), str(since))
        )
    saved: list[tuple[str, str, str]] = []
    forgotten: list[str] = []
    for number in numbers:
        found = order_stage(documents[number])
        if found is None:
            forgotten.append(number)
        else:
            saved.append((number, *found))
    if saved:
        orders, stages, since = (list(column) for column in zip(*saved, strict=True))
        conn.execute(q("save_order_stage"), {"orders": orders, "stages": stages, "since": since})
    if forgotten:
        conn.execute(q("forget_order_stages"), {"orders": forgotten})


def counts(conn: Connection) -> list[OrderStageCount]:
    return [OrderStageCount(*row) for row in conn.execute(q("order_stage_counts"))]
