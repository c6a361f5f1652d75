"""Stored records as the domain engine reads them (``domain.DomainRecord``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo.orm.reading import display_name, field_spec, field_value
from logisync.testing.odoo.orm.storage import Row

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env


class StoredRecord:
    """One row of one model, read through the engine's field semantics (computed and
    delegated fields included), with relations seen without ``active_test`` as the domain
    engine expects."""

    __slots__ = ("_env", "_model", "_row")

    def __init__(self, env: Env, model: str, row: Row) -> None:
        self._env = env
        self._model = model
        self._row = row

    @property
    def id(self) -> int:
        return int(self._row["id"])

    @property
    def model(self) -> str:
        return self._model

    def field_type(self, name: str) -> str:
        return field_spec(self._env.spec(self._model), name).type

    def value(self, name: str) -> Any:
        """Datetimes keep their microseconds when they have some (write dates do): PostgreSQL
        compares them at that precision, so ``('write_date', '>', '... 09:30:00')`` finds a
        record written at 09:30:00.25, as in Odoo, though ``read`` shows whole seconds."""
        value = field_value(self._env, self._model, self._row, name)
        if value and field_spec(self._env.spec(self._model), name).type == "datetime":
            return value[:19] if value.endswith(".000000") else value
        return value

    def related(self, name: str) -> list[StoredRecord]:
        definition = field_spec(self._env.spec(self._model), name)
        value = field_value(self._env, self._model, self._row, name)
        ids = [value] if definition.type == "many2one" and value else list(value or [])
        return self.lookup(definition.relation or "", ids)

    def display_name(self) -> str:
        return display_name(self._env, self._model, self._row)

    def comodel(self, name: str) -> str:
        return field_spec(self._env.spec(self._model), name).relation or ""

    def parent_field(self) -> str | None:
        return self._env.spec(self._model).parent_field

    def lookup(self, model: str, ids: list[int]) -> list[StoredRecord]:
        found = []
        for record_id in ids:
            row = self._env.store.get(model, record_id)
            if row is not None:
                found.append(StoredRecord(self._env, model, row))
        return found

    def records(self, model: str) -> list[StoredRecord]:
        return [StoredRecord(self._env, model, row) for row in self._env.store.rows(model)]
