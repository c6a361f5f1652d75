"""Load the configuration file into a ``HubConfig``, reporting every problem with its place.

A user fixing a configuration wants the whole list at once, each item as
``file:line:column: sentence``, the way a compiler reports. So nothing here stops at the first
error: YAML problems (duplicate keys), pydantic's type errors and the cross-reference checks
are gathered, mapped back to positions through the spans that ``parse_yaml`` recorded, and
raised together as one ``InvalidConfig``. Only a YAML syntax error stops early, since there is
no document to check after it.

Pointing rules: an error about a value points at the value; an unknown key points at the key;
a missing key points at the key of the mapping that lacks it (or at the mapping itself when it
is a list item).

Environment: ``LOGISYNC_STORE``, when set and not empty, replaces ``store`` (so the same file
serves a laptop with SQLite and production with PostgreSQL). No other key is overridden yet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from logisync.config.document import Position, YamlDocument, parse_yaml
from logisync.config.model import HubConfig
from logisync.config.references import Loc, dotted, reference_issues, suggestion
from logisync.errors import InvalidConfig, Problem

STORE_VARIABLE = "LOGISYNC_STORE"

_SHAPES = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "string_too_short": "must not be empty",
    "too_short": "must list at least one item",
}


def load_config(path: Path, *, environ: Mapping[str, str] | None = None) -> HubConfig:
    """Read and validate the configuration file at ``path``.

    Raises ``InvalidConfig`` listing every problem, each located as ``file:line:column``.
    ``environ`` defaults to ``os.environ``.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _invalid(str(path), "the file does not exist") from None
    except UnicodeDecodeError:
        raise _invalid(str(path), "the file is not UTF-8 text") from None
    except OSError as error:
        raise _invalid(str(path), f"the file cannot be read: {error.strerror}") from None
    return parse_config(text, source=str(path), environ=environ)


def parse_config(
    text: str, *, source: str = "<config>", environ: Mapping[str, str] | None = None
) -> HubConfig:
    """Validate configuration text; ``source`` names it in problem locations."""
    document = parse_yaml(text)
    report = _Report(source, document)
    for problem in document.problems:
        report.add_at(problem.position, problem.loc, problem.sentence)
    if document.data is None and document.problems:
        raise report.error()
    data = document.data
    if not isinstance(data, dict):
        state = "is empty" if data is None else "is not a mapping"
        report.add_at(
            Position(1, 1),
            (),
            f"the file {state}; it must be a mapping with the keys store, systems, "
            "ownership and flows",
        )
        raise report.error()
    env = os.environ if environ is None else environ
    if env.get(STORE_VARIABLE):
        data = {**data, "store": env[STORE_VARIABLE]}
        report.store_overridden = True
    try:
        config = HubConfig.model_validate(data)
    except ValidationError as error:
        for loc, sentence, at_key, path in _pydantic_problems(error):
            report.add(loc, sentence, at_key=at_key, path=path)
        _add_reference_issues(report, data)
        if not report.problems:  # the model found a reference issue the raw check missed
            for item in error.errors(include_url=False, include_input=False):
                report.add(tuple(item["loc"]), item["msg"])
        raise report.error() from None
    _add_reference_issues(report, data)
    _add_connector_issues(report, config)
    if report.problems:
        raise report.error()
    return config


def _add_connector_issues(report: _Report, config: HubConfig) -> None:
    """Each connector checks the keys of its own kind (``database`` for Odoo...)."""
    from logisync.connectors.registry import settings_issues  # connectors build on config

    for name, system in config.systems.items():
        for loc, sentence in settings_issues(name, system):
            report.add(loc, sentence, path=loc)


def _add_reference_issues(report: _Report, data: Mapping[str, Any]) -> None:
    for issue in reference_issues(data):
        report.add(issue.loc, issue.sentence, at_key=issue.at_key)


