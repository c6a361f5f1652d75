"""The monitors' part of the PostgreSQL store: SLA reads over projections, and the alerts
table. The reads go through the expression indexes of migration 0001 (``entities_status``,
``entities_order``); monitors in several processes record their alerts in turn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from logisync.core.clock import utc_text
from logisync.core.ports import Alert, AlertChanges, Breach, StuckEntity
from logisync.store.postgres.connection import Connection
from logisync.store.postgres.queries import q

T = TypeVar("T")


class PostgresAlerts:
    """Mixed into ``PostgresStore``, which provides ``_read`` and ``_write``."""

    def _read(self, work: Callable[[Connection], T]) -> T:
        raise NotImplementedError

    def _write(self, work: Callable[[Connection], T]) -> T:
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
            "missing_statuses": list(missing[1]) if missing else [],
        }
        rows = self._read(lambda conn: conn.execute(q("stuck_entities"), params).fetchall())
        return [StuckEntity(*row) for row in rows]

    def last_heard(self, source: str) -> str | None:
        row = self._read(lambda conn: conn.execute(q("last_heard"), (source,)).fetchone())
        return None if row is None else str(row[0])

    def record_alerts(
        self,
        monitors: Sequence[str],
        breaches: Sequence[Breach],
        now: datetime,
        notify: Sequence[str] = (),
    ) -> AlertChanges:
        at, notifying = utc_text(now), set(notify)

        def record(conn: Connection) -> AlertChanges:
            raised, cleared = [], []
            conn.execute(q("lock_alerts"))
            names = sorted(set(monitors) | {b.monitor for b in breaches})
            open_alerts = {
                (row[1], row[2]): Alert(*row)
                for row in conn.execute(q("open_alerts_of"), {"monitors": names})
            }
            breached = {(b.monitor, b.subject): b for b in breaches}
            for key, breach in breached.items():
                if key in open_alerts:
                    continue
                notice = "raise" if breach.monitor in notifying else None
                alert = {
                    "monitor": breach.monitor,
                    "subject": breach.subject,
                    "detail": breach.detail,
                    "now": at,
                    "notice": notice,
                }
                raised.append(Alert(*_row(conn.execute(q("raise_alert"), alert).fetchone())))
            for key, known in open_alerts.items():
                if key in breached or known.monitor not in monitors:
                    continue
                clear = {"id": known.id, "now": at, "notify": known.monitor in notifying}
                row = conn.execute(q("clear_alert"), clear).fetchone()
                if row is not None:
                    cleared.append(Alert(*row))
            return AlertChanges(tuple(raised), tuple(cleared))

        return self._write(record)

    def active_alerts(self, monitor: str | None = None) -> list[Alert]:
        rows = self._read(
            lambda conn: conn.execute(q("active_alerts"), {"monitor": monitor}).fetchall()
        )
        return [Alert(*row) for row in rows]

    def alerts_to_notify(self, limit: int = 100) -> list[Alert]:
        rows = self._read(lambda conn: conn.execute(q("alerts_to_notify"), (limit,)).fetchall())
        return [Alert(*row) for row in rows]

    def finish_notice(self, alert_id: int, notice: str, *, sent: bool, give_up: bool) -> None:
        params = {"id": alert_id, "notice": notice, "sent": sent, "give_up": give_up}
        self._write(lambda conn: conn.execute(q("finish_notice"), params))


def _row(row: tuple[Any, ...] | None) -> tuple[Any, ...]:
    if row is None:  # INSERT ... RETURNING always answers
        raise AssertionError("raise_alert returned no row")
    return row
