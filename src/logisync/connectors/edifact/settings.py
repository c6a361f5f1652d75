"""An EDIFACT partner's settings, from its entry under ``systems:``.

```yaml
retailer: {kind: edifact, sender_id: "4012345000009", receiver_id: "4098765000002",
           outbox: /srv/edi/retailer/out, syntax: UNOC, directory: D96A}
```
``sender_id`` is our id in UNB (and the recipient we expect inbound); ``receiver_id`` is the
partner's (and the sender we expect inbound).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from logisync.config import SystemConfig
from logisync.connectors.edifact.syntax import ENCODINGS

SyntaxIdentifier = Literal[
    "UNOA", "UNOB", "UNOC", "UNOD", "UNOE", "UNOF", "UNOG", "UNOH", "UNOI", "UNOJ", "UNOK",
    "UNOW", "UNOY",
]  # fmt: skip


class EdifactSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sender_id: str = Field(min_length=1, max_length=35, description="Our id in UNB")
    receiver_id: str = Field(min_length=1, max_length=35, description="The partner's id")
    sender_qualifier: str | None = Field(default=None, max_length=4, description="0007, e.g. 14")
    receiver_qualifier: str | None = Field(default=None, max_length=4)
    outbox: str | None = Field(default=None, description="Folder outbound interchanges go to")
    syntax: SyntaxIdentifier = "UNOC"
    syntax_version: Literal["3", "4"] = "3"
    directory: str = Field(default="D96A", pattern=r"^D[0-9]{2}[AB]$")
    decimal_mark: Literal[".", ","] = "."
    timezone: str = Field(default="UTC", description="IANA zone of the partner's local times")
    acknowledgement_request: bool = Field(default=True, description="Ask for CONTRL (0031)")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def encoding(self) -> str:
        return ENCODINGS[self.syntax]


@dataclass(frozen=True)
class EdifactPartner:
    """A partner system: its name (the ``source`` of what it sends) and its settings."""

    name: str
    settings: EdifactSettings


Issue = tuple[tuple[str | int, ...], str]


def settings_issues(name: str, system: SystemConfig) -> list[Issue]:
    """Everything wrong with an EDIFACT system's entry, for ``check-config``."""
    try:
        EdifactSettings.model_validate(own_keys(system))
    except ValidationError as error:
        issues: list[Issue] = []
        for item in error.errors(include_url=False, include_input=False):
            sentence = item["msg"]
            if item["type"] == "missing":
                sentence = "missing: an EDIFACT partner needs it"
            elif item["type"] == "extra_forbidden":
                sentence = "not a setting of EDIFACT partners"
            issues.append((("systems", name, *item["loc"]), sentence))
        return issues
    return []


def edifact_partner(name: str, system: SystemConfig) -> EdifactPartner:
    return EdifactPartner(name, EdifactSettings.model_validate(own_keys(system)))


FOLDER_ONLY = ("verify", "inbox", "processed", "failed", "quiet_seconds", "temporary_suffixes")
"""Keys of the webhook and the folder transport (``logisync watch``), not EDIFACT settings."""


def own_keys(system: SystemConfig | dict[str, object]) -> dict[str, object]:
    values = system if isinstance(system, dict) else system.settings
    return {key: value for key, value in values.items() if key not in FOLDER_ONLY}
