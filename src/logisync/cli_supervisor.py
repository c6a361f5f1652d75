"""``logisync worker --processes N``: N worker processes on one machine, kept running.

Each child is a plain ``logisync worker`` against the same store: the store's claims and leases
keep them from working on one entity or delivery at once, so any number of them, here or on
other machines, share the work. Only the first child runs the singleton components (pollers,
stream consumers, folder watchers, monitors and housekeeping would only repeat each other's
reads); the processor and the delivery workers scale, and the children take turns at them
(even ones the processor, odd ones the deliveries: ``cli_worker.for_role``).

A child that dies (a crash, the OOM killer, ``kill -9``) is started again, after a pause that
grows while it keeps dying young; its claims are taken over by the others when their leases
expire. SIGINT/SIGTERM is passed on to every child, which finishes what it holds; the
supervisor exits once they all have.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

log = logging.getLogger("logisync.worker")

SINGLETONS = ("poll", "consume", "watch", "monitors", "housekeeping")
"""Components only the first child runs."""
STOP_GRACE_SECONDS = 60.0
"""How long a child may take to finish what it holds after SIGTERM before it is killed."""
YOUNG_SECONDS = 10.0
"""A child that dies younger than this was probably failing at start: wait longer each time."""
MAX_PAUSE_SECONDS = 30.0


@dataclass
class Child:
    index: int
    command: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    pause: float = 0.0
    due_at: float = field(default=0.0)

    def start(self) -> None:
        # Its own session: a terminal's Ctrl-C reaches the supervisor only, which passes it on
        # once (a second signal would make the child stop at once, mid-batch).
        self.process = subprocess.Popen(self.command, start_new_session=True)
        self.started_at = time.monotonic()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None


def child_commands(processes: int, worker_args: Sequence[str]) -> list[list[str]]:
    """The command line of each child: ``worker_args`` (the parent's options but
    ``--processes``), the singleton components skipped in all but the first. Two or more
    children take turns at the roles: even ones the processor, odd ones the deliveries (see
    ``cli_worker.for_role``); a lone child runs both."""
    base = [sys.executable, "-m", "logisync", "worker", *worker_args]
    skipped = [arg for name in SINGLETONS for arg in ("--skip", name)]
    commands = []
    for i in range(processes):
        role = "all" if processes == 1 else ("processor", "deliveries")[i % 2]
        commands.append([*base, "--role", role, *(skipped if i else [])])
    return commands


def supervise(commands: list[list[str]], stopping: threading.Event) -> int:
    """Run the children until ``stopping`` is set, restarting those that die; then stop them
    all gracefully. Returns how many restarts there were."""
    children = [Child(i, command) for i, command in enumerate(commands)]
    for child in children:
        child.start()
    log.info("worker: started %d processes: %s", len(children), [c.pid for c in children])
    restarts = 0
    while not stopping.wait(0.2):
        now = time.monotonic()
        for child in children:
            assert child.process is not None
            if child.process.poll() is None:
                continue
            if child.due_at == 0.0:  # just found dead: schedule its restart
                young = now - child.started_at < YOUNG_SECONDS
                child.pause = min(MAX_PAUSE_SECONDS, max(1.0, child.pause * 2)) if young else 0.0
                child.due_at = now + child.pause
                log.warning(
                    "worker process %d (pid %d) exited with %s; restarting in %.0f s",
                    child.index,
                    child.process.pid,
                    child.process.returncode,
                    child.pause,
                )
            if now >= child.due_at:
                child.start()
                child.due_at = 0.0
                child.restarts += 1
                restarts += 1
    _stop_all(children)
    return restarts


def _stop_all(children: list[Child]) -> None:
    alive = [c.process for c in children if c.process is not None and c.process.poll() is None]
    for process in alive:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in alive:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("worker process pid %d did not stop in time; killing it", process.pid)
            process.kill()
            process.wait()
