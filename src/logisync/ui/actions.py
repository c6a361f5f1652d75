"""What an operator does from the dashboard: replay dead letters (one or a page at once) and
decide conflicts (accept applies the proposed value, see ``core.stewardship``). Every action
goes through the API's single writer (the group committer) and the store audits it in the same
transaction, naming the person and their address."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from logisync.api.auth import origin_of
from logisync.core.stewardship import Acceptance, Stewardship
from logisync.errors import DecisionRefused
from logisync.model.identifiers import is_ascii_digits
from logisync.ui.web import gate, render

router = APIRouter()

MAX_REPLAY = 500  # ids in one bulk replay


@router.post("/dead-letters/replay")
async def replay(request: Request) -> Response:
    passed = await gate(request, "operator")
    if isinstance(passed, Response):
        return passed
    hub = passed.hub
    ids = sorted({int(i) for i in passed.form.get("id", []) if is_ascii_digits(i)})[:MAX_REPLAY]
    reason = passed.field("reason") or "replayed from the dashboard"
    current = passed.field("mode") == "current"
    replayed: list[int] = []
    refused: list[int] = []
    for delivery_id in ids:
        done = await hub.committer.call(
            partial(
                hub.writer.replay_dead_letter,
                delivery_id,
                current=current,
                actor=passed.session.actor,
                reason=reason,
                now=hub.clock.now(),
                origin=origin_of(request),
            )
        )
        (replayed if done else refused).append(delivery_id)
    summary = f"replayed {len(replayed)}" + (f", {len(refused)} no longer dead" if refused else "")
    back = passed.field("back") or "/ui/dead-letters"
    if not back.startswith("/ui/"):
        back = "/ui/dead-letters"
    separator = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{separator}{urlencode({'done': summary})}", status_code=303)


@router.post("/conflicts/{conflict_id}/decide")
async def decide(request: Request, conflict_id: int) -> Response:
    """Accept applies the proposed value (``core.stewardship``: journaled, then applied and
    routed by the processor); reject keeps the current value. Both close the conflict."""
    passed = await gate(request, "operator")
    if isinstance(passed, Response):
        return passed
    decision = passed.field("decision")
    if decision not in ("accept", "reject"):
        return render(
            request, "refused.html", passed.session, 400, reason="Decide accept or reject."
        )
    hub = passed.hub
    steward = Stewardship(hub.writer, hub.clock)
    decide = steward.accept if decision == "accept" else steward.reject
    try:
        decided = await hub.committer.call(
            partial(
                decide,
                conflict_id,
                actor=passed.session.actor,
                reason=passed.field("reason") or f"{decision}ed from the dashboard",
                origin=origin_of(request),
            )
        )
    except DecisionRefused as refused:
        return render(request, "refused.html", passed.session, 409, reason=str(refused))
    if not decided:
        return render(
            request, "refused.html", passed.session, 409, reason="That conflict is not open."
        )
    if isinstance(decided, Acceptance):
        done = (
            f"Accepted: {decided.event_id} is journaled for {decided.entity_key}; the hub "
            "applies the value and sends it on to the systems that take it."
        )
        query = urlencode({"done": done, "entity": decided.entity_key})
    else:
        query = urlencode({"done": "Rejected: the current value stays."})
    return RedirectResponse(f"/ui/conflicts?{query}", status_code=303)
