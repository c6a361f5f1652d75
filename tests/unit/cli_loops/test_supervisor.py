"""``cli_supervisor``: which child runs what, restarts with a growing pause, a graceful stop."""

from __future__ import annotations

import sys
import threading

from logisync.cli_supervisor import child_commands, supervise


def test_only_the_first_child_runs_the_singleton_components() -> None:
    first, second = child_commands(2, ["--config", "hub.yaml"])
    assert first[-2:] == ["--config", "hub.yaml"]
    assert second[len(first) :] == [
        "--skip",
        "poll",
        "--skip",
        "consume",
        "--skip",
        "watch",
        "--skip",
        "monitors",
    ]


def test_a_child_that_keeps_dying_young_is_restarted_ever_more_slowly() -> None:
    stopping = threading.Event()
    timer = threading.Timer(5.5, stopping.set)
    timer.start()
    restarts = supervise([[sys.executable, "-c", "raise SystemExit(3)"]], stopping)
    # pauses of 1 s, then 2 s, then 4 s: restarts at about 1 s and 3 s (later on a slow
    # machine), the third not before 7 s
    assert restarts == 2


def test_a_stop_is_passed_on_and_waited_for() -> None:
    script = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\n"
        "time.sleep(60)\n"
    )
    stopping = threading.Event()
    threading.Timer(1.0, stopping.set).start()
    assert supervise([[sys.executable, "-c", script]] * 2, stopping) == 0
