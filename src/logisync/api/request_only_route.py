"""A FastAPI route for endpoints that take the bare ``Request`` and return a ``Response``.

FastAPI resolves a route's parameters and dependencies on every request, and reads the query
string and cookies to do so, even when the endpoint asks for nothing but the request. On the
intake routes that came to about a tenth of a single-event request (``bench/intake.py``). The
intake endpoints parse their own bodies (CloudEvents, with problem documents FastAPI would not
write), so this route calls them directly. The route still publishes its OpenAPI operation and
still runs under the app's exception handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


class RequestOnlyRoute(APIRoute):
    """Use as ``APIRouter(route_class=RequestOnlyRoute)``; every endpoint must take only
    ``request: Request`` (anything more would be silently ignored, so it is refused)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        wants = self.dependant
        extras = (
            wants.path_params,
            wants.query_params,
            wants.header_params,
            wants.cookie_params,
            wants.body_params,
            wants.dependencies,
        )
        if any(extras) or wants.request_param_name is None:
            raise TypeError(
                f"{endpoint.__qualname__} ({path}) must take only `request: Request` "
                "to be served by RequestOnlyRoute"
            )

    def get_route_handler(self) -> Endpoint:
        endpoint: Endpoint = self.endpoint
        return endpoint
