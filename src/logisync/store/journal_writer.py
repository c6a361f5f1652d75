"""The API's journal appends committed by a process of their own (``logisync serve`` on SQLite).

An intake request costs about 230 µs of Python on the event loop's thread. With the commit on
a thread of the same process, both share one GIL: the writer thread takes the GIL back after
each SQLite call (about 20 times per commit) and waits for the busy event loop every time, so
a commit of 16 events took 1-3.5 ms instead of 0.45 ms, and the event loop sat idle for 12% of
its time waiting for the commits it had queued (``bench/intake.py``: 3,424-3,526 requests/s
with the thread, 4,130-4,322 with this process). In a process of its own the commit runs on
another core, as a database server's would, and costs the event loop one pipe write and one
read per group.

The child writes ``MAGIC``, reads the store URL (never on its command line: it may hold a
password), answers ``("ready",)`` and then one length-prefixed pickled frame per commit; both
ends are this module, started by the API itself, so pickle carries nothing from outside. A
child that dies, hangs or is abandoned mid-answer (a cancelled commit) is killed and fails the
commit it was writing with ``CommitUnconfirmed``; the next commit starts a new one. The child
ignores SIGINT and SIGTERM: a Ctrl-C or a stop sent to the whole process group (systemd's
default) reaches the API, which lets the child finish its commits by closing its input. It
stays in the API's session: a session of its own is a scheduling group of its own under Linux
autogroup (batch intake in ``bench/intake.py``: 31,000 events/s with one, 32,800 without). A
commit's timeout is ``asyncio.timeout``, not ``wait_for``: wait_for runs the exchange in a task
of its own, and the event loop's extra turns before the next commit starts cost batch intake a
fifth (32,800 against 39,000-41,000 events/s).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import struct
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from logisync.core.ports import AppendResult, NewJournalEntry, Store
from logisync.errors import CommitUnconfirmed, StoreBusy, StoreError, StoreUnavailable

MAGIC = b"logisync journal writer 1\n"
START_SECONDS = 30.0  # from spawning the child to its "ready"
COMMIT_SECONDS = 120.0  # one commit; the store's busy waits (2 x at most 50 s) come first
RETRY_START_SECONDS = 1.0  # after a failed start, commits fail at once for this long
STOP_SECONDS = 10.0  # how long ``stop`` lets the child finish before killing it
_LENGTH = struct.Struct(">I")
_ERRORS: dict[str, type[StoreError]] = {
    "busy": StoreBusy,
    "unavailable": StoreUnavailable,
    "store": StoreError,
}

Append = Callable[[Sequence[NewJournalEntry]], list[AppendResult]]


class JournalWriterProcess:
    """``append`` commits in the child, one call at a time (a lock keeps ``ready`` in turn)."""

    def __init__(
        self,
        url: str,
        argv: Sequence[str] | None = None,
        retry_start_seconds: float = RETRY_START_SECONDS,
        commit_seconds: float = COMMIT_SECONDS,
    ) -> None:
        """``argv``: the child's command line (tests start a faulty child)."""
        self.url = url
        self.argv = list(argv or (sys.executable, "-m", __name__))
        self.retry_start_seconds = retry_start_seconds
        self.commit_seconds = commit_seconds
        self.starts = 0  # how many children were started: a restart after a crash counts
        self._child: asyncio.subprocess.Process | None = None
        self._failed_start: tuple[float, str] | None = None  # (monotonic time, why)
        self._abandoned: list[asyncio.subprocess.Process] = []  # killed, not yet reaped
        self._turn = asyncio.Lock()

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    def problem(self) -> str | None:
        """Why the last start failed, until one succeeds."""
        if self._failed_start is None:
            return None
        return f"the journal writer process could not start: {self._failed_start[1]}"

    async def ready(self) -> str | None:
        """For ``/readyz``: start a child if none runs (a probe must not wait for traffic to
        find that the store is back), and say why not if that fails."""
        async with self._turn:
            if self._child is None or self._child.returncode is not None:
                with contextlib.suppress(StoreError):
                    await self._start()
            return self.problem()

    async def start(self) -> None:
        """Start the child and wait until it has opened the store; StoreUnavailable if not."""
        async with self._turn:
            await self._start()

    async def append(self, entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
        async with self._turn:
            if self._child is None or self._child.returncode is not None:
                await self._start()  # the previous child died: its commit was already failed
            return await self._commit(entries)

    async def stop(self) -> None:
        """Let the child finish (it exits at the end of its input), then reap it."""
        async with self._turn:
            child, self._child = self._child, None
            if child is not None:
                if child.stdin is not None:
                    child.stdin.close()
                try:
                    await asyncio.wait_for(child.communicate(), STOP_SECONDS)
                except TimeoutError:
                    self._discard(child)
            await self._reap()

    async def _start(self) -> None:
        failed = self._failed_start
        if failed is not None and time.monotonic() - failed[0] < self.retry_start_seconds:
            raise StoreUnavailable(
                f"{self.problem()} (a new start is tried {self.retry_start_seconds:g} s after "
                "the last)"
            )
        self._abandon()  # a previous child that died
        await self._reap()
        try:
            await asyncio.wait_for(self._spawn(), START_SECONDS)
        except (StoreError, TimeoutError, OSError, EOFError, pickle.UnpicklingError) as error:
            timed_out = isinstance(error, TimeoutError)
            why = f"no answer in {START_SECONDS:g} s" if timed_out else str(error)
            self._abandon()
            await self._reap()
            self._failed_start = (time.monotonic(), why)
            raise StoreUnavailable(self.problem()) from None
        except BaseException:
            self._abandon()
            raise
        self._failed_start = None

    async def _commit(self, entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
        # plain tuples: a named tuple pickles through a Python-level __getnewargs__ per entry
        try:
            async with asyncio.timeout(self.commit_seconds):  # no task per commit (wait_for's)
                answer = await self._exchange([tuple(e) for e in entries])
        except asyncio.CancelledError:
            self._abandon()  # its answer must never be read as the next commit's
            raise
        except TimeoutError:
            raise await self._died(f"did not answer within {self.commit_seconds:g} s") from None
        except (ConnectionError, RuntimeError, EOFError, pickle.UnpicklingError):
            raise await self._died("ended before answering") from None
        if answer[0] != "ok":
            raise _error(answer)
        results: list[AppendResult] = answer[1]
        if len(results) != len(entries):
            self._abandon()
            raise CommitUnconfirmed(
                f"the journal writer answered {len(results)} results for {len(entries)} events; "
                "send them again, a repeat is answered as the first was"
            )
        return results

    async def _spawn(self) -> None:
        child = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        self._child = child
        self.starts += 1
        assert child.stdout is not None
        try:
            magic = await child.stdout.readexactly(len(MAGIC))
            if magic != MAGIC:
                raise StoreUnavailable(
                    f"it wrote {magic!r} on its stdout before its protocol (a print at start-up?)"
                )
            answer = await self._exchange(self.url)
        except asyncio.IncompleteReadError as ended:
            code = await child.wait()
            raise StoreUnavailable(f"it exited with code {code} ({ended.partial!r})") from None
        if answer != ("ready",):
            raise StoreUnavailable(answer[-1])

    async def _exchange(self, message: object) -> tuple[Any, ...]:
        child = self._child
        assert child is not None
        assert child.stdin is not None
        assert child.stdout is not None
        frame = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        child.stdin.write(_LENGTH.pack(len(frame)) + frame)
        await child.stdin.drain()
        head = await child.stdout.readexactly(_LENGTH.size)
        frame = await child.stdout.readexactly(_LENGTH.unpack(head)[0])
        answer: tuple[Any, ...] = pickle.loads(frame)  # noqa: S301 (our child, our pipe)
        return answer

    async def _died(self, what: str) -> CommitUnconfirmed:
        """The commit's child failed: detach it first (a cancel while waiting here must not
        leave it to answer the next commit), give an exit under way a second to report its
        code, then kill it."""
        child, self._child = self._child, None
        code: int | None = None
        if child is not None:
            try:
                code = await asyncio.wait_for(child.wait(), 1.0)
            except TimeoutError:
                pass
            finally:
                self._discard(child)
            await self._reap()
            code = child.returncode if code is None else code
        return CommitUnconfirmed(
            f"the journal writer process {child.pid if child else '?'} {what} (exit code "
            f"{code}); the events may or may not be stored: send them again, a repeat is "
            "answered as the first was"
        )

    def _abandon(self) -> None:
        """Detach the child and kill it without waiting (a cancelled task cannot wait)."""
        child, self._child = self._child, None
        if child is not None:
            self._discard(child)

    def _discard(self, child: asyncio.subprocess.Process) -> None:
        if child.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                child.kill()
        if child.stdin is not None:
            child.stdin.close()
        self._abandoned.append(child)

    async def _reap(self) -> None:
        """Read killed children's pipes to their end and their exit: a pipe left open would
        be flushed by its finalizer after the event loop is closed. A child stays listed until
        reaped, so a cancel here leaves it to the next call."""
        for child in list(self._abandoned):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(child.communicate(), STOP_SECONDS)
            self._abandoned.remove(child)


def _error(answer: tuple[Any, ...]) -> Exception:
    if answer[0] == "error":
        return _ERRORS[answer[1]](answer[2])
    return RuntimeError(f"the journal writer failed: {answer[-1]}")


def _kind(error: StoreError) -> str:
    if isinstance(error, StoreBusy):
        return "busy"
    return "unavailable" if isinstance(error, StoreUnavailable) else "store"


def _send(out: BinaryIO, answer: object) -> None:
    frame = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_LENGTH.pack(len(frame)) + frame)
    out.flush()


def _receive(inp: BinaryIO) -> Any | None:
    head = inp.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None  # the API closed our input: stop
    frame = inp.read(_LENGTH.unpack(head)[0])
    return pickle.loads(frame)  # noqa: S301 (the API that started us, over our pipe)


def serve(append: Append, inp: BinaryIO, out: BinaryIO) -> None:
    """Answer each frame of entries on ``inp`` until it ends; errors are answered, not raised."""
    while (rows := _receive(inp)) is not None:
        try:
            answer: tuple[Any, ...] = ("ok", append([NewJournalEntry(*row) for row in rows]))
        except StoreError as error:
            answer = ("error", _kind(error), str(error))
        except Exception as error:  # a bug: the API answers 500, this child goes on
            answer = ("failed", f"{type(error).__name__}: {error}")
        _send(out, answer)


def main(wrap: Callable[[Store], Append] = lambda store: store.append) -> None:
    """The child: say who it is, read the store URL, open it, say ready, serve, close."""
    from logisync.store import open_store

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the API stops us: it closes our input
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # the frames own the pipe: stray prints go to stderr from here on
    out.write(MAGIC)
    out.flush()
    url = _receive(sys.stdin.buffer)
    if not isinstance(url, str):
        return  # the API went away before sending the URL
    try:
        store = open_store(url, migrate=False)  # the API migrated it
    except Exception as error:
        _send(out, ("failed", f"could not open the store: {type(error).__name__}: {error}"))
        return
    _send(out, ("ready",))
    try:
        serve(wrap(store), sys.stdin.buffer, out)
    finally:
        store.close()


if __name__ == "__main__":
    main()
