"""A recorder in front of the hub's HTTP app: every message a sender posted, and the answer.

Why: the naive point-to-point baseline must get exactly the day the hub got (the shop's
re-sends, the carriers' shuffled and repeated pushes, the WMS's double post), in the order
they arrived; and the report counts what the hub's answers say it absorbed.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

TAPPED = ("/v1/webhooks/", "/v1/events")


@dataclass(frozen=True)
class TappedPost:
    """One POST to the hub: who sent it (the path's system, or ``events``), what, the answer."""

    system: str
    headers: dict[str, str]
    body: bytes
    status: int
    answer: bytes

    def duplicates_absorbed(self) -> int:
        """Copies the hub recognised: a replayed delivery id (200), or events it already had."""
        if self.status == 200:
            return 1
        if self.status != 202:
            return 0
        try:
            events = orjson.loads(self.answer).get("events") or []
        except (orjson.JSONDecodeError, AttributeError):
            return 0
        return sum(1 for event in events if isinstance(event, dict) and event.get("duplicate"))


class WebhookTap:
    """Wraps an ASGI app; keeps every tapped POST and queues it for one consumer."""

    def __init__(self) -> None:
        self.posts: list[TappedPost] = []
        self.queue: queue.Queue[TappedPost] = queue.Queue()
        self._lock = threading.Lock()

    def wrap(self, app: App) -> App:
        async def tapped(scope: Scope, receive: Receive, send: Send) -> None:
            path = str(scope.get("path", ""))
            if (
                scope["type"] != "http"
                or scope.get("method") != "POST"
                or not path.startswith(TAPPED)
            ):
                await app(scope, receive, send)
                return
            body: list[bytes] = []
            answer: list[bytes] = []
            status = [0]

            async def receiving() -> Message:
                message = await receive()
                if message["type"] == "http.request":
                    body.append(message.get("body", b""))
                return message

            async def sending(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status[0] = int(message["status"])
                elif message["type"] == "http.response.body":
                    answer.append(message.get("body", b""))
                await send(message)

            await app(scope, receiving, sending)
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            system = path.removeprefix("/v1/webhooks/") if "webhooks" in path else "events"
            post = TappedPost(system, headers, b"".join(body), status[0], b"".join(answer))
            with self._lock:
                self.posts.append(post)
            self.queue.put(post)

        return tapped

    def counts(self) -> Counter[str]:
        """Posts by system, answers by status, and duplicates absorbed."""
        with self._lock:
            posts = list(self.posts)
        tally: Counter[str] = Counter()
        for post in posts:
            tally[f"from:{post.system}"] += 1
            tally[f"status:{post.status}"] += 1
            tally["duplicates_absorbed"] += post.duplicates_absorbed()
        return tally
