"""JetStream publish throughput: the ``nats`` target connector against a bare nats-py loop.

    python bench/nats_publish.py [--events 20000] [--batch 100] [--payload 512]

Both publish the same number of messages of the same size to a fresh stream on the same
local nats-server (JetStream, file storage), and both wait for every acknowledgement:

- baseline: nats-py alone, ``js.publish`` of ``batch`` messages at a time, gathered;
- ours: ``NatsTarget.deliver`` of ``batch`` delivery items at a time (one entity each, so
  none waits behind another), which builds the CloudEvent, sets ``Nats-Msg-Id`` and maps
  every answer to a delivery outcome, through the connector's own event-loop thread.

Goal (issue 9): ours / baseline >= 0.5.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from logisync.config import SystemConfig
from logisync.connectors.nats.target import nats_target
from logisync.core.delivery.connector import DeliveryItem
from logisync.core.ports import DeliveryRecord
from logisync.testing.nats import nats_server


def _items(events: int, payload: int) -> list[DeliveryItem]:
    blob = "x" * payload
    items = []
    for n in range(events):
        record = DeliveryRecord(
            n, "bus", "bench", "event", 1, f"shipment:S{n}", 1, n, f"e{n}", "pending", 0, "", "", 0
        )
        event = {
            "id": f"e{n}",
            "source": "bench",
            "type": "shipment.milestone_recorded",
            "subject": f"shipment:S{n}",
            "time": "2026-11-23T10:00:00Z",
            "data": {"note": blob},
        }
        items.append(DeliveryItem(record, f"bench:e{n}", event))
    return items


def _baseline(url: str, events: int, batch: int, payload: int) -> float:
    import nats

    body = b"x" * (payload + 200)  # about the size of our CloudEvent around the same note

    async def run() -> float:
        client = await nats.connect(url)
        js = client.jetstream()
        await js.add_stream(name="BARE", subjects=["bare.>"])
        started = time.perf_counter()
        for first in range(0, events, batch):
            await asyncio.gather(
                *(
                    js.publish(
                        "bare.shipment.milestone_recorded", body, headers={"Nats-Msg-Id": str(n)}
                    )
                    for n in range(first, min(first + batch, events))
                )
            )
        elapsed = time.perf_counter() - started
        await client.close()
        return events / elapsed

    return asyncio.run(run())


def _ours(url: str, events: int, batch: int, payload: int) -> tuple[float, int]:
    system = SystemConfig.model_validate({"kind": "nats", "servers": [url], "batch": batch})
    target = nats_target("bench", system)
    items = _items(events, payload)
    target.deliver(items[:1])  # connect and create the stream outside the clock
    started = time.perf_counter()
    failed = 0
    for first in range(1, events, batch):
        results = target.deliver(items[first : first + batch])
        failed += sum(r.kind != "delivered" for r in results)
    elapsed = time.perf_counter() - started
    target.close()
    return (events - 1) / elapsed, failed


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--payload", type=int, default=512)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder, nats_server(Path(folder)) as server:
        baseline = _baseline(server.url, args.events, args.batch, args.payload)
        ours, failed = _ours(server.url, args.events, args.batch, args.payload)
    ratio = ours / baseline
    print(
        f"JetStream publish, {args.events:,} x {args.payload} B, batches of {args.batch}: "
        f"ours {ours:,.0f} msg/s   baseline (bare nats-py, gathered publishes) "
        f"{baseline:,.0f} msg/s   ratio {ratio:.2f}   target >= 0.5"
        + (f"   ({failed} not delivered!)" if failed else "")
    )
    return {"ours": ours, "baseline": baseline, "ratio": ratio, "failed": failed}


if __name__ == "__main__":
    main()
