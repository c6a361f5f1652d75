"""The base every canonical entity shares: a domain, a business key, a schema version."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """A part of an entity (an order line, a package): validated like one, but has no key."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Entity(BaseModel):
    """A business object as the hub understands it, independent of any system's shape.

    ``domain`` and ``key_field`` give the entity key ``<domain>:<business key>`` that every
    event about the entity carries as its CloudEvents ``subject``. ``external_ids`` lists the
    entity's id in each system (``{"odoo": "42", "ups": "1Z..."}``); the processor links them
    in the crosswalk so that any of them resolves to this entity.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    domain: ClassVar[str]
    key_field: ClassVar[str]
    lifecycle_field: ClassVar[str | None] = None
    identity_fields: ClassVar[tuple[str, ...]] = ()  # fields the key is made of, if not key_field

    @classmethod
    def identity(cls) -> tuple[str, ...]:
        """The fields that make up the business key: set once, never governed or changed."""
        return cls.identity_fields or (cls.key_field,)

    schema_version: int = Field(default=1, ge=1, description="Version of this entity's schema")
    external_ids: dict[str, str] = Field(
        default_factory=dict, description="This entity's id in each system, by system name"
    )

    @property
    def business_key(self) -> str:
        return str(getattr(self, self.key_field))

    @property
    def entity_key(self) -> str:
        return f"{self.domain}:{self.business_key}"

    def fields_set(self) -> dict[str, Any]:
        """The fields the sender actually gave, as JSON values: absent is not the same as null."""
        return self.model_dump(mode="json", exclude_unset=True, exclude={"schema_version"})
