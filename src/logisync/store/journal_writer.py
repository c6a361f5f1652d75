"""The API's journal appends committed by a process of their own (``logisync serve`` on SQLite).

An intake request costs about 250 µs of Python on the event loop's thread. With the commit on
a thread of the same process, both share one GIL: the writer thread takes the GIL back after
each SQLite call (about 20 times per commit) and waits for the busy event loop every time, so
a commit of 16 events took 1-3.5 ms instead of 0.45 ms, and the event loop sat idle for 12% of
its time waiting for the commits it had queued (``bench/intake.py``: 3,472 requests/s with the
thread, 3,915 with this process). In a process of its own the commit runs on another core, as a
database server's would, and costs the event loop one pipe write and one read per group.

The child reads length-prefixed pickled frames on its stdin and answers on its stdout; both
ends are this module, started by the API itself, so pickle carries nothing from outside. A
child that dies (killed, out of memory) fails the commit it was writing with
``CommitUnconfirmed`` and is started again for the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from logisync.core.ports import AppendResult, NewJournalEntry, Store
from logisync.errors import CommitUnconfirmed, StoreBusy, StoreError, StoreUnavailable

_LENGTH = struct.Struct(">I")
_ERRORS: dict[str, type[StoreError]] = {
    "busy": StoreBusy,
    "unavailable": StoreUnavailable,
    "store": StoreError,
}
STOP_SECONDS = 10.0  # how long ``stop`` lets the child finish before killing it


class JournalWriterProcess:
    """``append`` commits in the child; one call at a time (the group committer's single task)."""

    def __init__(self, url: str, argv: Sequence[str] | None = None) -> None:
        """``argv``: the child's command line before the URL (tests start a faulty child)."""
        self.url = url
        self.argv = list(argv or (sys.executable, "-m", __name__))
        self.starts = 0  # how many children were started: a restart after a crash counts
        self._child: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    async def start(self) -> None:
        """Start the child and wait until it has opened the store; its error if it cannot."""
        child = await asyncio.create_subprocess_exec(
            *self.argv,
            self.url,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        self._child = child
        self.starts += 1
        try:
            answer = await self._read()
        except CommitUnconfirmed as ended:
            self._child = None
            raise StoreUnavailable(f"the journal writer did not start: {ended}") from None
        if answer != ("ready",):
            await self._kill()
            raise _error(answer)

    async def append(self, entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
        if self._child is None or self._child.returncode is not None:
            await self.start()  # the previous child died: its commit was already failed
        assert self._child is not None
        assert self._child.stdin is not None
        # plain tuples: a named tuple pickles through a Python-level __getnewargs__ per entry
        frame = pickle.dumps([tuple(e) for e in entries], protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._child.stdin.write(_LENGTH.pack(len(frame)) + frame)
            await self._child.stdin.drain()
        except (ConnectionError, RuntimeError) as error:  # the pipe closed under us
            raise await self._died(f"could not send the commit ({error})") from None
        answer = await self._read()
        if answer[0] == "ok":
            results: list[AppendResult] = answer[1]
            return results
        raise _error(answer)

    async def stop(self) -> None:
        """Let the child finish (it exits at the end of its input), then reap it."""
        child, self._child = self._child, None
        if child is None:
            return
        if child.stdin is not None:
            child.stdin.close()
        try:
            await asyncio.wait_for(child.wait(), STOP_SECONDS)
        except TimeoutError:
            child.kill()
            await child.wait()

    async def _read(self) -> tuple[Any, ...]:
        assert self._child is not None
        assert self._child.stdout is not None
        try:
            head = await self._child.stdout.readexactly(_LENGTH.size)
            frame = await self._child.stdout.readexactly(_LENGTH.unpack(head)[0])
            answer: tuple[Any, ...] = pickle.loads(frame)  # noqa: S301 (our child, our pipe)
        except (asyncio.IncompleteReadError, ConnectionError):
            raise await self._died("ended before answering") from None
        return answer

    async def _died(self, what: str) -> CommitUnconfirmed:
        child = self._child
        code = await self._kill()
        return CommitUnconfirmed(
            f"the journal writer process {child.pid if child else '?'} {what} (exit code {code}); "
            "the events may or may not be stored: send them again, a repeat is answered as the "
            "first was"
        )

    async def _kill(self) -> int | None:
        child, self._child = self._child, None
        if child is None:
            return None
        with contextlib.suppress(ProcessLookupError):
            child.kill()
        return await child.wait()


def _error(answer: tuple[Any, ...]) -> Exception:
    if answer[0] == "error":
        return _ERRORS[answer[1]](answer[2])
    return RuntimeError(f"the journal writer failed: {answer[-1]}")


def _kind(error: StoreError) -> str:
    if isinstance(error, StoreBusy):
        return "busy"
    return "unavailable" if isinstance(error, StoreUnavailable) else "store"


def _send(out: BinaryIO, answer: tuple[Any, ...]) -> None:
    frame = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_LENGTH.pack(len(frame)) + frame)
    out.flush()


Append = Callable[[Sequence[NewJournalEntry]], list[AppendResult]]


def serve(append: Append, inp: BinaryIO, out: BinaryIO) -> None:
    """Answer each frame of entries on ``inp`` until it ends; errors are answered, not raised."""
    while head := inp.read(_LENGTH.size):
        frame = inp.read(_LENGTH.unpack(head)[0])
        rows = pickle.loads(frame)  # noqa: S301 (the API that started us, over our pipe)
        try:
            answer: tuple[Any, ...] = ("ok", append([NewJournalEntry(*row) for row in rows]))
        except StoreError as error:
            answer = ("error", _kind(error), str(error))
        except Exception as error:  # a bug: the API answers 500, this child goes on
            answer = ("failed", f"{type(error).__name__}: {error}")
        _send(out, answer)


def main(wrap: Callable[[Store], Append] = lambda store: store.append) -> None:
    """The child: open the store named last on the command line, say ready, serve, close."""
    from logisync.store import open_store

    # Ctrl-C reaches the whole process group: the API stops us by closing our input, after
    # the commits it still has queued. The frames own stdout: stray prints go to stderr.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    try:
        store = open_store(sys.argv[-1], migrate=False)  # the API migrated it before starting us
    except StoreError as error:
        _send(out, ("error", _kind(error), str(error)))
        return
    _send(out, ("ready",))
    try:
        serve(wrap(store), sys.stdin.buffer, out)
    finally:
        store.close()


if __name__ == "__main__":
    main()
