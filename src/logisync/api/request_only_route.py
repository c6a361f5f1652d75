"""A FastAPI route with a fast path for endpoints that take the bare ``Request``.

FastAPI resolves a route's parameters and dependencies on every request, and reads the query
string and cookies to do so, even when the endpoint asks for nothing but the request. On the
intake routes that came to about a tenth of a single-event request (``bench/intake.py``). The
intake endpoints parse their own bodies (CloudEvents, with problem documents FastAPI would not
write), so this route calls them directly. The route still publishes its OpenAPI operation,
still runs under the app's exception handlers and body-size limit; and as soon as anything
asks for more than the request (a parameter of the endpoint, or a dependency of the route,
its router, the ``include_router`` call or the app), FastAPI's own handler serves it, so that
no guard is ever skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


class RequestOnlyRoute(APIRoute):
    """Use as ``APIRouter(route_class=RequestOnlyRoute)``."""

    def get_route_handler(self) -> Endpoint:
        if _asks_for_more(_effective_dependant(self)):
            return super().get_route_handler()
        endpoint: Endpoint = self.endpoint
        return endpoint


def _effective_dependant(route: APIRoute) -> Dependant:
    """What FastAPI would resolve for ``route``: since FastAPI 0.16x a route included into a
    router or app is served through an inclusion context that adds their dependencies; before,
    ``include_router`` built a new route with them (``route.dependant`` holds them then)."""
    context_var = getattr(routing, "_effective_route_context_var", None)
    context = context_var.get() if context_var is not None else None
    if context is not None and getattr(context, "original_route", None) is route:
        dependant = getattr(context, "dependant", None)
        if isinstance(dependant, Dependant):
            return dependant
    return route.dependant


def _asks_for_more(wants: Dependant) -> bool:
    return wants.request_param_name is None or any(
        (
            wants.path_params,
            wants.query_params,
            wants.header_params,
            wants.cookie_params,
            wants.body_params,
            wants.dependencies,
        )
    )
