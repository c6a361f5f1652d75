"""The monitors' part of the SQLite store: SLA reads over projections, and the alerts table.

Every read goes through an index (``entities_status``, ``entities_order``, ``source_activity``,
``alerts_open``), so a monitor tick on a store of any size reads the breaching entities, not
all of them (``tests/contract`` checks the query plans).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime

import orjson

from logisync.core.clock import utc_text
from logisync.core.ports import Alert, AlertChanges, Breach, StuckEntity
from logisync.store.sqlite.queries import q


class SqliteAlerts:
    """Mixed into ``SqliteStore``, which provides ``_read`` and ``_write``."""

    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def stuck_entities(
        self,
        domain: str,
        status: str,
        entered_before: str,
        *,
        limit: int,
        not_set_by: str | None = None,
        missing: tuple[str, tuple[str, ...]] | None = None,
    ) -> list[StuckEntity]:
        params = {
            "domain": domain,
            "status": status,
            "before": entered_before,
            "limit": limit,
            "not_set_by": not_set_by,
            "missing_domain": missing[0] if missing else None,
            "missing_statuses": orjson.dumps(list(missing[1]) if missing else []).decode(),
        }
        with self._read() as conn:
            rows = conn.execute(q("stuck_entities"), params).fetchall()
        return [StuckEntity(*row) for row in rows]

    def last_heard(self, source: str) -> str | None:
        with self._read() as conn:
            row = conn.execute(q("last_heard"), (source,)).fetchone()
        return None if row is None else str(row[0])

    def record_alerts(
        self,
        monitors: Sequence[str],
        breaches: Sequence[Breach],
        now: datetime,
        notify: Sequence[str] = (),
    ) -> AlertChanges:
        at, notifying = utc_text(now), set(notify)
        raised, cleared = [], []
        with self._write() as conn:
            names = orjson.dumps(sorted(set(monitors) | {b.monitor for b in breaches})).decode()
            open_alerts = {
                (row[1], row[2]): Alert(*row)
                for row in conn.execute(q("open_alerts_of"), {"monitors": names})
            }
            breached = {(b.monitor, b.subject): b for b in breaches}
            for key, breach in breached.items():
                if key in open_alerts:
                    continue
                notice = "raise" if breach.monitor in notifying else None
                row = conn.execute(
                    q("raise_alert"),
                    {
                        "monitor": breach.monitor,
                        "subject": breach.subject,
                        "detail": breach.detail,
                        "now": at,
                        "notice": notice,
                    },
                ).fetchone()
                raised.append(Alert(*row))
            for key, alert in open_alerts.items():
                if key in breached or alert.monitor not in monitors:
                    continue
                params = {"id": alert.id, "now": at, "notify": alert.monitor in notifying}
                row = conn.execute(q("clear_alert"), params).fetchone()
                if row is not None:
                    cleared.append(Alert(*row))
        return AlertChanges(tuple(raised), tuple(cleared))

    def active_alerts(self, monitor: str | None = None) -> list[Alert]:
        with self._read() as conn:
            rows = conn.execute(q("active_alerts"), {"monitor": monitor}).fetchall()
        return [Alert(*row) for row in rows]

    def alerts_to_notify(self, limit: int = 100) -> list[Alert]:
        with self._read() as conn:
            rows = conn.execute(q("alerts_to_notify"), (limit,)).fetchall()
        return [Alert(*row) for row in rows]

    def finish_notice(self, alert_id: int, notice: str, *, sent: bool, give_up: bool) -> None:
        with self._write() as conn:
            conn.execute(
                q("finish_notice"),
                {"id": alert_id, "notice": notice, "sent": sent, "give_up": give_up},
            )
