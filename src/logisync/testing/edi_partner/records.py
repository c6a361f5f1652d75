"""What the partner sent and what it received from the hub, for tests to check end state."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from logisync.testing.edi_partner.documents import BusinessDocument, ExpectedFact
from logisync.testing.edi_partner.standard import Acknowledgement, ReplyDocument

__all__ = ["PartnerRecords", "SentInterchange"]


@dataclass(frozen=True)
class SentInterchange:
    """One interchange as it went out (a duplicate is a second record with the same
    ``control`` and ``body``). ``faults`` names what was done to it on purpose."""

    control: int
    file: str
    body: bytes
    documents: tuple[BusinessDocument, ...]
    created_at: datetime
    sent_at: datetime
    faults: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def malformed(self) -> bool:
        return any(f.startswith("malformed") for f in self.faults)

    def as_json(self) -> dict[str, Any]:
        return {
            "control": self.control,
            "file": self.file,
            "kinds": [d.kind for d in self.documents],
            "numbers": [d.number for d in self.documents],
            "created_at": self.created_at.isoformat(),
            "sent_at": self.sent_at.isoformat(),
            "faults": list(self.faults),
            "outcomes": list(self.outcomes),
            "sha256": self.digest,
            "body": self.body.decode("utf-8", "replace"),
        }


@dataclass
class PartnerRecords:
    """Shared by the test's thread and the control server's: every access holds the lock."""

    sent: list[SentInterchange] = field(default_factory=list)
    skipped_controls: list[int] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    received: list[ReplyDocument] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def acknowledgement_of(self, control: int) -> Acknowledgement | None:
        """The hub's (latest) verdict on the interchange numbered ``control``: the partner
        gives its one group the interchange's number."""
        with self.lock:
            found = [a for a in self.acknowledgements if a.group_control == control]
        return found[-1] if found else None

    def unacknowledged(self) -> list[int]:
        """Control numbers of well-formed interchanges sent that no acknowledgement names."""
        with self.lock:
            answered = {a.group_control for a in self.acknowledgements}
            sent = [s.control for s in self.sent if not s.malformed]
        return sorted(set(sent) - answered)

    def expected(self) -> list[ExpectedFact]:
        """The facts the hub should hold: those of every well-formed interchange sent, once."""
        with self.lock:
            sent = list(self.sent)
        facts: list[ExpectedFact] = []
        seen: set[int] = set()
        for interchange in sent:
            if interchange.malformed or interchange.control in seen:
                continue
            seen.add(interchange.control)
            for document in interchange.documents:
                facts.extend(document.expected)
        return facts

    def sent_json(self) -> list[dict[str, Any]]:
        with self.lock:
            return [s.as_json() for s in self.sent] + [
                {"control": c, "faults": ["gap"], "skipped": True} for c in self.skipped_controls
            ]

    def received_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "acknowledgements": [
                    {
                        "group_control": a.group_control,
                        "functional_id": a.functional_id,
                        "status": a.status,
                        "messages": a.messages,
                        "file": a.file,
                    }
                    for a in self.acknowledgements
                ],
                "documents": [
                    {
                        "code": d.code,
                        "number": d.number,
                        "file": d.file,
                        "interchange_control": d.interchange_control,
                    }
                    for d in self.received
                ],
                "unreadable": list(self.unreadable),
                "files_read": list(self.files_read),
            }
