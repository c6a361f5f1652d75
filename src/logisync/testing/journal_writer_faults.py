"""A journal writer child that dies right after its Nth commit, before answering it.

That is the "timeout after commit" a real child meets when it is killed between its COMMIT
and its answer: the events are stored, the API could not hear so, and the sender's retry must
be answered as a repeat of what was stored, never stored twice.

    python -m logisync.testing.journal_writer_faults N       (the URL comes over stdin)

``prints-first`` is a child that writes to its stdout before its protocol, as a stray print
at start-up would; ``dies-opening`` one that dies after its protocol line, before "ready";
``hangs`` one that takes a commit and never answers.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence

from logisync.core.ports import AppendResult, NewJournalEntry, Store
from logisync.store.journal_writer import MAGIC, Append, main


def dies_after_commit(commits: int) -> Callable[[Store], Append]:
    def wrap(store: Store) -> Append:
        done = 0

        def append(entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
            nonlocal done
            results = store.append(entries)
            done += 1
            if done == commits:
                os._exit(9)  # committed, not answered
            return results

        return append

    return wrap


def hangs(store: Store) -> Append:
    def append(entries: Sequence[NewJournalEntry]) -> list[AppendResult]:
        time.sleep(3600)  # a commit stuck in the kernel, a debugger: the API must not wait
        return []

    return append


if __name__ == "__main__":
    if sys.argv[1] == "dies-opening":  # says who it is, then dies before "ready"
        sys.stdout.buffer.write(MAGIC)
        sys.stdout.flush()
        sys.stdin.buffer.read(4)
        os._exit(7)
    if sys.argv[1] == "hangs":  # takes commits and never answers them
        main(hangs)
    elif sys.argv[1] == "prints-first":
        sys.stdout.write("hello from a plugin\n")
        sys.stdout.flush()
        main()
    else:
        main(dies_after_commit(int(sys.argv[1])))
