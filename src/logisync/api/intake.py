"""``POST /v1/events`` and ``POST /v1/events/batch``: the answer comes after the commit.

A 202 means the event is in the journal, durably (group commit, see ``core.group_commit``);
anything else means nothing of it was stored. A repeat of a stored event (same idempotency key,
or same source and id) is answered as the first was, with ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

from typing import Any, Literal

import orjson
from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from logisync.api import cloudevents
from logisync.api.auth import KEY_REQUIRED, authorized, hub_of, origin_of
from logisync.api.problems import Problem, json_response, problem_responses
from logisync.api.request_only_route import RequestOnlyRoute
from logisync.api.services import Hub
from logisync.api.trace_intake import apply_trace_context, trace_headers
from logisync.core.clock import utc_text
from logisync.core.journal import journal_entry
from logisync.core.keys import SUBMIT, ApiKey, submit_refusal
from logisync.errors import InvalidEvent
from logisync.model import Event, parse_event
from logisync.model.identifiers import is_ascii_digits


class Accepted(BaseModel):
    """The event is journaled: ``seq`` is its place in the journal."""

    id: str
    source: str
    seq: int


class BatchItem(BaseModel):
    index: int
    status: Literal["accepted", "duplicate", "rejected"]
    id: str | None = None
    seq: int | None = None
    problem: dict[str, Any] | None = None


class BatchOutcome(BaseModel):
    accepted: int
    duplicates: int
    rejected: int
    results: list[BatchItem]


_EVENT_SCHEMA = {"$ref": "#/components/schemas/CloudEvent"}
_SINGLE_BODY = {
    **KEY_REQUIRED,
    "requestBody": {
        "required": True,
        "content": {
            cloudevents.STRUCTURED: {"schema": _EVENT_SCHEMA},
            "application/json": {
                "schema": {"type": "object", "description": "binary mode: the event's data"}
            },
        },
    },
}
_BATCH_BODY = {
    **KEY_REQUIRED,
    "requestBody": {
        "required": True,
        "content": {
            cloudevents.BATCH: {"schema": {"type": "array", "items": _EVENT_SCHEMA}},
        },
    },
}


def add_routes(router: APIRouter) -> None:
    """Put the intake routes on ``router`` itself, the app's own router in ``create_app``.

    Not ``include_router``: since FastAPI 0.16x an included router is served through an
    inclusion context that matches each request a second time and records it in the scope,
    ~13 µs of each single-event request (``bench/intake.py``: ratio 0.70 -> 0.75). Routes added
    with ``add_api_route`` still take the router's dependencies, so ``RequestOnlyRoute`` still
    sees them and lets FastAPI run them."""
    options: dict[str, Any] = {
        "methods": ["POST"],
        "status_code": 202,
        "tags": ["intake"],
        "route_class_override": RequestOnlyRoute,
    }
    router.add_api_route(
        "/v1/events",
        submit_event,
        response_model=Accepted,
        summary="Submit one event (CloudEvents structured or binary mode)",
        responses=problem_responses(400, 401, 403, 409, 413, 415, 422, 429, 503),
        openapi_extra=_SINGLE_BODY,
        **options,
    )
    router.add_api_route(
        "/v1/events/batch",
        submit_batch,
        response_model=BatchOutcome,
        summary="Submit up to 1,000 events; each is accepted or rejected on its own",
        responses=problem_responses(400, 401, 413, 415, 429, 503),
        openapi_extra=_BATCH_BODY,
        **options,
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if is_ascii_digits(declared) and int(declared) > limit:
        raise Problem("too-large", f"the body is {declared} bytes; the limit is {limit} bytes")
    chunks, size = [], 0
    receive = request.receive  # not request.stream(): an async generator costs more per call
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Problem("too-large", f"the body exceeds the limit of {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def submit_event(request: Request) -> Response:
    key = await authorized(request, SUBMIT)
    hub = hub_of(request)
    body = await read_body(request, hub.settings.max_body_bytes)
    raw, binary = cloudevents.single_event(request.headers, body)
    _apply_idempotency_header(raw, request.headers.get("idempotency-key"))
    apply_trace_context(raw, request.headers)
    try:
        event = parse_event(raw)
    except InvalidEvent as invalid:
        problems = cloudevents.binary_locations(invalid.problems) if binary else invalid.problems
        raise Problem("invalid-event", _summary(problems), problems) from None
    await _check_rights(request, hub, key, event)
    sent = orjson.dumps(raw) if binary else body  # binary mode: headers and body as one
    entry = journal_entry(event, utc_text(hub.clock.now()), sent)
    (result,) = await hub.committer.append([entry])
    hub.count_appended([event.source], [result])
    if result.duplicate and not result.same_content:
        raise _reused(event)
    headers = {"Idempotent-Replayed": "true"} if result.duplicate else {}
    return json_response(
        202, {"id": result.event_id, "source": event.source, "seq": result.seq}, headers
    )


async def submit_batch(request: Request) -> Response:
    key = await authorized(request, SUBMIT)
    hub = hub_of(request)
    body = await read_body(request, hub.settings.max_body_bytes)
    items = cloudevents.batch(request.headers, body, hub.settings.max_batch_events)
    received = utc_text(hub.clock.now())
    results: list[dict[str, Any]] = [{"index": i} for i in range(len(items))]
    valid: list[tuple[int, Event]] = []
    refusals: set[str] = set()
    tracing = trace_headers(request.headers)
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise Problem("invalid-event", "each item of a batch is a CloudEvent object")
            apply_trace_context(item, tracing)
            event = parse_event(item)
            refusal = submit_refusal(key, event.source, event.type)
            if refusal:
                refusals.add(refusal)
                raise Problem("forbidden", refusal)
        except InvalidEvent as invalid:
            results[index] |= _rejected(
                Problem("invalid-event", _summary(invalid.problems), invalid.problems)
            )
            continue
        except Problem as problem:
            results[index] |= _rejected(problem)
            continue
        valid.append((index, event))
    if refusals:
        await _audit_refusal(request, hub, key, "; ".join(sorted(refusals)))
    entries = [journal_entry(e, received, orjson.dumps(items[i])) for i, e in valid]
    appended = await hub.committer.append(entries)
    hub.count_appended([e.source for _, e in valid], appended)
    for (index, event), result in zip(valid, appended, strict=True):
        if result.duplicate and not result.same_content:
            results[index] |= _rejected(_reused(event))
        else:
            status = "duplicate" if result.duplicate else "accepted"
            results[index] |= {"status": status, "id": result.event_id, "seq": result.seq}
    _count_rejected_items(hub, results)
    counts = {s: sum(r["status"] == s for r in results) for s in ("accepted", "duplicate")}
    outcome = {
        "accepted": counts["accepted"],
        "duplicates": counts["duplicate"],
        "rejected": len(results) - counts["accepted"] - counts["duplicate"],
        "results": results,
    }
    return json_response(202, outcome)


async def _check_rights(request: Request, hub: Hub, key: ApiKey, event: Event) -> None:
    refusal = submit_refusal(key, event.source, event.type)
    if refusal:
        await _audit_refusal(request, hub, key, refusal)
        raise Problem("forbidden", refusal)


async def _audit_refusal(request: Request, hub: Hub, key: ApiKey, reason: str) -> None:
    await hub.audit(
        actor=f"key:{key.key_id}",
        action="auth.refused",
        subject=f"{request.method} {request.url.path}",
        reason=reason,
        origin=origin_of(request),
    )


def _apply_idempotency_header(raw: dict[str, Any], header: str | None) -> None:
    if header is None:
        return
    existing = raw.get("idempotencykey")
    if existing is not None and existing != header:
        raise Problem(
            "invalid-request",
            "the Idempotency-Key header and the event's idempotencykey differ; send one",
        )
    raw["idempotencykey"] = header


def _reused(event: Event) -> Problem:
    key = event.idempotencykey or f"(source {event.source}, id {event.id})"
    return Problem(
        "idempotency-conflict",
        f"idempotency key {key} was already used for an event with different content; "
        "nothing was stored",
    )


def _rejected(problem: Problem) -> dict[str, Any]:
    return {"status": "rejected", "problem": problem.document()}


def _count_rejected_items(hub: Hub, results: list[dict[str, Any]]) -> None:
    for result in results:
        if result.get("status") == "rejected":
            slug = result["problem"]["type"].rsplit("/", 1)[-1]
            hub.metrics.rejected.labels(reason=slug).inc()


def _summary(problems: list[Any]) -> str:
    first = problems[0] if problems else None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"the event is not valid: {first}{more}" if first else "the event is not valid"
