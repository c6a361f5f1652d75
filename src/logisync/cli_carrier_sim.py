"""``logisync carrier-sim``: the carrier hub in its own process, for the demo, benchmarks, or
tests written in another language. Its clock runs ``--speed`` simulated seconds per real
second (0: only ``POST /__sim__/advance`` moves it); every ``--tick-every`` seconds the due
scans are pushed to the ``--push-ups`` / ``--push-fedex`` URLs."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from logisync.testing.carrier_hub.hub import CarrierHub
    from logisync.testing.carrier_hub.pushing import Pusher


def carrier_sim(
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8070,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    seed: Annotated[int, typer.Option(help="Seed of scenarios and faults")] = 0,
    shipments: Annotated[int, typer.Option(min=0, help="Shipments generated at start")] = 20,
    push_ups: Annotated[str | None, typer.Option(help="URL receiving UPS Track Alert")] = None,
    push_fedex: Annotated[str | None, typer.Option(help="URL receiving FedEx webhooks")] = None,
    speed: Annotated[float, typer.Option(min=0, help="Simulated seconds per second")] = 3600.0,
    tick_every: Annotated[float, typer.Option(min=0.05, help="Real seconds between pushes")] = 1.0,
) -> None:
    """Serve UPS, FedEx, DHL and USPS tracking APIs until Ctrl-C.

    Faults: PUT /__sim__/faults; what was sent: GET /__sim__/sent; expected end state:
    GET /__sim__/expected.
    """
    import uvicorn

    from logisync.testing.carrier_hub.hub import CarrierHub
    from logisync.testing.carrier_hub.pushing import Pusher
    from logisync.testing.carrier_hub.server import create_carrier_hub_app

    push_to = {k: v for k, v in (("ups", push_ups), ("fedex", push_fedex)) if v}
    hub = CarrierHub(seed=seed)
    hub.generate(shipments)
    pusher = Pusher(hub, push_to)
    stop = threading.Event()
    driver = threading.Thread(
        target=_drive, args=(hub, pusher, speed, tick_every, stop), daemon=True
    )
    driver.start()
    typer.echo(f"carrier hub on http://{host}:{port} (seed {seed}, {shipments} shipments)")
    try:
        uvicorn.run(create_carrier_hub_app(hub, pusher), host=host, port=port, log_level="warning")
    finally:
        stop.set()
        driver.join(timeout=5)
        pusher.close()


def _drive(
    hub: CarrierHub, pusher: Pusher, speed: float, every: float, stop: threading.Event
) -> None:
    """Move the clock and push what came due, until ``stop``."""
    while not stop.wait(every):
        if speed:
            hub.advance(speed * every)
        pusher.tick()
