"""A file-exchanging system's settings: its folders and, for flat files, the column mapping.

```yaml
wms_files:
  kind: csv                      # or xlsx; x12 and edifact systems use the same folder keys
  inbox: /srv/wms/inbox          # partners drop files here
  processed: /srv/wms/processed  # imported files end here
  failed: /srv/wms/failed        # refused files end here, with <name>.reason.txt
  outbox: /srv/wms/outbox        # replies (acknowledgements), optional
  quiet_seconds: 5               # a file untouched this long is complete
  import:
    event: product.changed       # partner.*, product.* or stock.level_reported
    columns: {SKU: sku, Name: name, "Weight (kg)": weight.value}
    constants: {weight.unit: KGM}
    max_invalid_ratio: 0.02
```

Relative folders are read from the working directory. Every mistake is reported by
``settings_issues`` with its place in the file, for ``check-config``.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from logisync.config import SystemConfig

Issue = tuple[tuple[str | int, ...], str]
"""A place in the configuration and what is wrong there."""

FLAT_FILE_KINDS = ("csv", "xlsx")
FLAT_FILE_EVENTS = (
    "partner.created",
    "partner.changed",
    "product.created",
    "product.changed",
    "stock.level_reported",
)
FOLDER_KEYS = ("inbox", "processed", "failed", "outbox", "quiet_seconds", "temporary_suffixes")


class FolderSettings(BaseModel):
    """Where a system's files come in and where they go once read."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    inbox: Path
    processed: Path
    failed: Path
    outbox: Path | None = None
    quiet_seconds: float = Field(
        default=2.0, ge=0, description="A file is complete once untouched this long"
    )
    temporary_suffixes: tuple[str, ...] = Field(
        default=(".tmp", ".part", ".partial", ".filepart", ".crdownload", "~"),
        description="Names a partner gives a file while still writing it",
    )


class FlatFileImport(BaseModel):
    """How the rows of a flat file become canonical facts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: Literal[
        "partner.created",
        "partner.changed",
        "product.created",
        "product.changed",
        "stock.level_reported",
    ]
    columns: dict[str, str] = Field(min_length=1, description="File column -> canonical field")
    constants: dict[str, Any] = Field(
        default_factory=dict, description="Canonical field -> the value every row gets"
    )
    optional_columns: tuple[str, ...] = Field(
        default=(), description="Mapped columns a file may lack (every other one is required)"
    )
    encoding: str = "utf-8"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    quote: str = Field(default='"', min_length=1, max_length=1)
    decimal_separator: Literal[".", ","] = "."
    thousands_separator: Literal["", ",", ".", " ", "'"] = ""
    date_format: str | None = Field(
        default=None, description="strftime pattern of date/time cells; ISO 8601 when absent"
    )
    timezone: str = Field(default="UTC", description="Zone of date/time cells without one")
    max_invalid_ratio: float = Field(
        default=0.0, ge=0, le=1, description="Above this share of invalid rows, import nothing"
    )
    duplicate_keys: Literal["reject", "last_wins"] = "reject"
    sheet: str | None = Field(default=None, description="xlsx: the sheet (default: the first)")

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"'{value}' is not an encoding Python knows (utf-8, cp1252)") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except (ValueError, KeyError, OSError):
            raise ValueError(f"'{value}' is not a time zone name (UTC, Europe/Berlin...)") from None
        return value

    @field_validator("delimiter", "quote")
    @classmethod
    def _not_a_line_break(cls, value: str) -> str:
        if value in "\r\n":
            raise ValueError("a line break cannot separate or quote fields")
        return value


def folder_settings_issues(name: str, system: SystemConfig) -> list[Issue]:
    """What is wrong with the folder keys of any file-exchanging system (csv, x12...)."""
    try:
        folders = FolderSettings.model_validate(system.settings)
    except ValidationError as error:
        return _issues(("systems", name), error, "a system that exchanges files needs it")
    issues: list[Issue] = []
    seen: dict[Path, str] = {}
    for key in ("inbox", "processed", "failed", "outbox"):
        folder = getattr(folders, key)
        if folder is None:
            continue
        if folder.resolve() in seen:
            issues.append(
                (
                    ("systems", name, key),
                    f"the same folder as {seen[folder.resolve()]}: each role needs its own folder",
                )
            )
        seen.setdefault(folder.resolve(), key)
    return issues


def settings_issues(name: str, system: SystemConfig) -> list[Issue]:
    """Everything wrong with a csv/xlsx system: its folders, then its ``import:`` mapping."""
    issues = folder_settings_issues(name, system)
    extra = sorted(set(system.settings) - {*FOLDER_KEYS, "import"})
    issues.extend(
        (("systems", name, key), "not a setting of flat-file systems (see connectors.files)")
        for key in extra
    )
    raw = system.settings.get("import")
    if raw is None:
        issues.append((("systems", name), "missing import: a flat-file system needs a mapping"))
        return issues
    mapping: FlatFileImport | None
    try:
        mapping = FlatFileImport.model_validate(raw)
    except ValidationError as error:
        issues.extend(_issues(("systems", name, "import"), error, "the mapping needs it"))
        mapping = _mapping_part(raw)
        if mapping is None:
            return issues
    from logisync.connectors.files.mapping import mapping_issues  # needs the model

    issues.extend(
        (("systems", name, "import", *loc), sentence) for loc, sentence in mapping_issues(mapping)
    )
    return issues


def _mapping_part(raw: object) -> FlatFileImport | None:
    """The columns and constants alone, to check them when another key is wrong."""
    if not isinstance(raw, dict):
        return None
    keys = ("event", "columns", "constants", "optional_columns")
    try:
        return FlatFileImport.model_validate({k: raw[k] for k in keys if k in raw})
    except ValidationError:
        return None


def folder_settings(system: SystemConfig) -> FolderSettings:
    return FolderSettings.model_validate(system.settings)


def flat_file_import(system: SystemConfig) -> FlatFileImport:
    return FlatFileImport.model_validate(system.settings.get("import"))


def _issues(here: tuple[str | int, ...], error: ValidationError, missing: str) -> list[Issue]:
    issues: list[Issue] = []
    for item in error.errors(include_url=False, include_input=False):
        sentence = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            sentence = f"missing: {missing}"
        elif item["type"] == "extra_forbidden":
            sentence = "not a setting of a flat-file mapping"
        issues.append(((*here, *item["loc"]), sentence))
    return issues
