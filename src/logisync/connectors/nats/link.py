"""One NATS connection driven from the hub's synchronous workers.

The delivery worker and the source loops are plain threads; nats-py is asyncio. A ``NatsLink``
owns an event loop in a daemon thread and the connection living on it, and ``run`` hands it a
coroutine and waits for its result. The connection is opened lazily and re-opened after it is
closed, so a server that is down when the hub starts is a transient failure, not a crash.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.js import JetStreamContext

T = TypeVar("T")
log = logging.getLogger("logisync.connectors.nats")


def _nats() -> Any:
    try:
        import nats
    except ImportError as missing:  # an optional dependency: say how to get it
        raise ImportError(
            "the nats connector needs nats-py: pip install 'logisync[nats]'"
        ) from missing
    return nats


class NatsLink:
    def __init__(self, name: str, options: dict[str, Any], connect_timeout: float = 5.0) -> None:
        self.name = name
        self._options = options
        self._connect_timeout = connect_timeout
        self._client: Client | None = None
        self._closing = False
        # Counts the connections opened: a subscription lives as long as its connection (it
        # survives reconnects, with what the server sent it meanwhile), not longer.
        self.generation = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name=f"nats-{name}", daemon=True
        )
        self._thread.start()

    def run(self, work: Coroutine[Any, Any, T], timeout: float) -> T:
        """``work``'s result, run on the link's loop; ``TimeoutError`` after ``timeout`` s."""
        future = asyncio.run_coroutine_threadsafe(work, self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    async def jetstream(self) -> JetStreamContext:
        """The JetStream context of an open connection (opened now if it is not)."""
        client = self._client
        if client is None or client.is_closed:
            # Once connected, the client reconnects for ever on its own; a first connection
            # that does not come would be retried for ever too, so it gets a deadline.
            budget = self._connect_timeout * len(self._options.get("servers", [""])) + 1
            client = await asyncio.wait_for(self._connect(), budget)
            self._client = client
            self.generation += 1
        if not client.is_connected:  # reconnecting on its own: fail fast meanwhile
            raise ConnectionError("not connected (the client is reconnecting)")
        return client.jetstream()

    async def _connect(self) -> Client:
        client: Client = await _nats().connect(
            **self._options,
            name=f"logisync-{self.name}",
            connect_timeout=self._connect_timeout,
            allow_reconnect=True,
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.5,
            error_cb=self._on_error,
            disconnected_cb=self._on_disconnected,
            reconnected_cb=self._on_reconnected,
        )
        return client

    @property
    def connected(self) -> bool:
        return self._client is not None and self._client.is_connected

    async def flush(self) -> None:
        """Wait until the server has everything sent so far (acknowledgements included)."""
        if self._client is not None and not self._client.is_closed:
            await self._client.flush()

    async def _on_error(self, error: Exception) -> None:
        log.warning("nats %s: %s", self.name, error)

    async def _on_disconnected(self) -> None:
        if not self._closing:
            log.warning("nats %s: disconnected; reconnecting", self.name)

    async def _on_reconnected(self) -> None:
        log.info("nats %s: reconnected", self.name)

    def close(self) -> None:
        """Close the connection, then stop the loop (idempotent). Everything that matters
        was flushed already: publishes were acknowledged, acknowledgements flushed."""
        if not self._loop.is_running():
            return
        self._closing = True
        if self._client is not None and not self._client.is_closed:
            try:
                self.run(self._client.close(), timeout=self._connect_timeout)
            except Exception as error:  # closing is best effort: the server may be gone
                log.info("nats %s: closing: %s", self.name, error)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
