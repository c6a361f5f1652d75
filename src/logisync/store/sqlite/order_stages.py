"""The ``order_stages`` table on SQLite: one row per order, its order-to-cash stage and since
when (``core.order_to_cash`` decides; migration 0016 made the table).

``refresh`` runs in the processing transaction for the orders whose documents it changed, so
the table is always as current as the projections; ``rebuild`` fills it once from every
projection (the migration's step); ``counts`` is the business view's read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import orjson

from logisync.core.order_to_cash import OrderDocument, order_stage
from logisync.core.ports import OrderStageCount
from logisync.store.sqlite.queries import q


def refresh(conn: sqlite3.Connection, orders: Iterable[str]) -> None:
    """Recompute the stage of each of ``orders`` from its documents as they now stand."""
    numbers = sorted(set(orders))
    if not numbers:
        return
    rows = conn.execute(q("order_documents"), {"orders": orjson.dumps(numbers).decode()})
    _save(conn, numbers, rows)


def rebuild(conn: sqlite3.Connection) -> None:
    """Compute every order's stage from every projection (one pass)."""
    rows = conn.execute(q("all_order_documents")).fetchall()
    numbers = sorted({str(row[0]) for row in rows if row[0] not in (None, "")})
    _save(conn, numbers, rows)


def _save(conn: sqlite3.Connection, numbers: list[str], rows: Iterable[tuple[object, ...]]) -> None:
    documents: dict[str, list[OrderDocument]] = {number: [] for number in numbers}
    for number, domain, status, since in rows:
        if number in (None, ""):
            continue
        documents[str(number)].append(
            OrderDocument(str(domain), None if status is None else str(status), str(since))
        )
    saved, forgotten = [], []
    for number in numbers:
        found = order_stage(documents[number])
        if found is None:
            forgotten.append((number,))
        else:
            saved.append((number, *found))
    conn.executemany(q("save_order_stage"), saved)
    conn.executemany(q("forget_order_stage"), forgotten)


def counts(conn: sqlite3.Connection) -> list[OrderStageCount]:
    found = []
    for stage, orders, oldest in conn.execute(q("order_stage_counts")).fetchall():
        median = conn.execute(
            q("order_stage_median"), {"stage": stage, "offset": (orders - 1) // 2}
        ).fetchone()[0]
        found.append(OrderStageCount(stage, orders, oldest, median))
    return found
