"""How cost grows with the journal (issue 9): append, process and deliver rates and peak RSS
when the journal already holds 10k, 100k and 1M events, beside the same measured on an empty
journal in the same run.

    python bench/cost_growth.py [--stores sqlite,postgres] [--sizes 10000,100000,1000000]
                                [--margin 20000] [--products 10000] [--size 500]

Filling a store with a million events takes minutes and is not what is measured: at each size
the rates are those of the NEXT ``--margin`` events ("at the margin"), in a fresh process:
appended in batches of 100, then processed (journal -> projections + one delivery each), then
delivered to a null target, each timed on its own; the process's peak RSS follows. The fill
between sizes runs in another process, in chunks of 10,000 events, each appended, processed
and delivered, so the store at each size looks like a hub's in steady state (everything
delivered, history kept). The margin's events stay: the next fill counts them.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

RULES_FLOW = ("everything to the sink", ("*",), "sink", "event")


def _hub(url: str) -> tuple[Any, Any, Any]:
    from logisync.core.delivery.connector import NullTarget
    from logisync.core.delivery.worker import DeliveryWorker
    from logisync.core.processor import Processor
    from logisync.core.rules import Flow, Rules
    from logisync.store import open_store

    store = open_store(url)
    rules = Rules(flows=(Flow(*RULES_FLOW),))
    return store, Processor(store, rules), DeliveryWorker(store, {"sink": NullTarget()})


def _fill(url: str, first: int, count: int, products: int, size: int) -> dict[str, float]:
    from logisync.core.journal import Journal
    from logisync.testing.workload import product_changes

    store, processor, worker = _hub(url)
    journal = Journal(store)
    for chunk in range(first, first + count, 10_000):
        events = product_changes(chunk, min(10_000, first + count - chunk), products, size)
        for i in range(0, len(events), 1000):
            journal.append(events[i : i + 1000])
        processor.run_until_idle()
        worker.run_until_idle()
    return {}


def _margin(url: str, first: int, count: int, products: int, size: int) -> dict[str, float]:
    from logisync.core.journal import Journal
    from logisync.testing.workload import product_changes

    events = product_changes(first, count, products, size)
    gc.freeze()  # the prepared load is not the hub's memory
    store, processor, worker = _hub(url)
    journal = Journal(store)
    started = time.perf_counter()
    for i in range(0, len(events), 100):
        journal.append(events[i : i + 100])
    append = count / (time.perf_counter() - started)
    started = time.perf_counter()
    processed = processor.run_until_idle()
    process = processed / (time.perf_counter() - started)
    started = time.perf_counter()
    delivered = worker.run_until_idle()
    deliver = delivered / (time.perf_counter() - started)
    if processed != count or delivered != count:
        raise SystemExit(f"processed {processed}, delivered {delivered} of {count}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"append": append, "process": process, "deliver": deliver, "rss_mb": rss}


def _child(kind: str, *args: Any) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{kind} {' '.join(map(str, args))} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def grow(
    store: str, url: str, sizes: list[int], margin: int, products: int, size: int
) -> list[Any]:
    """The margin figures on an empty store, then at each size, each printed as soon as it is
    measured; [(size, figures), ...]."""
    held = 0
    out: list[Any] = []
    for target in [0, *sizes]:
        if target > held:
            started = time.monotonic()
            _child("fill", url, held, target - held, products, size)
            held = target
            print(f"  (filled to {held:,} in {time.monotonic() - started:.0f} s)", flush=True)
        out.append((held, _child("margin", url, held, margin, products, size)))
        _print(store, out[0][1], *out[-1], margin)
        held += margin
    return out


def _print(store: str, base: dict[str, float], held: int, r: dict[str, float], margin: int) -> None:
    ratios = (
        f"   vs empty: append {r['append'] / base['append']:.2f}, process "
        f"{r['process'] / base['process']:.2f}, deliver {r['deliver'] / base['deliver']:.2f},"
        f" RSS {r['rss_mb'] / base['rss_mb']:.2f}"
        if held
        else "   (baseline)"
    )
    print(
        f"{store:<8} journal holds {held:>9,}: next {margin:,} events: append "
        f"{r['append']:>7,.0f}/s, process {r['process']:>7,.0f}/s, deliver "
        f"{r['deliver']:>7,.0f}/s, peak RSS {r['rss_mb']:>5.0f} MB{ratios}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--stores", default="sqlite")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--margin", type=int, default=20_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, url, *numbers = args.child
        work = {"fill": _fill, "margin": _margin}[kind]
        print(json.dumps(work(url, *map(int, numbers))))
        return {}
    sizes = [int(s) for s in args.sizes.split(",")]
    load = (args.margin, args.products, args.size)
    print(
        f"cost growth: the next {args.margin:,} events of ~{args.size} B ({args.products:,} "
        "products) at each journal size, each step in a fresh process"
    )
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for store in args.stores.split(","):
            if store == "sqlite":
                out[store] = grow(store, f"sqlite:///{tmp}/growth.db", sizes, *load)
            else:
                from logisync.testing.postgres import postgres_cluster

                with postgres_cluster() as cluster:
                    out[store] = grow(store, cluster.create_database("growth"), sizes, *load)
    return out


if __name__ == "__main__":
    main()
