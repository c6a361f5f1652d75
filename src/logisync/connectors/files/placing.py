"""Putting files in place without ever losing or overwriting one.

A reply is written under a temporary name and renamed, so a partner polling the outbox never
reads half a file. A file moved to ``processed/`` or ``failed/`` whose name is taken there gets
a suffix (``orders.csv`` -> ``orders.1.csv``): a partner re-using names loses nothing.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

_NO_LINKS = (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all (temporary name, fsync, rename)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or with the first free suffix when that is taken."""
    candidate = folder / name
    stem, dot, suffix = name.partition(".")
    number = 0
    while candidate.exists() or _report_taken(candidate):
        number += 1
        candidate = folder / (f"{stem}.{number}{dot}{suffix}" if dot else f"{name}.{number}")
    return candidate


def move_without_overwriting(
    source: Path, folder: Path, *, link: Callable[[Path, Path], None] = os.link
) -> Path:
    """Move ``source`` into ``folder`` under a free name; return where it went.

    A hard link claims the name atomically (it fails if the name exists), so two hubs racing
    for one name cannot overwrite each other; across file systems the file is copied.
    """
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        target = free_name(folder, source.name)
        try:
            link(source, target)
        except FileExistsError:
            continue
        except OSError as error:
            if error.errno not in _NO_LINKS:
                raise
            try:  # another file system, or links not supported: copy exclusively
                with open(source, "rb") as data, open(target, "xb") as out:
                    shutil.copyfileobj(data, out)
            except FileExistsError:
                continue
            shutil.copystat(source, target)
        source.unlink()
        return target


def _report_taken(candidate: Path) -> bool:
    return candidate.with_name(candidate.name + ".reason.txt").exists()
