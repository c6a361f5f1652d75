"""Whether a system may set a field, by the ownership map (see ``core.rules``)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from logisync.core.rules import FieldRule


class Verdict(Enum):
    OWNER = "owner"  # the writer owns the field (or nobody does): ordering decides
    FILL = "fill"  # a non-owner may fill the field because no owner has set it
    CONFLICT = "conflict"  # refused: recorded with both values and both sources
    PROPOSAL = "proposal"  # refused for now: queued for a data steward


def judge(rule: FieldRule | None, writer: str, provenance: dict[str, Any] | None) -> Verdict:
    """Decide what a write from ``writer`` to a field with ``provenance`` is allowed to be."""
    if rule is None or writer in rule.owners:
        return Verdict.OWNER
    if rule.policy == "propose":
        return Verdict.PROPOSAL
    if rule.policy == "fill_if_empty" and (provenance is None or provenance.get("kind") == "fill"):
        return Verdict.FILL
    return Verdict.CONFLICT
