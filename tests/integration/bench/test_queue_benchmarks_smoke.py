"""The issue-9 benchmarks run end to end on a tiny load and every item gets through (their
figures are for bench/RESULTS.md, not for a test: nothing here is timed)."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


def bench(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A runner loaded as ``python bench/NAME.py`` would: with bench/ first on sys.path."""
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module(name)


def has_pgqueuer() -> bool:
    return importlib.util.find_spec("pgqueuer") is not None


def test_queue_compare_delivers_every_event_on_both_stores(monkeypatch: pytest.MonkeyPatch) -> None:
    queue_compare = bench("queue_compare", monkeypatch)
    only = "postgres,sqlite" + (",pgqueuer" if has_pgqueuer() else "")
    servers = ("durable", "fsync-off")
    args = ["--events", "400", "--products", "40", "--only", only, "--postgres", ",".join(servers)]
    rates = queue_compare.main(args)
    # each rate exists only once every event was delivered (the runner fails otherwise)
    assert set(rates) == {"sqlite"} | {
        f"{name}@{server}" for name in only.split(",") if name != "sqlite" for server in servers
    }
    assert all(rate > 0 for rate in rates.values())


def test_queue_compare_without_pgqueuer_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queue_compare = bench("queue_compare", monkeypatch)
    monkeypatch.setitem(sys.modules, "pgqueuer", None)  # as if it were not installed
    with pytest.raises(SystemExit, match="pip install pgqueuer"):
        queue_compare.main(["--events", "10", "--only", "pgqueuer"])


@pytest.mark.parametrize(
    ("args", "refusal"),
    [
        (["--postgres", "fast"], "unknown server fast; known: durable, fsync-off"),
        (["--only", "postgres,sqlit"], "--only: unknown run sqlit"),
        (["--only", "postgres", "--postgres", ""], "no server named, but --only asks for"),
    ],
)
def test_queue_compare_refuses_what_it_would_not_measure(
    monkeypatch: pytest.MonkeyPatch, args: list[str], refusal: str
) -> None:
    queue_compare = bench("queue_compare", monkeypatch)
    with pytest.raises(SystemExit, match=refusal):
        queue_compare.main(["--events", "10", *args])


def test_latency_measures_every_event_delivered(monkeypatch: pytest.MonkeyPatch) -> None:
    latency = bench("latency", monkeypatch)
    only = "logisync" + (",pgqueuer" if has_pgqueuer() else "")
    out = latency.main(["--rate", "200", "--seconds", "1", "--products", "50", "--only", only])
    for figures in out.values():
        assert figures["n"] == 200
        assert figures["p50"] <= figures["p95"] <= figures["p99"] <= figures["max"]


def test_cost_growth_measures_each_size_beside_an_empty_journal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cost_growth = bench("cost_growth", monkeypatch)
    out = cost_growth.main(["--sizes", "300,600", "--margin", "100", "--products", "30"])
    assert [held for held, _ in out["sqlite"]] == [0, 300, 600]
    for _, figures in out["sqlite"]:
        assert figures["append"] > 0 and figures["process"] > 0 and figures["deliver"] > 0
        assert figures["rss_mb"] > 0
