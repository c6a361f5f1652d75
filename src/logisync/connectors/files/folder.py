"""The watched-folder transport: complete files in, facts journaled, files moved out.

For each file in a system's inbox, in name order:

1. Skip it while it may still be written: a temporary name (``.part``, ``.tmp``...), a
   hidden name, or a modification within the quiet period (``quiet_seconds``).
2. Hand its bytes to the handler of the system's kind (``handlers.handler_for``).
3. A file with problems goes to ``failed/`` with ``<name>.reason.txt`` (what, where, why);
   nothing of it is journaled.
4. Otherwise journal its events (a draft without ``time``, ``source`` or ``subject`` gets the
   file's modification time, the system, the payload's entity key; the raw bytes are kept as
   their raw payload), write its replies
   to the outbox atomically, and only then move it to ``processed/``.

A crash anywhere before the move leaves the file in the inbox; the next scan reads it again
and, event ids being derived from the content, journals nothing new. A reply that cannot be
written (disk full) leaves the file in the inbox too, with the error reported, so that the
partner does get its acknowledgement once there is room.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from logisync.connectors.edi import EdiReceipt
from logisync.connectors.files.handlers import FileContext, FileHandler
from logisync.connectors.files.placing import move_without_overwriting, write_atomically
from logisync.connectors.files.receipt import FileReceipt
from logisync.connectors.files.settings import FolderSettings
from logisync.core.clock import Clock, SystemClock
from logisync.core.journal import Journal
from logisync.core.ports import Store
from logisync.core.subjects import with_payload_subject
from logisync.errors import InvalidEvent, Problem, StoreError
from logisync.model import Event, parse_event

Status = Literal["processed", "failed", "kept"]


@dataclass
class FileOutcome:
    """What became of one file: ``processed``, ``failed`` or ``kept`` in the inbox (an error
    that retrying may fix: the store or the outbox unavailable)."""

    name: str
    status: Status
    moved_to: Path | None = None
    journaled: int = 0
    already_known: int = 0
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    error: str | None = None
    reports: list[Path] = field(default_factory=list)


Mover = Callable[[Path, Path], Path]


class WatchedFolder:
    """One system's inbox; ``scan_once`` handles every complete file in it."""

    def __init__(
        self,
        system: str,
        kind: str,
        folders: FolderSettings,
        handler: FileHandler,
        store: Store,
        *,
        settings: dict[str, object] | None = None,
        clock: Clock | None = None,
        write_reply: Callable[[Path, bytes], None] = write_atomically,
        move: Mover = move_without_overwriting,
    ) -> None:
        self.system = system
        self._kind = kind
        self._folders = folders
        self._handler = handler
        self._store = store
        self._settings = settings or {}
        self._clock = clock or SystemClock()
        self._journal = Journal(store, self._clock)
        self._write_reply = write_reply
        self._move = move

    def complete_files(self) -> list[Path]:
        """The inbox's files that are finished: not temporary, quiet for long enough."""
        inbox = self._folders.inbox
        if not inbox.is_dir():
            return []
        now = self._clock.now().timestamp()
        ready = []
        for path in sorted(inbox.iterdir()):
            if path.name.startswith(".") or path.name.endswith(self._folders.temporary_suffixes):
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:  # taken by another scan meanwhile
                continue
            if path.is_file() and now - stat.st_mtime >= self._folders.quiet_seconds:
                ready.append(path)
        return ready

    def scan_once(self) -> list[FileOutcome]:
        return [self.handle(path) for path in self.complete_files()]

    def handle(self, path: Path, *, move: bool = True) -> FileOutcome:
        """Read, journal, reply, move one file (see the module's docstring); with
        ``move=False`` (``logisync import``) the file stays where it is and no report is
        written beside it."""
        try:
            before = path.stat()
            raw = path.read_bytes()
        except OSError as error:
            return FileOutcome(path.name, "kept", error=f"cannot read the file: {error}")
        if path.stat().st_mtime_ns != before.st_mtime_ns or len(raw) != before.st_size:
            return FileOutcome(path.name, "kept", error="the file changed while being read")
        written_at = datetime.fromtimestamp(before.st_mtime, UTC)
        context = FileContext(
            self.system, self._kind, written_at, self._settings, store=self._store
        )
        try:
            receipt = self._handler(path.name, raw, context)
        except Exception as error:  # a handler bug must not stop the other files
            receipt = EdiReceipt(
                problems=[Problem(path.name, f"the {self._kind} reader failed: {error!r}")]
            )
        events, problems = self._validated(receipt, written_at)
        if receipt.problems or problems:
            if not move:
                return FileOutcome(path.name, "failed", problems=[*receipt.problems, *problems])
            return self._refuse(path, receipt, [*receipt.problems, *problems])
        outcome = FileOutcome(path.name, "processed", notices=list(receipt.notices))
        try:
            self._journal_events(events, receipt, raw, outcome)
            self._send_replies(receipt)
        except (StoreError, OSError) as error:
            outcome.status, outcome.error = "kept", _cause(error)
            return outcome
        if not move:
            return outcome
        try:
            outcome.moved_to = self._move(path, self._folders.processed)
        except OSError as error:  # gone (another hub took it) or no room: it is journaled
            outcome.status, outcome.error = "kept", _cause(error)
            return outcome
        try:
            outcome.reports = self._write_reports(outcome.moved_to, receipt)
        except OSError as error:  # the facts are in: a missing report must not undo that
            outcome.notices.append(f"the rejected-rows report could not be written: {error}")
        return outcome

    def _validated(
        self, receipt: EdiReceipt, written_at: datetime
    ) -> tuple[list[Event], list[Problem]]:
        events: list[Event] = []
        problems: list[Problem] = []
        for index, given in enumerate(receipt.events):
            draft = {"time": written_at.isoformat(), "source": self.system, **given}
            try:
                events.append(parse_event(with_payload_subject(draft, self._store.resolve)))
            except InvalidEvent as invalid:
                problems.extend(
                    Problem(f"event {index + 1}{p.location}", p.message) for p in invalid.problems
                )
        return events, problems

    def _journal_events(
        self, events: list[Event], receipt: EdiReceipt, raw: bytes, outcome: FileOutcome
    ) -> None:
        if not events:
            return
        raws: list[bytes | None]
        if isinstance(receipt, FileReceipt) and len(receipt.raws) == len(events):
            raws = list(receipt.raws)
        else:
            raws = [raw] * len(events)
        for result in self._journal.append(events, raws):
            if result.duplicate:
                outcome.already_known += 1
            else:
                outcome.journaled += 1

    def _send_replies(self, receipt: EdiReceipt) -> None:
        if not receipt.acknowledgements:
            return
        outbox = self._folders.outbox
        if outbox is None:
            raise OSError(f"{self.system} has replies to send but no outbox folder configured")
        outbox.mkdir(parents=True, exist_ok=True)
        for name, content in receipt.acknowledgements:
            self._write_reply(outbox / Path(name).name, content)

    def _refuse(self, path: Path, receipt: EdiReceipt, problems: list[Problem]) -> FileOutcome:
        outcome = FileOutcome(path.name, "failed", problems=problems, notices=list(receipt.notices))
        try:
            outcome.moved_to = self._move(path, self._folders.failed)
        except OSError as error:
            outcome.status, outcome.error = "kept", _cause(error)
            return outcome
        reason = "\n".join(str(problem) for problem in problems) + "\n"
        try:
            target = outcome.moved_to
            write_atomically(target.with_name(target.name + ".reason.txt"), reason.encode())
            outcome.reports = self._write_reports(target, receipt)
        except OSError as error:  # the file is out of the inbox: say why here at least
            outcome.error = f"its reason could not be written beside it: {error}"
        return outcome

    def _write_reports(self, target: Path, receipt: EdiReceipt) -> list[Path]:
        if not isinstance(receipt, FileReceipt):
            return []
        written = []
        for suffix, content in receipt.report_files():
            report = target.with_name(target.name + suffix)
            write_atomically(report, content)
            written.append(report)
        return written


def _cause(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        return f"left in the inbox, will retry: {error.strerror}{where}"
    return f"left in the inbox, will retry: {error}"
