"""API-key authentication for the routes that need a key; every refusal is audited.

The audit entry names the key id (never the secret), the path, the client address and the
reason, so that a leaked or misconfigured key shows up in ``logisync`` audit output.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from logisync.api.problems import Problem
from logisync.api.services import Hub
from logisync.core.keys import ApiKey, KeyRefused, authenticate, parse_token, require_scope


def hub_of(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def origin_of(request: Request) -> str | None:
    return request.client.host if request.client else None


async def refuse(request: Request, refusal: KeyRefused) -> Problem:
    """Audit the refusal and turn it into the problem to raise."""
    await hub_of(request).audit(
        actor=f"key:{refusal.key_id}" if refusal.key_id else "anonymous",
        action="auth.refused",
        subject=f"{request.method} {request.url.path}",
        reason=refusal.reason,
        origin=origin_of(request),
    )
    slug = "unauthenticated" if refusal.status == 401 else "forbidden"
    headers = {"WWW-Authenticate": 'Bearer realm="logisync"'} if refusal.status == 401 else {}
    return Problem(slug, refusal.reason, headers=headers)


SECURITY_SCHEMES = {
    "HTTPBearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "Authorization: Bearer lsk_<id>_<secret>",
    }
}
"""The components a route that calls ``authorized`` relies on, for the OpenAPI document."""
KEY_REQUIRED: dict[str, Any] = {"security": [{"HTTPBearer": []}]}
"""A route's ``openapi_extra``: it calls ``authorized`` before anything else."""


async def authorized(request: Request, scope: str) -> ApiKey:
    """The caller's key once it is valid, in scope and not over its rate; raises the matching
    problem otherwise.

    Routes call this first thing instead of declaring it as a FastAPI dependency: resolving a
    dependency (and the ``HTTPBearer`` one under it) cost more than the check itself on every
    request (``bench/intake.py``). The routes publish the same security requirement through
    ``KEY_REQUIRED``. The key's record comes from ``hub.keys`` (see ``api.key_cache``)."""
    hub = hub_of(request)
    now = hub.clock.now()
    try:
        key_id, secret = parse_token(_token(request.headers.get("authorization")))
        key = authenticate(hub.keys.get(key_id), key_id, secret, now)
        require_scope(key, scope)
    except KeyRefused as refusal:
        if refusal.status == 401:
            await _count_failure(request)
        raise await refuse(request, refusal) from None
    wait = hub.limits.wait_seconds(key, now)
    if wait is not None:
        raise Problem(
            "rate-limited",
            f"API key {key.key_id} is over its limit of "
            f"{key.rate_limit or hub.settings.key_rate_limit:g} requests/s",
            headers={"Retry-After": str(wait)},
        )
    return key


async def _count_failure(request: Request) -> None:
    """Count a request without a valid key against its address (``api.failed_attempts``);
    past the limit, raise 429 instead of auditing one more refusal. A valid key from the same
    address still goes through: only failing requests are held back."""
    hub = hub_of(request)
    now = hub.clock.now()
    address = f"addr:{origin_of(request)}"
    for key, refused in hub.failed_keys.ended(now):
        await hub.audit(
            actor="anonymous",
            action="auth.locked_out",
            subject=key,
            reason=f"lock-out over: {refused} request(s) without a valid key refused during it",
            origin=key.removeprefix("addr:"),
            detail={"refused": refused},
        )
    lock = hub.failed_keys.check([address], now)
    if lock is None:
        hub.failed_keys.failed([address], now)
        return
    if lock.first:
        await hub.audit(
            actor="anonymous",
            action="auth.locked_out",
            subject=address,
            reason=f"{hub.failed_keys.limit} requests without a valid key within "
            f"{hub.failed_keys.window.total_seconds():g} s: refused for {lock.retry_after} s",
            origin=origin_of(request),
        )
    raise Problem(
        "too-many-failures",
        f"too many requests without a valid API key from this address; "
        f"retry in {lock.retry_after} s",
        headers={"Retry-After": str(lock.retry_after)},
    )


_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer lsk_<id>_<secret>")


def requires(scope: str) -> Callable[..., Awaitable[ApiKey]]:
    """``authorized`` as a FastAPI dependency, for routes off the hot path (reads, admin),
    where declaring it is clearer than calling it and its cost does not matter."""

    async def caller(
        request: Request,
        _documented: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
    ) -> ApiKey:
        return await authorized(request, scope)

    return caller


def _token(header: str | None) -> str:
    if not header:
        raise KeyRefused(401, "no API key: send the header Authorization: Bearer lsk_<id>_<secret>")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise KeyRefused(401, "the Authorization header must be: Bearer lsk_<id>_<secret>")
    return token.strip()
