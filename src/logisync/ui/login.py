"""``/ui/login`` (a name and password, or an API key) and ``/ui/logout``.

Every refusal and every login is audited with the client's address; the page says only that
the login failed, never whether the name exists. Five failures a minute for one name or from
one address lock it out for the rest of the minute (429 with Retry-After, before any password
is checked); a lock-out is audited once, not each attempt it refuses (``api.failed_attempts``)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from logisync.api.auth import hub_of, origin_of
from logisync.core.accounts import Role, check_login, role_for_scopes
from logisync.core.keys import KeyRefused, authenticate, parse_token
from logisync.ui.session import COOKIE, LOGIN_COOKIE, new_session, sign, token_matches
from logisync.ui.web import gate, read_form, render, ui_settings

router = APIRouter()


@router.get("/login")
async def login_page(request: Request, next: str = "/ui/flows") -> Response:
    token = secrets.token_urlsafe(24)
    page = render(request, "login.html", None, csrf=token, next=_local(next), failed=False)
    _set_cookie(request, page, LOGIN_COOKIE, token, max_age=3600)
    return page


@router.post("/login")
async def login(request: Request) -> Response:
    hub = hub_of(request)
    form = await read_form(request)

    def value(name: str) -> str:
        return (form.get(name) or [""])[0].strip()

    target = _local(value("next") or "/ui/flows")
    if not token_matches(request.cookies.get(LOGIN_COOKIE) or "", value("csrf")):
        await _audit_refusal(request, value("username") or "anonymous", "login CSRF token wrong")
        return render(request, "refused.html", None, 403, reason="The login form expired.")
    attempt = _attempt_keys(request, value("username"), value("api_key"))
    locked = await _locked_out(request, attempt)
    if locked is not None:
        return locked
    # scrypt takes ~50 ms of CPU: off the event loop
    actor, role, why = await run_in_threadpool(
        _check, request, value("username"), value("password"), value("api_key")
    )
    if role is None:
        hub.failed_logins.failed(attempt, hub.clock.now())
        await _audit_refusal(request, actor, why)
        token = secrets.token_urlsafe(24)
        page = render(request, "login.html", None, 401, csrf=token, next=target, failed=True)
        _set_cookie(request, page, LOGIN_COOKIE, token, max_age=3600)
        return page
    if not attempt[0].startswith("addr:"):  # the name's failures, never the address's
        hub.failed_logins.succeeded(attempt[0])
    settings = ui_settings(request)
    session = new_session(actor, role, hub.clock.now() + settings.session_lifetime)
    await hub.audit(
        actor=actor,
        action="ui.login",
        subject="dashboard",
        reason=f"logged in as {role}",
        origin=origin_of(request),
    )
    answer = RedirectResponse(target, status_code=303)
    _set_cookie(
        request,
        answer,
        COOKIE,
        sign(session, settings.session_secret),
        max_age=int(settings.session_lifetime.total_seconds()),
    )
    answer.delete_cookie(LOGIN_COOKIE, path="/ui")
    return answer


@router.post("/logout")
async def logout(request: Request) -> Response:
    passed = await gate(request, "viewer")
    if isinstance(passed, Response):
        return passed
    await passed.hub.audit(
        actor=passed.session.actor,
        action="ui.logout",
        subject="dashboard",
        reason="",
        origin=origin_of(request),
    )
    answer = RedirectResponse("/ui/login", status_code=303)
    answer.delete_cookie(COOKIE, path="/ui")
    return answer


def _check(
    request: Request, username: str, password: str, api_key: str
) -> tuple[str, Role | None, str]:
    """(actor, role or None, why refused)."""
    hub = hub_of(request)
    if api_key:
        try:
            key_id, secret = parse_token(api_key)
            key = authenticate(hub.reader.api_key(key_id), key_id, secret, hub.clock.now())
        except KeyRefused as refused:
            return f"key:{refused.key_id}" if refused.key_id else "anonymous", None, refused.reason
        role = role_for_scopes(key.scopes)
        if role is None:
            return f"key:{key.key_id}", None, "the key has neither events:read nor admin"
        return f"key:{key.key_id}", role, ""
    if not username:
        return "anonymous", None, "no user name nor API key given"
    user = hub.reader.dashboard_user(username)
    why = check_login(user, password)
    if why is not None or user is None:
        return f"user:{username}", None, why or "no such user"
    return f"user:{user.name}", user.role, ""


def _attempt_keys(request: Request, username: str, api_key: str) -> list[str]:
    """What a login attempt is counted against: the name (or key) it tries, if any, then the
    client's address (``api.failed_attempts``)."""
    name = f"user:{username}" if username else ""
    if api_key:
        try:
            name = f"key:{parse_token(api_key)[0]}"
        except KeyRefused:
            name = ""
    address = f"addr:{origin_of(request)}"
    return [name, address] if name else [address]


async def _locked_out(request: Request, attempt: list[str]) -> Response | None:
    """429 when the name or the address is locked out after too many failed logins (audited
    once per lock-out, and once more when it is over, with how many attempts it refused)."""
    hub = hub_of(request)
    now = hub.clock.now()
    for key, refused in hub.failed_logins.ended(now):
        await hub.audit(
            actor=key if not key.startswith("addr:") else "anonymous",
            action="ui.login_locked_out",
            subject="dashboard",
            reason=f"lock-out of {key} over: {refused} login(s) refused during it",
            origin=origin_of(request),
            detail={"refused": refused},
        )
    lock = hub.failed_logins.check(attempt, now)
    if lock is None:
        return None
    limits = hub.failed_logins
    if lock.first:
        await hub.audit(
            actor=attempt[0] if len(attempt) > 1 else "anonymous",
            action="ui.login_locked_out",
            subject="dashboard",
            reason=f"{limits.limit} failed logins within {limits.window.total_seconds():g} s "
            f"for this name or from this address: refused for {lock.retry_after} s",
            origin=origin_of(request),
        )
    page = render(
        request,
        "refused.html",
        None,
        429,
        reason=f"Too many failed logins for this account or from this address: try again in "
        f"{lock.retry_after} s.",
    )
    page.headers["Retry-After"] = str(lock.retry_after)
    return page


async def _audit_refusal(request: Request, actor: str, why: str) -> None:
    await hub_of(request).audit(
        actor=actor,
        action="ui.login_refused",
        subject="dashboard",
        reason=why,
        origin=origin_of(request),
    )


def _set_cookie(request: Request, answer: Response, name: str, value: str, max_age: int) -> None:
    answer.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/ui",
        httponly=True,
        samesite="lax",
        secure=ui_settings(request).secure_cookies,
    )


def _local(target: str) -> str:
    """Only redirect within the dashboard (no open redirect to another site)."""
    return target if target.startswith("/ui/") and not target.startswith("//") else "/ui/flows"
