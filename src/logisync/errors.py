"""One error hierarchy for the whole hub.

Every error carries what a user needs to fix the cause: *what* went wrong, *where* (a field
path, a file position, an entity key) and *why*. Adapters translate driver exceptions into these
so that the core never catches an ``sqlite3`` or ``psycopg`` exception, and the HTTP layer maps
them to RFC 9457 problem details.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class LogisyncError(Exception):
    """Root of every error the hub raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One specific thing wrong with an input: where it is and a plain sentence saying why."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


@dataclass
class InvalidEvent(LogisyncError):
    """An event was refused before anything was stored; ``problems`` lists every reason."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "invalid event: " + "; ".join(str(p) for p in self.problems)


@dataclass
class InvalidConfig(LogisyncError):
    """The configuration file has errors; each problem's location is ``file:line:column``."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "invalid configuration:\n" + "\n".join(f"  {p}" for p in self.problems)


class StoreError(LogisyncError):
    """The store could not do what was asked; nothing of the failed call was committed."""


class StoreBusy(StoreError):
    """Another writer holds the store; the same call may succeed if retried shortly."""


class StoreUnavailable(StoreError):
    """The store cannot commit at all (disk full, I/O error, gone); retry later."""


class CommitUnconfirmed(StoreUnavailable):
    """The writer stopped before confirming a commit: it may or may not be stored. Sending the
    same events again is safe (a repeat is answered as the first was)."""


class LeaseLost(StoreError):
    """A worker's claim expired and was taken over; its results were not committed."""


class UnknownEntity(LogisyncError):
    """A look-up named an entity, event or external id that the hub does not know."""


class CrosswalkConflict(LogisyncError):
    """An external id is already linked to a different entity."""


class TransientDeliveryError(LogisyncError):
    """A target failed in a way that may pass on retry (timeout, 5xx, 429)."""


class PermanentDeliveryError(LogisyncError):
    """A target refused a delivery for a reason that retrying cannot fix."""


class DecisionRefused(LogisyncError):
    """A data steward's decision cannot be carried out as asked; the message says why and
    what to do instead (nothing was journaled and the conflict stays open)."""


class StaleProposal(DecisionRefused):
    """The field changed after the value was proposed: accepting would silently overwrite a
    newer value from its owner."""
