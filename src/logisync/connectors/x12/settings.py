"""An X12 partner's settings, from its entry under ``systems:`` in the configuration.

```yaml
acme_wms: {kind: x12, version: "00401", sender_id: LOGISYNC, receiver_id: ACMEWMS,
           outbox: /var/edi/acme/out, usage: P, timezone: America/Chicago}
```

``sender_id`` is our id (ISA06 of what we send, ISA08 of what we receive), ``receiver_id`` the
partner's. Envelope times carry no zone: ``timezone`` says which one the partner writes in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from logisync.config import SystemConfig
from logisync.errors import InvalidConfig, Problem

X12_ID = r"^[A-Za-z0-9 .\-_/]{1,15}$"

# How people write the ISA12 version. YAML reads an unquoted 00401 as the octal 257 (and
# 00501 as 321), which is what the configuration then holds.
VERSION_SPELLINGS = {
    **dict.fromkeys(("4010", "004010", "401", "257"), "00401"),
    **dict.fromkeys(("5010", "005010", "501", "321"), "00501"),
}


class X12Partner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="The system's name: the source of its events")
    sender_id: str = Field(pattern=X12_ID, description="Our interchange id")
    receiver_id: str = Field(pattern=X12_ID, description="The partner's interchange id")
    sender_qualifier: str = Field(default="ZZ", pattern=r"^[A-Z0-9]{2}$")
    receiver_qualifier: str = Field(default="ZZ", pattern=r"^[A-Z0-9]{2}$")
    version: Literal["00401", "00501"] = "00401"
    usage: Literal["P", "T"] = Field(default="P", description="P production, T test")
    outbox: Path | None = Field(default=None, description="Where outbound files are written")
    inbox: Path | None = Field(default=None, description="Where the partner's files arrive")
    timezone: str = "UTC"
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    acknowledgement_requested: bool = False
    shipments: Literal["856", "945"] = Field(
        default="856", description="856 ship notice, or 945 when the partner is a depositor"
    )

    @field_validator("version", mode="before")
    @classmethod
    def _version_spellings(cls, value: object) -> object:
        return VERSION_SPELLINGS.get(str(value).strip(), value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value.upper() != "UTC":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{value!r} is not an IANA time zone") from None
        return value


def partner_of(name: str, system: SystemConfig) -> X12Partner:
    """The validated settings of an X12 system, or ``InvalidConfig`` saying what is wrong."""
    try:
        return _partner(name, system)
    except ValidationError as error:
        raise InvalidConfig(
            [
                Problem(f"systems.{name}.{'.'.join(map(str, e['loc']))}", e["msg"])
                for e in error.errors()
            ]
        ) from None


FOLDER_ONLY = ("processed", "failed", "quiet_seconds", "temporary_suffixes")
"""Keys of the folder transport (``logisync watch``) that are not X12 settings."""


def _partner(name: str, system: SystemConfig) -> X12Partner:
    values = {"name": name, **system.settings}
    for key in FOLDER_ONLY:
        values.pop(key, None)
    if system.version:
        values["version"] = system.version
    return X12Partner.model_validate(values)


def settings_issues(name: str, system: SystemConfig) -> list[tuple[tuple[str | int, ...], str]]:
    """What ``check-config`` reports about an X12 system's keys."""
    try:
        partner = _partner(name, system)
    except ValidationError as error:
        return [(("systems", name, *e["loc"]), _sentence(e)) for e in error.errors()]
    if partner.outbox is None:
        return [
            (("systems", name), "an X12 system needs an outbox folder to write interchanges to")
        ]
    if partner.inbox is not None:  # files come in through the watched folder: check it too
        from logisync.connectors.files.settings import folder_settings_issues

        return folder_settings_issues(name, system)
    return []


def _sentence(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "not a setting of X12 systems (see the X12 connector's settings)"
    if error["type"] == "missing":
        needed = error["loc"][0]
        return f"an X12 system needs {needed} (sender_id is our id, receiver_id the partner's)"
    return error["msg"]
