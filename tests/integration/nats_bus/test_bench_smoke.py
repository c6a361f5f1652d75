"""The JetStream benchmark runs end to end on a small load, and every message is delivered
(its figures are for bench/RESULTS.md, not for a test)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "nats_publish.py"


def test_the_publish_benchmark_runs_and_delivers_everything() -> None:
    spec = importlib.util.spec_from_file_location("nats_publish", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.main(["--events", "300", "--batch", "50"])
    assert figures["failed"] == 0
    assert figures["ours"] > 0 and figures["baseline"] > 0
