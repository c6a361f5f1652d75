"""Checks that relate one part of the configuration to another or to the canonical model.

An owner or a flow target must be a declared system, a field in an ownership rule must exist
on its domain, flow names must be unique. These checks read the *raw* document (plain dicts
and lists) and skip any part whose shape is wrong, because the loader runs them even when the
model's type checks fail: a user fixing a file wants every problem in one pass, not one layer
per run. ``HubConfig`` runs them too, so a configuration built in code obeys the same rules.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from logisync.model.catalogue import EVENT_TYPES, entity_fields
from logisync.model.stewardship import is_acceptance

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ConfigIssue:
    """One broken reference: where (a path into the document) and a plain sentence.

    ``at_key`` points the report at the mapping key of ``loc`` instead of its value.
    """

    loc: Loc
    sentence: str
    at_key: bool = False


def dotted(loc: Loc) -> str:
    """A path as a user reads it: ``systems.ups.verify.secret``, ``flows[2].to``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@cache
def known_domains() -> frozenset[str]:
    """The domains of the canonical model: those of the known event types."""
    return frozenset(fact.domain for fact in EVENT_TYPES.values())


def suggestion(word: str, choices: Sequence[str] | set[str] | frozenset[str]) -> str:
    """`` (did you mean 'x'?)`` when a close choice exists, else the empty string."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def known_event_pattern(pattern: str) -> str | None:
    """``None`` when ``pattern`` matches a known event type, else a sentence saying why not."""
    if is_acceptance(pattern):
        return (
            f"'{pattern}' is a data steward's acceptance, routed as the fact that proposed the "
            "value: name that fact's type instead"
        )
    routable = [name for name in EVENT_TYPES if not is_acceptance(name)]
    if any(fnmatch.fnmatchcase(name, pattern) for name in routable):
        return None
    prefix = pattern.partition(".")[0] + "."
    nearby = sorted(name for name in routable if name.startswith(prefix))
    if nearby:
        return (
            f"'{pattern}' matches no known event type; the {prefix[:-1]} event types are "
            + ", ".join(nearby)
        )
    return f"'{pattern}' matches no known event type{suggestion(pattern, routable)}"


def reference_issues(data: Mapping[str, Any]) -> list[ConfigIssue]:
    """Every broken reference in a configuration document, in document order."""
    systems_value = data.get("systems")
    systems = (
        frozenset(str(name) for name in systems_value)
        if isinstance(systems_value, Mapping)
        else None
    )
    issues: list[ConfigIssue] = []
    ownership = data.get("ownership")
    if isinstance(ownership, Mapping):
        issues.extend(_ownership_issues(ownership, systems))
    flows = data.get("flows")
    if isinstance(flows, Sequence) and not isinstance(flows, str):
        issues.extend(_flow_issues(flows, systems))
    return issues


def _system_issues(value: Any, loc: Loc, systems: frozenset[str] | None) -> list[ConfigIssue]:
    """Each name in ``value`` (one name or a list) must be a declared system."""
    if systems is None:
        return []
    named: list[tuple[Loc, Any]]
    if isinstance(value, str):
        named = [(loc, value)]
    elif isinstance(value, Sequence):
        named = [((*loc, index), name) for index, name in enumerate(value)]
    else:
        return []
    declared = ", ".join(sorted(systems)) or "none"
    return [
        ConfigIssue(
            where,
            f"'{name}' is not a declared system{suggestion(name, systems)}; "
            f"the systems are {declared}",
        )
        for where, name in named
        if isinstance(name, str) and name not in systems
    ]


def _ownership_issues(
    ownership: Mapping[str, Any], systems: frozenset[str] | None
) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    for key, entry in ownership.items():
        if not isinstance(entry, Mapping):
            continue
        loc: Loc = ("ownership", key)
        domain, dot, field = str(key).partition(".")
        issues.extend(_system_issues(entry.get("owner"), (*loc, "owner"), systems))
        fields = entry.get("fields")
        if dot and fields:
            issues.append(
                ConfigIssue(
                    (*loc, "fields"),
                    f"'{key}' already names one field; put fields under '{domain}' instead",
                    at_key=True,
                )
            )
            continue
        if dot and field in _fields_of(ownership.get(domain)):
            issues.append(
                ConfigIssue(
                    loc,
                    f"{key} is also given under {domain}.fields; give each field's owner once",
                    at_key=True,
                )
            )
        if not isinstance(fields, Mapping):
            continue
        known = entity_fields(domain)
        for name, rule in fields.items():
            if domain in known_domains() and name not in known:
                issues.append(
                    ConfigIssue(
                        (*loc, "fields", name),
                        f"{domain} has no field '{name}'{suggestion(str(name), known)}; "
                        f"its fields are {', '.join(sorted(known))}",
                        at_key=True,
                    )
                )
            if isinstance(rule, Mapping):
                owner_loc = (*loc, "fields", name, "owner")
                issues.extend(_system_issues(rule.get("owner"), owner_loc, systems))
    return issues


def _fields_of(entry: Any) -> set[str]:
    if isinstance(entry, Mapping) and isinstance(entry.get("fields"), Mapping):
        return {str(name) for name in entry["fields"]}
    return set()


def _flow_issues(flows: Sequence[Any], systems: frozenset[str] | None) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    first_named: dict[str, int] = {}
    for index, flow in enumerate(flows):
        if not isinstance(flow, Mapping):
            continue
        loc: Loc = ("flows", index)
        name = flow.get("name")
        if isinstance(name, str) and name in first_named:
            issues.append(
                ConfigIssue(
                    (*loc, "name"),
                    f"flows[{first_named[name]}] is already named '{name}'; "
                    "flow names must be unique (they name the flow in reports and metrics)",
                )
            )
        elif isinstance(name, str):
            first_named[name] = index
        target = flow.get("to")
        issues.extend(_system_issues(target, (*loc, "to"), systems))
        sources = flow.get("from")
        issues.extend(_system_issues(sources, (*loc, "from"), systems))
        if isinstance(target, str) and sources in (target, [target], (target,)):
            issues.append(
                ConfigIssue(
                    (*loc, "from"),
                    f"this flow takes facts only from {target} and sends them to {target}; "
                    "a fact is never sent back to the system it came from, so it would never "
                    "deliver anything",
                )
            )
    return issues
