"""A receiver for what the simulators post: a real server on loopback that records each POST."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from logisync.testing.serving import serving


@dataclass
class Receiver:
    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # statuses to give next, then 202


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    app = FastAPI()
    holder: list[Receiver] = []

    @app.post("/hook")
    async def hook(request: Request) -> JSONResponse:
        got = holder[0]
        status = got.answers.pop(0) if got.answers else 202
        got.posts.append(
            {"headers": dict(request.headers), "body": await request.body(), "status": status}
        )
        return JSONResponse({}, status_code=status)

    with serving(app) as url:
        holder.append(Receiver(f"{url}/hook"))
        yield holder[0]
