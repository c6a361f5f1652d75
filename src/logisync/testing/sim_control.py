"""The ``/__sim__`` control routes the simulated WMS and TMS share.

``GET/PUT /__sim__/faults`` reads or replaces the ``MessageFaultPlan`` live (422 with the
reasons for a plan that does not validate); ``POST /__sim__/advance`` with ``{"seconds": n}``
moves the simulated clock and posts what became due; ``GET /__sim__/records`` returns the
requests the system answered and the messages it posted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from logisync.testing.message_faults import MessageFaultPlan
from logisync.testing.message_outbox import MessageOutbox
from logisync.testing.sim_clock import SimClock

__all__ = ["FaultSwitch", "add_sim_routes"]


class _Advance(BaseModel):
    seconds: float = Field(ge=0, le=30 * 86400)


def add_sim_routes(
    app: FastAPI,
    *,
    clock: SimClock,
    outbox: MessageOutbox,
    faults: Callable[[], MessageFaultPlan],
    set_faults: Callable[[MessageFaultPlan], None],
    received: Callable[[], list[dict[str, Any]]],
) -> None:
    @app.get("/__sim__/faults")
    async def read_faults() -> dict[str, Any]:
        return faults().model_dump(mode="json")

    @app.put("/__sim__/faults")
    async def replace_faults(request: Request) -> JSONResponse:
        try:
            plan = MessageFaultPlan.model_validate_json(await request.body())
        except ValidationError as error:
            problems = [
                {"loc": list(e["loc"]), "msg": e["msg"]} for e in error.errors(include_url=False)
            ]
            return JSONResponse({"errors": problems}, status_code=422)
        set_faults(plan)
        return JSONResponse(plan.model_dump(mode="json"))

    @app.post("/__sim__/advance")
    async def advance(step: _Advance) -> dict[str, Any]:
        now = clock.advance(step.seconds)
        sent = outbox.flush()
        return {"now": now.isoformat(), "sent": [asdict(message) for message in sent]}

    @app.get("/__sim__/records")
    async def records() -> dict[str, Any]:
        return {"received": received(), "sent": [asdict(message) for message in outbox.sent]}


class FaultSwitch:
    """The fault plan of a simulated system, and the error answers it was told to give next.

    Its API asks ``forced_answer()`` before serving a request: 503 while the plan has the
    system down, else the next of the plan's ``answers`` (each given once), else None.
    """

    def __init__(self, plan: MessageFaultPlan, now: Callable[[], datetime]) -> None:
        self._plan = plan
        self._forced = list(plan.answers)
        self._now = now
        self._lock = threading.Lock()

    @property
    def plan(self) -> MessageFaultPlan:
        return self._plan

    def set(self, plan: MessageFaultPlan) -> None:
        with self._lock:
            self._plan, self._forced = plan, list(plan.answers)

    def forced_answer(self) -> int | None:
        with self._lock:
            if self._plan.down_at(self._now()) is not None:
                return 503
            return self._forced.pop(0) if self._forced else None
