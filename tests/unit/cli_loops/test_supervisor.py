"""``cli_supervisor``: which child runs what, restarts with a growing pause, a graceful stop."""

from __future__ import annotations

import sys
import threading

from logisync.cli_supervisor import child_commands, supervise
from logisync.cli_worker import for_role


def test_only_the_first_child_runs_the_singleton_components() -> None:
    first, second = child_commands(2, ["--config", "hub.yaml"])
    assert first[-4:] == ["--config", "hub.yaml", "--role", "processor"]
    assert second[len(first) - 2 :] == [
        "--role",
        "deliveries",
        "--skip",
        "poll",
        "--skip",
        "consume",
        "--skip",
        "watch",
        "--skip",
        "monitors",
        "--skip",
        "housekeeping",
    ]


def test_children_take_turns_at_the_processor_and_the_deliveries() -> None:
    roles = [c[c.index("--role") + 1] for c in child_commands(4, ["--config", "hub.yaml"])]
    assert roles == ["processor", "deliveries", "processor", "deliveries"]
    (alone,) = child_commands(1, ["--config", "hub.yaml"])
    assert alone[alone.index("--role") + 1] == "all"


def test_a_role_leaves_the_other_half_to_other_processes() -> None:
    def run(stopping: threading.Event) -> None:
        return None

    both = {"processor": run, "deliveries": run, "poll": run}
    assert list(for_role(both, "processor")) == ["processor", "poll"]
    assert list(for_role(both, "deliveries")) == ["deliveries", "poll"]
    assert list(for_role(both, "all")) == ["processor", "deliveries", "poll"]
    # nothing to deliver: a deliveries process keeps the processor rather than run nothing
    assert list(for_role({"processor": run}, "deliveries")) == ["processor"]
    # its processor skipped (--skip processor): a processor process keeps the deliveries
    assert list(for_role({"deliveries": run}, "processor")) == ["deliveries"]


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
