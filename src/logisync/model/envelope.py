"""The event envelope: CloudEvents 1.0 attribute names plus the hub's ordering extensions.

``parse_event`` is the one door into the journal. It validates the envelope and the payload
against the event type's model, checks that the subject is the entity the payload talks about,
and reports *every* problem with a JSON pointer (``/data/lines/0/quantity/value``), so that a
sender can fix a whole batch in one go.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from logisync.errors import InvalidEvent, Problem
from logisync.model.catalogue import EVENT_TYPES, EventType
from logisync.model.trace_context import traceparent_problem, tracestate_problem
from logisync.model.values import AwareDatetime, in_zone

ENTITY_KEY_PATTERN = r"^[a-z][a-z_]*:[^\s]+$"


class Event(BaseModel):
    """A business fact about one entity, as journaled.

    ``subject`` is the entity key. ``sourceversion`` is the source's own ordering hint (a
    sequence number or its change timestamp), compared only with other facts from the same
    source. ``idempotencykey`` defaults to ``(source, id)``: a second copy is a no-op.
    ``data`` holds the payload in canonical JSON form, already validated.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1, max_length=256)
    # No control characters: ``dedup_key`` joins source and id with one (\x1f).
    source: str = Field(min_length=1, max_length=256, pattern=r"^[^\s\x00-\x1f\x7f]+$")
    type: str = Field(min_length=3, max_length=128)
    subject: str = Field(max_length=512, pattern=ENTITY_KEY_PATTERN)
    time: AwareDatetime
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]
    sourceversion: str | None = Field(default=None, max_length=64)
    correlationid: str | None = Field(default=None, max_length=256)
    causationid: str | None = Field(default=None, max_length=256)
    idempotencykey: str | None = Field(default=None, min_length=1, max_length=256)
    # CloudEvents Distributed Tracing extension: the W3C trace context the event came with.
    traceparent: str | None = Field(default=None, max_length=256)
    tracestate: str | None = Field(default=None, max_length=512)

    @field_validator("traceparent")
    @classmethod
    def _w3c_traceparent(cls, value: str | None) -> str | None:
        if value is not None and (problem := traceparent_problem(value)):
            raise ValueError(problem)
        return value

    @field_validator("tracestate")
    @classmethod
    def _w3c_tracestate(cls, value: str | None) -> str | None:
        if value is not None and (problem := tracestate_problem(value)):
            raise ValueError(problem)
        return value

    @field_validator("sourceversion", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("sourceversion")
    @classmethod
    def _version_time_in_calendar(cls, value: str | None) -> str | None:
        """A change timestamp with an offset is ordered by its UTC instant
        (``core.stamps.version_key``): one with no date in UTC is refused here, with the
        reason, rather than failing the journal append. Only text with a ``:`` can be one."""
        if value is None or ":" not in value:
            return value
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return value  # compared as plain text
        if moment.tzinfo is not None:
            in_zone(moment, UTC)
        return value

    @property
    def dedup_key(self) -> str:
        """The idempotency key: explicit, else ``source`` and ``id`` (unambiguously joined)."""
        return self.idempotencykey or f"{self.source}\x1f{self.id}"

    @property
    def domain(self) -> str:
        return self.subject.split(":", 1)[0]

    @property
    def event_type(self) -> EventType:
        return EVENT_TYPES[self.type]

    def data_json(self) -> bytes:
        return orjson.dumps(self.data, option=orjson.OPT_SORT_KEYS)

    def content_hash(self, data_json: bytes | None = None) -> str:
        """Hash of what the event says (not when it was received), to spot a reused key."""
        if data_json is None:
            data_json = self.data_json()
        return hashlib.sha256(
            self.type.encode() + b"\0" + self.subject.encode() + b"\0" + data_json
        ).hexdigest()


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def validation_problems(error: ValidationError, prefix: tuple[str, ...] = ()) -> list[Problem]:
    """Each of pydantic's errors as a problem at its JSON pointer (under ``prefix``)."""
    return [Problem(_pointer(prefix + tuple(e["loc"])), e["msg"]) for e in error.errors()]


def parse_event(raw: dict[str, Any] | Event) -> Event:
    """Validate a raw CloudEvent into a canonical ``Event`` or raise ``InvalidEvent``."""
    if isinstance(raw, Event):
        raw = raw.model_dump()
    fact = _known_fact(raw)
    if fact is not None:
        # The usual case, a valid event of a known type, in two validations and no copy:
        # the payload first, then the envelope around its canonical form. Anything wrong goes
        # the careful way below, which reports the envelope's problems before the payload's.
        try:
            data = fact.payload.model_validate(raw["data"]).model_dump(
                mode="json", exclude_unset=True
            )
            envelope = Event.model_validate({**raw, "data": data})
        except ValidationError:
            pass
        else:
            _check_entity(envelope, fact, data)
            return envelope
    return _parse_carefully(raw)


def _known_fact(raw: Any) -> EventType | None:
    """The event type of a raw event whose type is spelled exactly and whose data is an object
    (the shapes the fast path of ``parse_event`` can take); None otherwise."""
    if not isinstance(raw, dict) or type(raw.get("data")) is not dict:
        return None
    name = raw.get("type")
    return EVENT_TYPES.get(name) if isinstance(name, str) else None


def _parse_carefully(raw: dict[str, Any]) -> Event:
    try:
        envelope = Event.model_validate(raw)
    except ValidationError as exc:
        raise InvalidEvent(validation_problems(exc)) from None
    fact = EVENT_TYPES.get(envelope.type)
    if fact is None:
        raise InvalidEvent(
            [Problem("/type", f"unknown event type {envelope.type!r}; see `logisync schema`")]
        )
    try:
        payload = fact.payload.model_validate(envelope.data)
    except ValidationError as exc:
        raise InvalidEvent(validation_problems(exc, ("data",))) from None
    data = payload.model_dump(mode="json", exclude_unset=True)
    _check_entity(envelope, fact, data)
    return envelope.model_copy(update={"data": data})


def _check_entity(envelope: Event, fact: EventType, data: dict[str, Any]) -> None:
    """What the models cannot say alone: the subject is the entity the payload is about."""
    problems: list[Problem] = []
    if envelope.domain != fact.domain:
        problems.append(
            Problem(
                "/subject",
                f"{envelope.type} is about a {fact.domain}, but the subject is a "
                f"{envelope.domain} ({envelope.subject!r})",
            )
        )
    problems.extend(Problem("/data" + pointer, message) for pointer, message in fact.check(data))
    named = fact.key_of(data)
    if named is not None and named != envelope.subject:
        problems.append(
            Problem(
                "/subject", f"subject {envelope.subject!r} differs from the payload's {named!r}"
            )
        )
    if problems:
        raise InvalidEvent(problems)


def new_event(
    type: str,
    data: BaseModel | dict[str, Any],
    *,
    source: str,
    id: str,
    subject: str | None = None,
    **attributes: Any,
) -> Event:
    """Build and validate an event in code; the subject defaults to the payload's entity key."""
    payload = (
        data.model_dump(mode="json", exclude_unset=True) if isinstance(data, BaseModel) else data
    )
    fact = EVENT_TYPES.get(type)
    if subject is None and fact is not None:
        subject = fact.key_of(payload)
    raw = {
        "type": type,
        "data": payload,
        "source": source,
        "id": id,
        "subject": subject,
        **attributes,
    }
    return parse_event(raw)
