"""The simulator's own controls: change the fault plan and read the call counters, in-process
through ``SimControl`` or over HTTP through ``/__sim__`` (for a server in another process,
such as ``logisync odoo-sim``). Neither is ever faulted nor counted.

- ``GET /__sim__/faults``: the plan as JSON; ``PUT /__sim__/faults``: replace it (422 with
  the validation errors if it is not a valid ``FaultPlan``).
- ``GET /__sim__/calls``: the counters; ``DELETE /__sim__/calls``: reset them (204).
"""

from __future__ import annotations

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from logisync.testing.odoo.faults import FaultPlan
from logisync.testing.odoo.server.site import OdooSite


class SimControl:
    """What a test changes and reads on a running server; safe from any thread."""

    def __init__(self, site: OdooSite) -> None:
        self._site = site

    @property
    def faults(self) -> FaultPlan:
        return self._site.faults.plan

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self._site.faults.plan = plan

    def maintenance_for(self, seconds: float) -> FaultPlan:
        """Add a maintenance window from now (the server's clock) and return the new plan."""
        self.faults = self.faults.maintenance_for(seconds, now=self._site.faults.now())
        return self.faults

    def calls(self) -> dict[str, int]:
        return self._site.calls.snapshot()

    def reset_calls(self) -> None:
        self._site.calls.reset()


def admin_routes(control: SimControl) -> list[Route]:
    async def get_faults(request: Request) -> Response:
        return JSONResponse(control.faults.model_dump(mode="json"))

    async def put_faults(request: Request) -> Response:
        try:
            control.faults = FaultPlan.model_validate_json(await request.body())
        except ValidationError as exc:
            return JSONResponse(
                {"detail": exc.errors(include_url=False, include_context=False)}, 422
            )
        return JSONResponse(control.faults.model_dump(mode="json"))

    async def get_calls(request: Request) -> Response:
        return JSONResponse(control.calls())

    async def reset_calls(request: Request) -> Response:
        control.reset_calls()
        return Response(status_code=204)

    return [
        Route("/__sim__/faults", get_faults, methods=["GET"]),
        Route("/__sim__/faults", put_faults, methods=["PUT"]),
        Route("/__sim__/calls", get_calls, methods=["GET"]),
        Route("/__sim__/calls", reset_calls, methods=["DELETE"]),
    ]
