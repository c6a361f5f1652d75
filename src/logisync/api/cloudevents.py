"""The CloudEvents HTTP binding: a request's bytes and headers -> raw event dicts.

Structured mode (``application/cloudevents+json``) carries the whole event in the body; binary
mode carries the attributes in ``ce-*`` headers (percent-encoded, per the binding) and the data
as the body; batch mode (``application/cloudevents-batch+json``) is a JSON array of structured
events. Validation of the events themselves is the model's job (``parse_event``); here only
the transport is checked, and every refusal names the header or body position at fault.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import orjson

from logisync.api.problems import Problem
from logisync.errors import Problem as FieldProblem

STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"
BINARY_ATTRIBUTES = (
    "id",
    "source",
    "type",
    "specversion",
    "subject",
    "time",
    "sourceversion",
    "correlationid",
    "causationid",
    "idempotencykey",
    "traceparent",
    "tracestate",
)


def media_type(content_type: str | None) -> str:
    """``application/cloudevents+json; charset=utf-8`` -> ``application/cloudevents+json``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def decode_json(body: bytes) -> Any:
    if not body.strip():
        raise Problem("invalid-json", "the body is empty; a JSON document was expected")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise Problem("invalid-json", f"the body is not valid JSON: {error}") from None


def single_event(headers: Mapping[str, str], body: bytes) -> tuple[dict[str, Any], bool]:
    """The raw event of a single-event request, and whether it came in binary mode."""
    media = media_type(headers.get("content-type"))
    if media == STRUCTURED:
        event = decode_json(body)
        if not isinstance(event, dict):
            raise Problem(
                "invalid-event",
                f"a structured CloudEvent is a JSON object, not a {_json_kind(event)}",
                [FieldProblem("", "expected an object with id, source, type, subject, ...")],
            )
        return event, False
    if "ce-specversion" in headers:
        if not is_json(media):
            raise Problem(
                "unsupported-media-type",
                f"binary mode carries the event's data as JSON: Content-Type {media or '(none)'} "
                "is not JSON (use application/json)",
            )
        attributes: dict[str, Any] = {
            name: unquote(headers[f"ce-{name}"])
            for name in BINARY_ATTRIBUTES
            if f"ce-{name}" in headers
        }
        attributes["data"] = decode_json(body)
        return attributes, True
    if media == BATCH:
        raise Problem(
            "unsupported-media-type",
            "a batch (application/cloudevents-batch+json) goes to POST /v1/events/batch",
        )
    if is_json(media):
        raise Problem(
            "invalid-request",
            "a JSON body without ce-* headers is neither CloudEvents mode: send it as "
            f"Content-Type {STRUCTURED} (structured), or add ce-specversion, ce-id, ce-source, "
            "ce-type, ce-subject and ce-time headers (binary)",
        )
    raise Problem(
        "unsupported-media-type",
        f"Content-Type {media or '(none)'} is not accepted here: send {STRUCTURED}, or binary "
        "mode (ce-* headers with an application/json body)",
    )


def batch(headers: Mapping[str, str], body: bytes, max_events: int) -> list[Any]:
    media = media_type(headers.get("content-type"))
    if media != BATCH:
        raise Problem(
            "unsupported-media-type",
            f"Content-Type {media or '(none)'} is not accepted here: a batch is {BATCH}, "
            "a JSON array of structured CloudEvents",
        )
    items = decode_json(body)
    if not isinstance(items, list):
        raise Problem(
            "invalid-request",
            f"a CloudEvents batch is a JSON array, not a {_json_kind(items)}",
        )
    if len(items) > max_events:
        raise Problem(
            "too-large",
            f"the batch holds {len(items)} events; at most {max_events} are accepted per request",
        )
    return items


def binary_locations(problems: list[FieldProblem]) -> list[FieldProblem]:
    """In binary mode the attributes were headers and the body was the data: say so."""
    located = []
    for problem in problems:
        top = problem.location.split("/")[1] if problem.location.startswith("/") else ""
        if top == "data":
            located.append(FieldProblem(problem.location[len("/data") :], problem.message))
        elif top in BINARY_ATTRIBUTES:
            located.append(FieldProblem(f"header ce-{top}", problem.message))
        else:
            located.append(problem)
    return located


def _json_kind(value: Any) -> str:
    kinds = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)
