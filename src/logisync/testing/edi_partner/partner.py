"""The EDI partner: documents on a simulated clock, faults applied, interchanges sent, the
hub's replies picked up.

``drop`` sends one interchange now (with faults forced on it, if asked); ``tick`` sends what
the plan's pace made due since the last tick, releases late and held interchanges, and reads
the hub's outbox. Nothing happens between calls, so a test decides when time passes.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from logisync.testing.edi_partner.documents import (
    DOCUMENT_KINDS,
    BusinessDocument,
    DocumentFactory,
    DocumentKind,
)
from logisync.testing.edi_partner.faults import FORCED_FAULTS, PartnerFaultPlan
from logisync.testing.edi_partner.records import PartnerRecords, SentInterchange
from logisync.testing.edi_partner.standard import DocumentWriter, PartnerIdentity
from logisync.testing.edi_partner.transports import Transport

__all__ = ["EdiPartner"]

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MAX_CONTROL = 999_999_999
SKIPPED_NAMES = (".part", ".tmp")


@dataclass(frozen=True)
class _Held:
    due: datetime
    interchange: SentInterchange
    duplicate: bool


class EdiPartner:
    def __init__(
        self,
        writer: DocumentWriter,
        transports: Sequence[Transport],
        *,
        seed: int = 0,
        identity: PartnerIdentity | None = None,
        outbox: Path | None = None,
        faults: PartnerFaultPlan | None = None,
        kinds: Iterable[DocumentKind] = DOCUMENT_KINDS,
        first_control: int = 1,
        start: datetime = START,
    ) -> None:
        self.writer = writer
        self.transports = list(transports)
        self.identity = identity or PartnerIdentity()
        self.outbox = outbox
        self.kinds: tuple[DocumentKind, ...] = tuple(kinds)
        self.records = PartnerRecords()
        self._factory = DocumentFactory(seed, prefix=self.identity.partner_id[:3])
        self._choices = random.Random(seed)
        self._next_control = first_control
        self._now = start
        self._last_tick = start
        self._credit = 0.0
        self._held: list[_Held] = []
        self._faults = PartnerFaultPlan()
        self._shuffles = random.Random()
        self.faults = faults or PartnerFaultPlan()

    @property
    def faults(self) -> PartnerFaultPlan:
        return self._faults

    @faults.setter
    def faults(self, plan: PartnerFaultPlan) -> None:
        unknown = set(plan.malformations) - set(self.writer.malformations)
        if unknown:
            raise ValueError(
                f"{', '.join(sorted(unknown))}: not a way to break {self.writer.standard} files "
                f"({', '.join(self.writer.malformations)})"
            )
        with self.records.lock:
            self._faults = plan
            self._shuffles = random.Random(plan.seed)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        with self.records.lock:
            self._now += timedelta(seconds=seconds)
            return self._now

    def drop(
        self, kind: DocumentKind | None = None, *, faults: Iterable[str] = ()
    ) -> list[SentInterchange]:
        """One interchange of ``kind`` (drawn if None), sent now unless it is late or the
        partner is down; ``faults`` (``duplicate``, ``gap``, ``late``, ``malformed`` or
        ``malformed:<how>``) are applied whatever the plan's rates say. Returns what was sent."""
        if kind is not None and kind not in DOCUMENT_KINDS:
            raise ValueError(f"{kind!r} is not a document kind ({', '.join(DOCUMENT_KINDS)})")
        forced = tuple(faults)
        for fault in forced:
            if fault.split(":", 1)[0] not in FORCED_FAULTS:
                raise ValueError(f"{fault!r} is not a fault a drop can have ({FORCED_FAULTS})")
        with self.records.lock:
            self._hold(self._make(kind, forced))
            return self._release() if self._faults.down_at(self._now) is None else []

    def tick(self) -> list[SentInterchange]:
        """Send what came due since the last tick (the plan's pace, late and held files),
        then read the hub's replies. During downtime it does neither."""
        with self.records.lock:
            if self._faults.down_at(self._now) is not None:
                return []
            self._credit += self._faults.documents_between(self._last_tick, self._now)
            self._last_tick = self._now
            while self._credit >= 1:
                self._credit -= 1
                self._hold(self._make(None, ()))
            sent = self._release()
        self.read_replies()
        return sent

    def read_replies(self) -> list[str]:
        """Read the files the hub wrote into the outbox since the last call; their names.
        Hidden, ``.part`` and ``.tmp`` files are being written and wait for their rename."""
        if self.outbox is None or not self.outbox.is_dir():
            return []
        with self.records.lock:  # the control server may read at the same time: once each
            if self._faults.down_at(self._now) is not None:
                return []
            done = set(self.records.files_read)
            new = sorted(
                p
                for p in self.outbox.iterdir()
                if p.is_file()
                and p.name not in done
                and not p.name.startswith(".")
                and not p.name.endswith(SKIPPED_NAMES)
            )
            for path in new:
                acknowledgements, documents, unreadable = self.writer.read_reply(
                    path.read_bytes(), path.name
                )
                self.records.acknowledgements.extend(acknowledgements)
                self.records.received.extend(documents)
                self.records.unreadable.extend(unreadable)
                self.records.files_read.append(path.name)
        return [p.name for p in new]

    def _make(self, kind: DocumentKind | None, forced: tuple[str, ...]) -> _Held:
        plan = self._faults
        gap = "gap" in forced or plan.has("gap", self._next_control)
        if gap:  # exactly one number is never used
            self.records.skipped_controls.append(self._next_control)
            self._next_control = self._next_control % MAX_CONTROL + 1
        control = self._next_control
        self._next_control = control % MAX_CONTROL + 1
        chosen: DocumentKind = self._choices.choice(self.kinds) if kind is None else kind
        document: BusinessDocument = self._factory.new(chosen, self._now)
        body = self.writer.interchange([document], self.identity, control, self._now)
        applied = ["gap"] if gap else []
        malformed = next((f for f in forced if f.startswith("malformed")), None)
        if malformed is not None or plan.has("malformed", control):
            how = malformed.partition(":")[2] if malformed else ""
            how = how or self._shuffles.choice(plan.malformations or self.writer.malformations)
            body = self.writer.malform(body, how, self._shuffles)
            applied.append(f"malformed:{how}")
        late = "late" in forced or plan.has("late", control)
        duplicate = "duplicate" in forced or plan.has("duplicate", control)
        applied += ["late"] * late + ["duplicate"] * duplicate
        name = f"{self.identity.name}-{control:09d}{self.writer.extension}"
        interchange = SentInterchange(
            control, name, body, (document,), self._now, self._now, tuple(applied)
        )
        due = self._now + timedelta(seconds=plan.late_seconds if late else 0)
        return _Held(due, interchange, duplicate)

    def _hold(self, held: _Held) -> None:
        self._held.append(held)

    def _release(self) -> list[SentInterchange]:
        due = [h for h in self._held if h.due <= self._now]
        self._held = [h for h in self._held if h.due > self._now]
        if len(due) > 1 and self._shuffles.random() < self._faults.reorder_rate:
            self._shuffles.shuffle(due)
        sent = []
        for held in due:
            sent.append(self._send(held.interchange, held.interchange.file))
            if held.duplicate:
                stem = held.interchange.file.removesuffix(self.writer.extension)
                again = f"{stem}-resent{self.writer.extension}"
                sent.append(self._send(held.interchange, again))
        self.records.sent.extend(sent)
        return sent

    def _send(self, interchange: SentInterchange, name: str) -> SentInterchange:
        outcomes = tuple(t.send(name, interchange.body) for t in self.transports)
        return replace(interchange, file=name, sent_at=self._now, outcomes=outcomes)
