"""Drop files into an inbox the way partners do, to test the watched-folder transport.

Partners write a file under a temporary name and rename it when done (the polite way), write
it in place slowly (the transport must wait for it to be quiet), or send the same file twice
(``drop_renamed`` again after the first copy was taken).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def drop_renamed(inbox: Path, name: str, content: bytes, suffix: str = ".part") -> Path:
    """Write ``name + suffix``, then rename it to ``name``: complete the moment it appears."""
    inbox.mkdir(parents=True, exist_ok=True)
    partial = inbox / (name + suffix)
    partial.write_bytes(content)
    target = inbox / name
    os.replace(partial, target)
    return target


@contextmanager
def dropping_slowly(inbox: Path, name: str) -> Iterator[IO[bytes]]:
    """An open file in the inbox under its final name, written as slowly as the test likes:
    the transport sees a file that is still changing."""
    inbox.mkdir(parents=True, exist_ok=True)
    with open(inbox / name, "wb") as out:
        yield out


def drop_byte_by_byte(
    inbox: Path, name: str, content: bytes, between: Callable[[bytes], None]
) -> Path:
    """Write ``content`` in place one byte at a time, calling ``between`` with what is
    written so far after each byte (a test scans the inbox there)."""
    with dropping_slowly(inbox, name) as out:
        for index in range(len(content)):
            out.write(content[index : index + 1])
            out.flush()
            between(content[: index + 1])
    return inbox / name


def age(path: Path, seconds: float) -> None:
    """Make ``path`` look last written ``seconds`` ago (instead of waiting for the quiet
    period to pass)."""
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))
