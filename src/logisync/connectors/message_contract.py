"""What every message a WMS or TMS sends the hub has in common, and how it is read.

A message is one JSON object with a ``type`` (which fact), a ``message_id`` (the sender's id,
unique per message: the hub derives its event ids from it, so a re-sent message journals once),
``sent_at`` (the sender's clock, with its offset) and the fact's own fields. Unknown keys are
refused rather than dropped, so a sender learns about a misspelt field at once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from logisync.errors import InvalidEvent, Problem
from logisync.model.values import AwareDatetime

Count = Annotated[
    Decimal,
    Field(max_digits=28, decimal_places=10, allow_inf_nan=False, description="In base units"),
]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s:/]+$")]
"""A business key the hub puts in entity keys: no spaces, colons or slashes."""


class Part(BaseModel):
    """A part of a message (a line, a package): unknown keys are refused too."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Message(Part):
    """The fields every message carries, whatever its type."""

    message_id: str = Field(
        min_length=1,
        max_length=128,
        pattern=r"^[^\s]+$",
        description="The sender's id of this message; a re-sent message keeps it",
    )
    sent_at: AwareDatetime = Field(description="When the sender sent it, with its UTC offset")


M = TypeVar("M")


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def read_message(body: bytes, reader: TypeAdapter[M]) -> M:
    """The message in ``body``; ``InvalidEvent`` lists what stops it, by JSON pointer."""
    try:
        document: Any = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise InvalidEvent([Problem("", f"the body is not JSON: {error}")]) from None
    if not isinstance(document, dict):
        raise InvalidEvent([Problem("", "a message is one JSON object with a type")])
    try:
        return reader.validate_python(document)
    except ValidationError as error:
        raise InvalidEvent([_problem(e) for e in error.errors(include_url=False)]) from None


def _problem(error: Any) -> Problem:
    loc = tuple(error["loc"])
    if error["type"] == "union_tag_invalid":
        return Problem("/type", error["msg"])
    if error["type"] == "union_tag_not_found":
        return Problem("/type", "the message has no type; see `logisync schema --contracts`")
    # The first element of a tagged union's location is the tag, not a key of the document.
    return Problem(_pointer(loc[1:]), error["msg"])


__all__ = ["Code", "Count", "Message", "Part", "read_message"]
