"""RFC 9457 problem details: every refusal the API makes, as one documented shape.

Each problem type has a stable slug; its ``type`` URI ``/problems/<slug>`` is served by the hub
itself, so a client (or the person reading its log) can look up what it means and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel, Field
from starlette.responses import Response

from logisync.errors import Problem as FieldProblem

MEDIA_TYPE = "application/problem+json"

PROBLEM_TYPES: dict[str, tuple[int, str, str]] = {
    # slug: (status, title, what to do)
    "invalid-json": (400, "The body is not valid JSON", "Send UTF-8 JSON."),
    "invalid-event": (
        422,
        "The event is not valid",
        "Fix every field listed in errors (JSON pointers into what you sent).",
    ),
    "invalid-request": (400, "The request is not valid", "Fix the headers or parameters named."),
    "unauthenticated": (
        401,
        "No valid API key",
        "Send Authorization: Bearer lsk_<id>_<secret> with a key that is active.",
    ),
    "forbidden": (403, "The key may not do this", "Use a key with the scope or system named."),
    "not-found": (404, "Not found", "Check the identifier."),
    "idempotency-conflict": (
        409,
        "Idempotency key reused for a different event",
        "Use a new key for a new fact; resend the original body to get the original answer.",
    ),
    "ambiguous-event-id": (
        409,
        "Several events have this id",
        "Event ids are unique per source only: add ?source= with one of the sources named.",
    ),
    "not-replayable": (
        409,
        "The delivery cannot be replayed now",
        "Only dead deliveries are replayed; list them with GET /v1/deliveries?state=dead.",
    ),
    "too-large": (413, "The request is too large", "Send smaller bodies or batches."),
    "unsupported-media-type": (
        415,
        "Unsupported media type",
        "Send application/cloudevents+json, binary mode (ce-* headers with a JSON body) or "
        "application/cloudevents-batch+json.",
    ),
    "rate-limited": (429, "Too many requests for this key", "Retry after Retry-After seconds."),
    "too-many-failures": (
        429,
        "Too many failed authentications from this address",
        "Fix the API key, then retry after Retry-After seconds.",
    ),
    "store-unavailable": (
        503,
        "The hub cannot store events right now",
        "Nothing was stored; retry after Retry-After seconds.",
    ),
    "webhook-refused": (401, "The webhook could not be verified", "Check the signing secret."),
}


@dataclass
class Problem(Exception):
    """Raise to answer with a problem document."""

    slug: str
    detail: str
    errors: list[FieldProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    status: int | None = None  # defaults to the slug's

    def __str__(self) -> str:
        return self.detail

    def document(self, instance: str | None = None) -> dict[str, Any]:
        status, title, _ = PROBLEM_TYPES[self.slug]
        body: dict[str, Any] = {
            "type": f"/problems/{self.slug}",
            "title": title,
            "status": self.status or status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [error_item(p) for p in self.errors]
        return body

    def response(self, instance: str | None = None) -> Response:
        document = self.document(instance)
        return Response(
            orjson.dumps(document),
            status_code=document["status"],
            media_type=MEDIA_TYPE,
            headers=self.headers,
        )


def error_item(problem: FieldProblem) -> dict[str, str]:
    """Body positions are JSON pointers; header positions (binary mode) name the header."""
    if problem.location.startswith("header "):
        return {"header": problem.location[len("header ") :], "detail": problem.message}
    return {"pointer": problem.location, "detail": problem.message}


class ProblemError(BaseModel):
    pointer: str | None = Field(
        default=None, description="JSON pointer (RFC 6901) into the request body"
    )
    header: str | None = Field(default=None, description="The request header at fault")
    detail: str


class ProblemDocument(BaseModel):
    """The body of every error response (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemError] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses."""
    return {
        status: {
            "model": ProblemDocument,
            "content": {MEDIA_TYPE: {}},
            "description": ", ".join(
                title for s, title, _ in PROBLEM_TYPES.values() if s == status
            ),
        }
        for status in statuses
    }


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer encoded by orjson (faster than the framework's encoder on the hot path)."""
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers=headers
    )