class _Report:
    """Collects problems for one document, located through its spans."""

    def __init__(self, source: str, document: YamlDocument) -> None:
        self.source = source
        self.spans = document.spans
        self.store_overridden = False
        self.problems: dict[tuple[tuple[int, int], str], Problem] = {}

    def add(
        self, loc: Loc, sentence: str, *, at_key: bool = False, path: Loc | None = None
    ) -> None:
        """Locate ``loc`` by its deepest path that the document has, then record it.

        ``path`` names the place in the message; it defaults to the located path.
        """
        if self.store_overridden and loc[:1] == ("store",):
            self._record((0, 0), STORE_VARIABLE, f"store (set by {STORE_VARIABLE}): {sentence}")
            return
        found: Loc = ()
        for part in loc:
            if (*found, part) in self.spans:
                found = (*found, part)
        span = self.spans.get(found)
        if span is None:
            position = Position(1, 1)
        else:
            position = (span.key or span.value) if at_key else span.value
        self.add_at(position, found if path is None else path, sentence)

    def add_at(self, position: Position, loc: Loc, sentence: str) -> None:
        message = f"{dotted(loc)}: {sentence}" if loc else sentence
        location = f"{self.source}:{position.line}:{position.column}"
        self._record((position.line, position.column), location, message)

    def _record(self, order: tuple[int, int], location: str, message: str) -> None:
        self.problems.setdefault((order, message), Problem(location, message))

    def error(self) -> InvalidConfig:
        return InvalidConfig(problems=[self.problems[key] for key in sorted(self.problems)])


def _pydantic_problems(
    error: ValidationError,
) -> Iterator[tuple[Loc, str, bool, Loc | None]]:
    """(place, sentence, points-at-key, path named in the message) for each pydantic error.

    Reference errors are skipped: the loader reports those from the raw document, with their
    own positions. Inputs are never quoted (``include_input=False``): they may be secrets.
    """
    for item in error.errors(include_url=False, include_input=False):
        kind = item["type"]
        loc: Loc = tuple(part for part in item["loc"] if part != "[key]")
        at_key = "[key]" in item["loc"]
        context = item.get("ctx", {})
        if kind == "config_reference":
            continue
        if kind == "inline_secret":
            for inner, sentence in context["inner"]:
                yield (*loc, *inner), sentence, False, None
        elif kind == "missing":
            yield loc[:-1], f"the required key '{loc[-1]}' is missing", True, None
        elif kind == "extra_forbidden":
            yield loc, _unknown_key(loc), True, loc[:-1]
        elif kind == "literal_error":
            yield loc, f"must be {context['expected']}", at_key, None
        elif kind == "greater_than_equal":
            yield loc, f"must be at least {context['ge']}", at_key, None
        else:
            default = item["msg"][:1].lower() + item["msg"][1:]
            yield loc, _SHAPES.get(kind, default), at_key, None


def _unknown_key(loc: Loc) -> str:
    key = str(loc[-1])
    allowed = _keys_of(loc[:-1])
    if not allowed:
        return f"unknown key '{key}'"
    return (
        f"unknown key '{key}'{suggestion(key, allowed)}; "
        f"the keys allowed here are {', '.join(sorted(allowed))}"
    )


def _keys_of(loc: Loc) -> list[str]:
    """The keys the model accepts at ``loc`` (field aliases, as written in YAML)."""
    current: Any = HubConfig
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {info.alias or name: info for name, info in current.model_fields.items()}
            if part not in fields:
                return []
            current = fields[str(part)].annotation
        else:  # a dict key or a list index: step into the item type
            args = get_args(current)
            if not args:
                return []
            current = args[-1] if get_origin(current) is dict else args[0]
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` to ``X``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            annotation = next(arg for arg in get_args(annotation) if arg is not NoneType)
        else:
            return annotation


def _invalid(location: str, message: str) -> InvalidConfig:
    return InvalidConfig(problems=[Problem(location, message)])
