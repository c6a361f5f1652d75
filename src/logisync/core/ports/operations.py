"""What running the hub keeps besides facts and work: the audit log, API keys, polled
sources' cursors, EDI control numbers and business-SLA monitors' alerts. Part of the storage
port (``core.ports.Store``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from logisync.core.keys import ApiKey
from logisync.core.records import (
    Alert,
    AlertChanges,
    AuditEntry,
    Breach,
    JsonObject,
    ReceivedControlNumber,
    StuckEntity,
)


class OperationsStore(Protocol):
    """Audit, keys, source cursors, EDI control numbers, monitors and alerts."""

    def audit_log(self, limit: int = 100) -> list[AuditEntry]: ...

    def last_audit(self, action: str) -> AuditEntry | None:
        """The newest audit entry of ``action``, if any."""
        ...

    def record_audit(self, entries: Sequence[AuditEntry]) -> None:
        """Append to the audit log (never updated nor deleted)."""
        ...

    def save_api_keys(self, keys: Sequence[ApiKey], audit: AuditEntry) -> None:
        """Store new keys or their new expiry/revocation, and the audit entry, together."""
        ...

    def api_key(self, key_id: str) -> ApiKey | None: ...

    def api_keys(self) -> list[ApiKey]: ...

    def source_cursor(self, source: str, stream: str) -> JsonObject | None:
        """Where a poller last read ``stream`` of ``source`` up to (None: never read)."""
        ...

    def save_source_cursor(self, source: str, stream: str, position: JsonObject) -> None:
        """Remember how far ``stream`` was read. Saved after the events read are appended:
        a crash in between re-reads them, and the journal's idempotency drops the repeats."""
        ...

    def record_control_number(
        self, partner: str, standard: str, level: str, number: int, digest: str
    ) -> ReceivedControlNumber:
        """Record a control number a partner sent (kept as first recorded if seen before) and
        say, in the same transaction, what was known of it and the highest number before."""
        ...

    def next_control_number(self, partner: str, standard: str, level: str) -> int:
        """Take our next outbound control number for ``partner`` (1, 2, 3... per level);
        never the same twice, even across processes."""
        ...

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
        """Entities of ``domain`` in ``status`` since before ``entered_before`` (UTC text), by
        index, oldest first: those whose status was last set by ``not_set_by`` left out, and,
        with ``missing = (domain, statuses)``, those with an entity of that domain for the same
        order in one of those statuses (a shipment's invoice) left out."""
        ...

    def last_heard(self, source: str) -> str | None:
        """When the newest event from ``source`` was journaled (None: never)."""
        ...

    def record_alerts(
        self,
        monitors: Sequence[str],
        breaches: Sequence[Breach],
        now: datetime,
        notify: Sequence[str] = (),
    ) -> AlertChanges:
        """In ONE transaction: raise an alert for each breach without an open one, clear the
        open alerts of ``monitors`` that no breach names. Alerts of monitors in ``notify``
        get a webhook notice to send (a clear whose raise was never sent cancels it)."""
        ...

    def active_alerts(self, monitor: str | None = None) -> list[Alert]:
        """Open alerts (of ``monitor``), oldest first."""
        ...

    def alerts_to_notify(self, limit: int = 100) -> list[Alert]:
        """Alerts with a webhook notice still to send, oldest first."""
        ...

    def finish_notice(self, alert_id: int, notice: str, *, sent: bool, give_up: bool) -> None:
        """The notice was sent (or given up on): none is due; else count a failed attempt.
        Nothing changes if the alert's due notice is no longer ``notice``."""
        ...
