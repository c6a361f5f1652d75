"""The dashboard's pages. Each page is a frame whose panels htmx reloads on a timer from the
matching ``/ui/panels/...`` route; every read is bounded (a page of rows, a window of minutes,
a key range)."""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from logisync.api.trace import build_entity_trace, build_trace
from logisync.core.lookup import find
from logisync.core.stewardship import every_conflict
from logisync.ui.health import flow_health, sparkline
from logisync.ui.stuck import find_stuck, stage_rows
from logisync.ui.web import Pass, gate, render, ui_settings

router = APIRouter()

_STATIC = {"htmx.min.js": "application/javascript", "dashboard.css": "text/css"}


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/ui/flows", status_code=303)


@router.get("/static/{name}")
async def static(name: str) -> Response:
    if name not in _STATIC:
        return Response(status_code=404)
    body = files("logisync.ui").joinpath("static", name).read_bytes()
    return Response(
        body, media_type=_STATIC[name], headers={"Cache-Control": "public, max-age=3600"}
    )


# -- flow health ---------------------------------------------------------------------------
@router.get("/flows")
async def flows(request: Request) -> Response:
    return await _page(request, "flows.html", "viewer", _flows)


@router.get("/panels/flows")
async def flows_panel(request: Request) -> Response:
    return await _page(request, "flows_panel.html", "viewer", _flows)


def _flows(request: Request, passed: Pass) -> dict[str, Any]:
    settings = ui_settings(request)
    health = flow_health(passed.hub.reader, passed.hub.clock.now(), settings.window_minutes)
    return {"health": health, "spark": sparkline, "ago": _ago}


# -- business view -------------------------------------------------------------------------
@router.get("/business")
async def business(request: Request) -> Response:
    return await _page(request, "business.html", "viewer", _business)


@router.get("/panels/business")
async def business_panel(request: Request) -> Response:
    return await _page(request, "business_panel.html", "viewer", _business)


def _business(request: Request, passed: Pass) -> dict[str, Any]:
    store, now = passed.hub.reader, passed.hub.clock.now()
    rules = ui_settings(request).stuck
    return {
        "stages": stage_rows(store),
        "stuck": find_stuck(store, rules, now),
        "rules": rules,
        "ago": lambda since: _ago(since, now),
    }


# -- one transaction's timeline ------------------------------------------------------------
@router.get("/timeline")
async def timeline(
    request: Request,
    q: Annotated[str, Query(max_length=256)] = "",
    entity: Annotated[str, Query(max_length=256)] = "",
    correlation: Annotated[str, Query(max_length=256)] = "",
) -> Response:
    passed = await gate(request, "viewer")
    if isinstance(passed, Response):
        return passed
    store, disclosure = passed.hub.reader, passed.disclosure
    found = find(store, q) if q else None
    if found is not None and len(found.correlation_ids) == 1 and not entity:
        correlation = found.correlation_ids[0]
    elif found is not None and not found.correlation_ids and len(found.entity_keys) == 1:
        entity = found.entity_keys[0]
    trace = None
    if correlation:
        trace = build_trace(store, correlation, disclosure)
    elif entity:
        trace = build_entity_trace(store, entity, disclosure)
    decisions = [  # an entity's conflicts, open and decided, with both values
        (
            c,
            disclosure.field_value(c.entity_key, c.field, c.proposed_value),
            disclosure.field_value(c.entity_key, c.field, c.current_value),
        )
        for c in (every_conflict(store, entity) if entity and not correlation else [])
    ]
    return render(
        request,
        "timeline.html",
        passed.session,
        q=q,
        found=found,
        trace=trace,
        systems=_systems,
        decisions=decisions,
    )


def _systems(entry: Any) -> str:
    """Which system an entry happened at: the event's source, the delivery's target."""
    return str(getattr(entry, "source", None) or getattr(entry, "target", None) or "hub")


# -- dead letters, conflicts, audit --------------------------------------------------------
@router.get("/dead-letters")
async def dead_letters(
    request: Request,
    target: Annotated[str, Query(max_length=128)] = "",
    after: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    passed = await gate(request, "viewer")
    if isinstance(passed, Response):
        return passed
    size = ui_settings(request).page_size
    found = passed.hub.reader.deliveries_in_state(
        "dead", target=target or None, after=after, limit=size + 1
    )
    return render(
        request,
        "dead_letters.html",
        passed.session,
        letters=found[:size],
        target=target,
        next_after=found[size - 1].id if len(found) > size else None,
        done=request.query_params.get("done", ""),
    )


@router.get("/conflicts")
async def conflicts(request: Request, after: Annotated[int, Query(ge=0)] = 0) -> Response:
    passed = await gate(request, "viewer")
    if isinstance(passed, Response):
        return passed
    size = ui_settings(request).page_size
    found = passed.hub.reader.open_conflicts(after=after, limit=size + 1)
    shown = [
        (
            c,
            passed.disclosure.field_value(c.entity_key, c.field, c.proposed_value),
            passed.disclosure.field_value(c.entity_key, c.field, c.current_value),
        )
        for c in found[:size]
    ]
    return render(
        request,
        "conflicts.html",
        passed.session,
        conflicts=shown,
        next_after=found[size - 1].id if len(found) > size else None,
        done=request.query_params.get("done", ""),
        entity=request.query_params.get("entity", ""),
    )


@router.get("/audit")
async def audit(request: Request) -> Response:
    passed = await gate(request, "admin")
    if isinstance(passed, Response):
        return passed
    entries = passed.hub.reader.audit_log(ui_settings(request).page_size * 4)
    return render(request, "audit.html", passed.session, entries=entries)


async def _page(request: Request, template: str, role: Any, values: Any) -> Response:
    passed = await gate(request, role)
    if isinstance(passed, Response):
        return passed
    return render(request, template, passed.session, **values(request, passed))


def _ago(since: str | None, now: datetime | float | None = None) -> str:
    """``3 min``, ``2 h 05 min``: how long ago ``since`` was (or a number of seconds)."""
    if since is None:
        return "-"
    if isinstance(since, int | float):
        seconds = float(since)
    else:
        moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
        assert isinstance(now, datetime)
        seconds = (now - moment).total_seconds()
    if seconds < 60:
        return f"{max(0, int(seconds))} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d"
