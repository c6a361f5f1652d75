"""The loops ``logisync worker`` runs in threads: one stop for all, a crash stops the rest,
store trouble is ridden out."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

from logisync.cli_deliveries import run_deliveries
from logisync.cli_monitors import run_monitor_loop
from logisync.cli_worker import run_components, worker_components
from logisync.config import load_config
from logisync.errors import StoreBusy
from logisync.orchestration.monitors.rules import SilentMonitor


def test_one_stop_ends_every_component_after_its_round() -> None:
    finished: list[str] = []
    started = threading.Barrier(3)

    def component(name: str):  # type: ignore[no-untyped-def]
        def loop(stopping: threading.Event) -> None:
            started.wait()
            stopping.wait()
            finished.append(name)

        return loop

    stopping = threading.Event()
    stopper = threading.Thread(target=lambda: (started.wait(), stopping.set()))
    stopper.start()
    crashed = run_components({"a": component("a"), "b": component("b")}, stopping)
    stopper.join()
    assert crashed == []
    assert sorted(finished) == ["a", "b"]  # both had returned when run_components did


def test_a_crashed_component_stops_the_others_and_is_named() -> None:
    stopped_cleanly = threading.Event()

    def steady(stopping: threading.Event) -> None:
        stopping.wait()
        stopped_cleanly.set()

    def broken(_: threading.Event) -> None:
        raise RuntimeError("a bug")

    stopping = threading.Event()
    assert run_components({"steady": steady, "broken": broken}, stopping) == ["broken"]
    assert stopping.is_set() and stopped_cleanly.is_set()


class FlakyWorker:
    """Busy store on the first round, then one delivery, then nothing due."""

    def __init__(self) -> None:
        self.calls = 0

    def run_once(self, target: str, max_batches: int = 1) -> int:
        self.calls += 1
        if self.calls == 1:
            raise StoreBusy("another writer holds it")
        return 1 if self.calls == 2 else 0


def test_deliveries_ride_out_a_busy_store() -> None:
    worker = FlakyWorker()
    run_deliveries(worker, ["shop"], threading.Event(), until_idle=True)  # type: ignore[arg-type]
    assert worker.calls == 3


def test_the_worker_runs_the_monitors_the_configuration_declares(tmp_path: Path) -> None:
    config = tmp_path / "hub.yaml"
    config.write_text(
        "systems: {ups: {kind: ups}}\n"
        "monitors:\n"
        "  - {name: carrier feed silent, kind: silent, source: ups, after: 30m}\n"
    )
    settings = load_config(config)
    components = worker_components(settings, f"sqlite:///{tmp_path / 'hub.db'}", 1.0)
    assert {"processor", "monitors"} <= set(components)


def test_the_monitor_loop_rides_out_a_busy_store_until_stopped() -> None:
    stopping = threading.Event()
    calls: list[str] = []

    class BusyStore:
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            def busy(*args: object, **kwargs: object) -> None:
                calls.append(name)
                if len(calls) >= 3:
                    stopping.set()
                raise StoreBusy("locked")

            return busy

    monitor = SilentMonitor(name="quiet", source="ups", after=timedelta(minutes=30))
    run_monitor_loop(BusyStore(), [monitor], 0.01, stopping)  # type: ignore[arg-type]
    assert len(calls) >= 3
