"""What every dashboard route shares: templates, the session gate (login, role, CSRF) and
form parsing. Routes call ``gate`` first and return its answer when it refuses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import Request
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from logisync.api.auth import hub_of, origin_of
from logisync.api.disclosure import Disclosure
from logisync.api.services import Hub
from logisync.core.accounts import Role, may, role_for_scopes
from logisync.ui.session import COOKIE, CSRF_FIELD, CSRF_HEADER, Session, token_matches, verify
from logisync.ui.settings import UiSettings

TEMPLATES = Environment(
    loader=PackageLoader("logisync.ui", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def ui_settings(request: Request) -> UiSettings:
    settings: UiSettings = request.app.state.ui
    return settings


def render(
    request: Request, template: str, session: Session | None, status: int = 200, **values: Any
) -> HTMLResponse:
    page = TEMPLATES.get_template(template).render(
        session=session, path=request.url.path, ui=ui_settings(request), **values
    )
    return HTMLResponse(page, status_code=status)


@dataclass(frozen=True)
class Pass:
    """A request the gate let through: who, and the form it posted (empty for a GET)."""

    session: Session
    form: dict[str, list[str]]
    hub: Hub

    @property
    def disclosure(self) -> Disclosure:
        return Disclosure(reveal=self.session.role != "viewer")

    def field(self, name: str, default: str = "") -> str:
        values = self.form.get(name)
        return values[0].strip() if values else default


async def read_form(request: Request) -> dict[str, list[str]]:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    body = await request.body()
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=1000)


async def gate(request: Request, needed: Role) -> Pass | Response:
    """Let the request through if its session is valid, its account still active, its role at
    least ``needed`` and (for a POST) its CSRF token right; answer for it otherwise."""
    hub = hub_of(request)
    settings = ui_settings(request)
    session = verify(request.cookies.get(COOKIE), settings.session_secret, hub.clock.now())
    role = None if session is None else _current_role(hub, session)
    if session is None or role is None:
        return _to_login(request)
    session = Session(session.actor, role, session.csrf, session.expires)
    form: dict[str, list[str]] = {}
    if request.method == "POST":
        form = await read_form(request)
        given = request.headers.get(CSRF_HEADER) or next(iter(form.get(CSRF_FIELD, [])), None)
        if not token_matches(session.csrf, given):
            await hub.audit(
                actor=session.actor,
                action="ui.csrf_refused",
                subject=f"POST {request.url.path}",
                reason="the CSRF token was missing or wrong",
                origin=origin_of(request),
            )
            return render(
                request, "refused.html", session, 403, reason="The form's CSRF token is wrong."
            )
    if not may(role, needed):
        reason = f"This needs the {needed} role; you are {role}."
        return render(request, "refused.html", session, 403, reason=reason)
    return Pass(session, form, hub)


def _current_role(hub: Hub, session: Session) -> Role | None:
    """The role the session's account has now (None: gone, disabled, revoked or expired)."""
    kind, _, name = session.actor.partition(":")
    if kind == "user":
        user = hub.reader.dashboard_user(name)
        return user.role if user is not None and user.active else None
    if kind == "key":
        key = hub.reader.api_key(name)
        if key is None or key.state(hub.clock.now()) != "active":
            return None
        return role_for_scopes(key.scopes)
    return None


def _to_login(request: Request) -> Response:
    target = "/ui/login?next=" + quote(request.url.path)
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
