"""The environment one call runs in: who, with which context, inside which transaction.

Like Odoo's ``env``, it is immutable; ``sudo()`` and ``with_context()`` make new ones.
Business code reaches models through ``env[model]``, a small handle over the generic
operations, so that a business method reads like its Odoo counterpart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.reading import field_value, read_records
from logisync.testing.odoo.orm.searching import search_ids
from logisync.testing.odoo.orm.spec import ModelSpec
from logisync.testing.odoo.orm.storage import RecordStore, Row
from logisync.testing.odoo.orm.unlinking import unlink_records
from logisync.testing.odoo.orm.versions import VersionProfile
from logisync.testing.odoo.orm.writing import create_records, write_records

SUPERUSER_ID = 1


@dataclass
class Transaction:
    """One RPC call's unit of work: the registry and store it works on and its start time,
    which is every ``write_date`` it sets (Odoo's ``now()`` is the transaction's)."""

    store: RecordStore
    registry: Mapping[str, ModelSpec]
    profile: VersionProfile
    started: datetime
    groups: dict[int, set[str]] = field(default_factory=dict)
    """Each user's groups, read once per call (access checks ask for them constantly)."""

    @cached_property
    def now_text(self) -> str:
        """The start time as stored: UTC with microseconds."""
        return self.started.strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(frozen=True)
class Env:
    txn: Transaction
    uid: int
    context: Mapping[str, Any] = field(default_factory=dict)
    su: bool = False

    @property
    def store(self) -> RecordStore:
        return self.txn.store

    @property
    def profile(self) -> VersionProfile:
        return self.txn.profile

    @property
    def version(self) -> int:
        return self.txn.profile.version

    def spec(self, model: str) -> ModelSpec:
        spec = self.txn.registry.get(model)
        if spec is None:
            raise errors.UnknownModel(f"Object {model} doesn't exist")
        return spec

    def sudo(self) -> Env:
        return replace(self, su=True)

    def with_context(self, **updates: Any) -> Env:
        return replace(self, context={**self.context, **updates})

    @property
    def active_test(self) -> bool:
        return bool(self.context.get("active_test", True))

    def __getitem__(self, model: str) -> Model:
        self.spec(model)
        return Model(self, model)


@dataclass(frozen=True)
class Model:
    """``env[model]``: the generic ORM operations bound to one model and environment."""

    env: Env
    name: str

    @property
    def spec(self) -> ModelSpec:
        return self.env.spec(self.name)

    def row(self, record_id: int) -> Row:
        row = self.env.store.get(self.name, record_id)
        if row is None:
            raise errors.MissingError(
                "Record does not exist or has been deleted.\n"
                f"(Record: {self.name}({record_id},), User: {self.env.uid})"
            )
        return row

    def exists(self, ids: list[int]) -> list[int]:
        return [i for i in ids if self.env.store.exists(self.name, i)]

    def value(self, record_id: int, field_name: str) -> Any:
        """The engine's value of one field (computed, delegated or stored)."""
        return field_value(self.env, self.name, self.row(record_id), field_name)

    def create(self, vals: dict[str, Any]) -> int:
        return create_records(self.env, self.name, [vals])[0]

    def write(self, ids: list[int], vals: dict[str, Any]) -> None:
        write_records(self.env, self.name, ids, vals)

    def unlink(self, ids: list[int]) -> None:
        unlink_records(self.env, self.name, ids)

    def search(
        self,
        domain: list[Any],
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[int]:
        return search_ids(self.env, self.name, domain, offset, limit, order)

    def read(
        self, ids: list[int], fields: list[str] | None = None, load: str | None = "_classic_read"
    ) -> list[dict[str, Any]]:
        return read_records(self.env, self.name, ids, fields, load)
