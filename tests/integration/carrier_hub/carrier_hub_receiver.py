"""A webhook receiver served on loopback that records every push it gets, raw."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers 200, or ``refuse_next`` times 503 first; ``received`` keeps every request."""

    received: list[Received] = field(default_factory=list)
    refuse_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        async def hook(request: Request) -> Response:
            body = await request.body()
            with self.lock:
                self.received.append(Received(request.url.path, dict(request.headers), body))
                if self.refuse_next:
                    self.refuse_next -= 1
                    return Response(status_code=503)
            return Response(status_code=200)

        return Starlette(routes=[Route("/v1/webhooks/{kind}", hook, methods=["POST"])])
