"""The rules the processor applies: who owns which field, and which facts flow where.

These are plain frozen objects built from the configuration file (see ``logisync.config``);
the core never reads YAML itself.

Ownership: a field has one or more *owners* (systems of record). A write from an owner is
applied if it is newer. A write from anyone else is handled by the field's *policy*:

- ``owner_only``: recorded as a conflict (both values, both sources), not applied;
- ``fill_if_empty``: applied only while no owner has set the field, else a conflict;
- ``propose``: queued for a data steward to accept or reject, not applied.

A domain that the map does not mention is open: every system may write it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

Policy = Literal["owner_only", "fill_if_empty", "propose"]
POLICIES: tuple[Policy, ...] = ("owner_only", "fill_if_empty", "propose")
DeliveryMode = Literal["state", "event"]


@dataclass(frozen=True)
class FieldRule:
    owners: frozenset[str]
    policy: Policy = "owner_only"

    def owned_by(self, system: str) -> bool:
        return system in self.owners


@dataclass(frozen=True)
class DomainOwnership:
    default: FieldRule | None = None
    fields: Mapping[str, FieldRule] = field(default_factory=dict)

    def rule(self, field_name: str) -> FieldRule | None:
        return self.fields.get(field_name, self.default)


@dataclass(frozen=True)
class OwnershipMap:
    domains: Mapping[str, DomainOwnership] = field(default_factory=dict)
    _cache: dict[tuple[str, str], FieldRule | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def rule(self, domain: str, field_name: str) -> FieldRule | None:
        """The rule for one field, or ``None`` when nobody owns it (open to every system)."""
        key = (domain, field_name)
        try:
            return self._cache[key]
        except KeyError:
            ownership = self.domains.get(domain)
            found = None if ownership is None else ownership.rule(field_name)
            self._cache[key] = found
            return found


class Priority(IntEnum):
    """Lower is sooner. Workers take high before normal before low, without starving low."""

    HIGH = 0
    NORMAL = 1
    LOW = 2


@dataclass(frozen=True)
class Flow:
    """Facts of some types go to one target, as events or as the entity's latest state.

    ``on`` holds event type names or shell-style patterns (``shipment.*``). ``sources``, when
    given, limits the flow to facts from those systems. A fact is never sent back to the system
    it came from (echo suppression): that is how loops between two systems are avoided.
    """

    name: str
    on: tuple[str, ...]
    to: str
    mode: DeliveryMode = "state"
    priority: Priority = Priority.NORMAL
    sources: frozenset[str] | None = None

    def matches(self, event_type: str, source: str) -> bool:
        if source == self.to:
            return False
        if self.sources is not None and source not in self.sources:
            return False
        return any(fnmatch.fnmatchcase(event_type, pattern) for pattern in self.on)


@dataclass(frozen=True)
class Rules:
    """Everything the processor needs to know from the configuration."""

    ownership: OwnershipMap = field(default_factory=OwnershipMap)
    flows: tuple[Flow, ...] = ()
    _routes: dict[tuple[str, str], tuple[Flow, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def flows_for(self, event_type: str, source: str) -> tuple[Flow, ...]:
        """The flows a fact of this type from this source takes (memoised: rules are frozen)."""
        key = (event_type, source)
        try:
            return self._routes[key]
        except KeyError:
            found = tuple(flow for flow in self.flows if flow.matches(event_type, source))
            self._routes[key] = found
            return found
