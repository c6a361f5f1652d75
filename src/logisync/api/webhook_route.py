"""``POST /v1/webhooks/{system}``: verify a provider's delivery, map it, journal its events.

The answer follows the intake's rule: 202 only once every event of the delivery is journaled;
a refusal stores nothing and forgets the delivery id, so the provider's retry is judged anew.
A replayed delivery id is answered 200 (the provider stops retrying) and processes nothing.
Durable de-duplication does not depend on the id memory: the events themselves are journaled
idempotently on ``(source, id)``, so a copy that reaches another process, or arrives after a
restart, adds nothing either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from logisync.api.auth import hub_of, origin_of
from logisync.api.intake import read_body
from logisync.api.problems import Problem, json_response, problem_responses
from logisync.api.trace_intake import apply_trace_context
from logisync.api.webhooks import (
    InMemorySeenDeliveries,
    Verifier,
    WebhookRefused,
    adapter_for,
    verifier_for,
)
from logisync.core.clock import utc_text
from logisync.core.journal import journal_entry
from logisync.core.subjects import Resolve, with_subject
from logisync.errors import InvalidEvent
from logisync.errors import Problem as FieldProblem
from logisync.model import Event, parse_event

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


class WebhookSystems:
    """The systems that may post webhooks: their verifiers (secrets resolved once, at start)
    and their kinds (which adapter maps their payloads)."""

    def __init__(
        self,
        systems: Mapping[str, tuple[str, Mapping[str, Any]]],
        resolve_secret: Callable[[str], str],
    ) -> None:
        seen = InMemorySeenDeliveries()
        self.kinds = {name: kind for name, (kind, _) in systems.items()}
        self.verifiers: dict[str, Verifier] = {
            name: verifier_for(name, verify, resolve_secret, seen_deliveries=seen)
            for name, (_, verify) in systems.items()
        }
        self.seen = seen


@router.post(
    "/{system}",
    status_code=202,
    summary="A provider's webhook delivery, verified with the system's configured scheme",
    responses=problem_responses(400, 401, 404, 413, 422, 503),
)
async def receive_webhook(system: str, request: Request) -> Response:
    hub = hub_of(request)
    webhooks: WebhookSystems = request.app.state.webhooks
    verifier = webhooks.verifiers.get(system)
    if verifier is None:
        raise Problem("not-found", f"no webhook endpoint for system '{system}' is configured")
    body = await read_body(request, hub.settings.max_body_bytes)
    try:
        delivery = verifier.verify(request.headers, body, hub.clock.now(), request.query_params)
    except WebhookRefused as refusal:
        await hub.audit(
            actor=f"webhook:{system}",
            action="auth.refused",
            subject=f"POST /v1/webhooks/{system}",
            reason=refusal.reason,
            origin=origin_of(request),
        )
        raise Problem("webhook-refused", refusal.reason, status=refusal.status) from None
    if delivery.outcome == "duplicate":
        first = delivery.first_seen_at.isoformat() if delivery.first_seen_at else "earlier"
        return json_response(200, {"status": "duplicate", "first_seen_at": first})
    try:
        events = _events(webhooks.kinds[system], delivery, hub.reader.resolve)
        trace: dict[str, Any] = {"id": delivery.delivery_id, "source": system}
        apply_trace_context(trace, request.headers)
        if "traceparent" in trace:  # validated: the events continue the provider's trace
            context = {k: trace.get(k) for k in ("traceparent", "tracestate")}
            events = [event.model_copy(update=context) for event in events]
        received = utc_text(hub.clock.now())
        results = await hub.committer.append([journal_entry(e, received, body) for e in events])
        hub.count_appended([e.source for e in events], results)
    except BaseException:
        if delivery.delivery_id is not None:  # not stored: let the provider's retry through
            webhooks.seen.forget(system, delivery.delivery_id)
        raise
    return json_response(
        202,
        {
            "status": "accepted",
            "events": [{"id": r.event_id, "seq": r.seq, "duplicate": r.duplicate} for r in results],
        },
    )


def _events(kind: str, delivery: Any, resolve: Resolve) -> list[Event]:
    adapted = adapter_for(kind)(delivery)
    problems: list[FieldProblem] = list(adapted.problems)
    events = []
    for index, draft in enumerate(adapted.events):
        try:
            # a carrier names its tracking number, not our shipment: the crosswalk says which
            events.append(parse_event(with_subject(draft, resolve)))
        except InvalidEvent as invalid:
            prefix = f"/{index}" if len(adapted.events) > 1 else ""
            problems.extend(FieldProblem(prefix + p.location, p.message) for p in invalid.problems)
    if problems:
        raise Problem(
            "invalid-event",
            f"the delivery could not be mapped to valid events ({len(problems)} problems); "
            "nothing was stored",
            problems,
        )
    return events
