"""A data steward's decision as a business fact: ``<domain>.value_accepted``.

Governance refuses a value from a system that does not own the field (a *conflict*) or queues
it (a *proposal*). When a steward accepts it, the value must reach the projection and the
systems downstream like any other change, and survive a rebuild of the projections from the
journal. So the decision is journaled as an event from the reserved system ``steward`` and
the processor applies it; nothing edits a projection directly.

Why one type per domain (``partner.value_accepted``) and not one generic type: every fact in
the catalogue is about one entity of one domain. Its subject is that entity's key, its payload
and personal data are described by that domain's model, and flows and API keys select facts by
domain (``partner.*``). A generic ``stewardship.value_accepted`` would be the one fact whose
subject could be any entity, and each of those rules would need an exception for it.

The payload names the conflict it decides, the accepted value of each field (``values``) and
the value the steward saw being replaced (``replaces``): the processor applies a field only
while its current value is still that one, so a newer value from the owner is never silently
overwritten. It also names the fact that proposed the value, because the accepted value is
routed as that fact would have been had it been allowed (see ``core.routing``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

STEWARD = "steward"
"""The reserved system name of the hub's data steward decisions: it may set every governed
field, no configuration may declare a system of that name, and no API key may submit for it."""

ACCEPTED_SUFFIX = ".value_accepted"
"""The fact name of a steward's acceptance, after the domain: ``partner.value_accepted``."""

_ENTITY_KEY = r"^[a-z][a-z_]*:[^\s]+$"
_NAME = r"^[^\s\x00-\x1f\x7f]+$"


class AcceptedValue(BaseModel):
    """A data steward accepted a value that governance had refused or queued."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    entity_key: str = Field(
        max_length=512, pattern=_ENTITY_KEY, description="The entity decided on"
    )
    conflict: int = Field(ge=1, description="The id of the conflict or proposal decided")
    values: dict[str, Any] = Field(
        min_length=1, description="The accepted value of each field, by field name"
    )
    replaces: dict[str, Any] = Field(
        description="The value of each field the steward saw being replaced (null: none); a "
        "field is set only while this is still its value"
    )
    proposed_by: str = Field(min_length=1, max_length=256, pattern=_NAME)
    proposed_event: str = Field(
        min_length=1, max_length=256, description="The id of the event that proposed the value"
    )
    proposed_type: str = Field(
        min_length=3,
        max_length=128,
        description="The type of that event: the accepted value is routed as that fact",
    )
    decided_by: str = Field(
        min_length=1, max_length=256, description="Who decided: a dashboard user or an API key"
    )
    reason: str | None = Field(default=None, max_length=1000)


def acceptance_id(conflict_id: int) -> str:
    """The event id of the acceptance of one conflict: accepting twice journals once."""
    return f"conflict-{conflict_id}-accepted"


def is_acceptance(event_type: str) -> bool:
    return event_type.endswith(ACCEPTED_SUFFIX)
