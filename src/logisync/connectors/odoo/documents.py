"""The shape every Odoo business document shares: a header, lines, and actions that move its
state (confirm an order, validate a picking, post an invoice).

A batch costs a handful of calls however many documents it holds:

1. ``load`` the headers, creating the new documents (upsert by external id);
2. ``read`` their states;
3. ``load`` the lines of the documents still open for changes (lines have external ids too,
   so a repeat updates them);
4. one call per action for the documents whose canonical state asks for it, and whose Odoo
   state shows it has not happened yet: so a retry after a lost answer does not confirm,
   validate or post twice.

If Odoo refuses an action for the batch as a whole, the action is repeated one document at a
time to find the ones it refuses; the others go through.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.connectors.odoo.loading import ImportRecord, load_records
from logisync.connectors.odoo.lookups import MissingReference, NothingToWrite, OdooIds
from logisync.connectors.odoo.records import (
    EntityState,
    delivered,
    later,
    refused,
    row_refused,
)
from logisync.connectors.odoo.rpc import OdooRpc
from logisync.connectors.odoo.settings import OdooSettings
from logisync.connectors.odoo.xmlids import xmlid
from logisync.core.delivery.connector import ItemResult

Action = tuple[str, dict[str, Any]]  # method name, context


class DocumentWriter:
    domain: str
    model: str
    lines_field: str
    open_states: tuple[str, ...]
    """Odoo states in which the hub may still change the document's lines."""

    def __init__(self, rpc: OdooRpc, ids: OdooIds, settings: OdooSettings, version: int):
        self._rpc = rpc
        self._ids = ids
        self._settings = settings
        self._version = version

    # What a document type says -------------------------------------------------------------
    def header(self, entity: EntityState) -> dict[str, str]:
        raise NotImplementedError

    def prepare(self, entities: Sequence[EntityState]) -> None:
        """Look up, for the whole batch, what ``header`` and ``lines`` need from Odoo."""

    def record_key(self, entity: EntityState) -> dict[str, str]:
        """The cell that names the document in ``load``: the hub's external id."""
        return {"id": self.xmlid(self.domain, entity.key)}

    def header_fallback(self, entity: EntityState) -> dict[str, str]:
        """What an existing document still accepts when Odoo refuses the whole header (it
        moved on: done, posted): by default nothing but finding it again."""
        return self.record_key(entity)

    def lines(self, entity: EntityState) -> list[dict[str, str]]:
        """The lines' cells (columns ``<lines_field>/...``); may raise MissingReference."""
        raise NotImplementedError

    def action(self, entity: EntityState, odoo_state: str) -> Action | str | None:
        """The action the canonical state asks for, given the document's state in Odoo; a
        string is a refusal (the two disagree in a way only a person can settle)."""
        raise NotImplementedError

    def finish(self, action: Action, answer: Any, record_ids: list[int]) -> None:
        """Deal with what an action answered (a wizard to complete, for instance)."""

    # The shared sequence --------------------------------------------------------------------
    def write(self, entities: Sequence[EntityState]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(entities)
        self.prepare(entities)
        headers: dict[int, ImportRecord] = {}
        for position, entity in enumerate(entities):
            try:
                headers[position] = ImportRecord(
                    self.header(entity), fallback=self.header_fallback(entity)
                )
            except MissingReference as error:
                results[position] = later(str(error)) if error.transient else refused(str(error))
            except NothingToWrite:
                results[position] = ItemResult("delivered")
        loaded = load_records(self._rpc, self.model, list(headers.values()))
        record_ids: dict[int, int] = {}
        for position, record_id, refusal in zip(headers, loaded.ids, loaded.errors, strict=True):
            if record_id is None:
                results[position] = row_refused(self.model, refusal)
            else:
                record_ids[position] = record_id
        states = self._states(list(record_ids.values()))
        self._write_lines(entities, record_ids, states, results)
        self._act(entities, record_ids, states, results)
        return [
            result or delivered(self.model, record_ids[position])
            for position, result in enumerate(results)
        ]

    def customer(self, entity: EntityState, field: str) -> int:
        """The Odoo partner the document's ``field`` names by its ``ref``."""
        ref = entity.state.get(field)
        if not ref:
            raise MissingReference(
                f"{self.domain} {entity.key} has no {field}: Odoo needs its customer",
                transient=False,
            )
        return self._ids.require("res.partner", "ref", [ref])[ref]

    def xmlid(self, domain: str, key: str) -> str:
        return xmlid(self._settings.module, domain, key)

    def _states(self, record_ids: list[int]) -> dict[int, str]:
        if not record_ids:
            return {}
        rows = self._rpc.call(self.model, "read", ids=record_ids, fields=["state"])
        return {int(row["id"]): str(row["state"]) for row in rows}

    def _write_lines(
        self,
        entities: Sequence[EntityState],
        record_ids: dict[int, int],
        states: dict[int, str],
        results: list[ItemResult | None],
    ) -> None:
        records, positions = [], []
        for position, record_id in record_ids.items():
            if states.get(record_id) not in self.open_states:
                continue
            try:
                lines = self.lines(entities[position])
            except MissingReference as error:
                results[position] = later(str(error)) if error.transient else refused(str(error))
                continue
            if lines:
                records.append(ImportRecord(self.record_key(entities[position]), lines))
                positions.append(position)
        if not records:
            return
        loaded = load_records(self._rpc, self.model, records)
        for index, position in enumerate(positions):
            if loaded.errors[index] is not None:
                results[position] = row_refused(f"{self.model} lines", loaded.errors[index])

    def _act(
        self,
        entities: Sequence[EntityState],
        record_ids: dict[int, int],
        states: dict[int, str],
        results: list[ItemResult | None],
    ) -> None:
        wanted: dict[tuple[str, str], list[int]] = defaultdict(list)
        actions: dict[tuple[str, str], Action] = {}
        position_of = {record_id: position for position, record_id in record_ids.items()}
        for position, record_id in record_ids.items():
            if results[position] is not None:
                continue
            action = self.action(entities[position], states.get(record_id, ""))
            if isinstance(action, str):
                results[position] = refused(f"{self.model} {record_id}: {action}")
            elif action is not None:
                key = (action[0], repr(sorted(action[1].items())))
                wanted[key].append(record_id)
                actions[key] = action
        for key, ids in wanted.items():
            for record_id, failure in self._run(actions[key], ids).items():
                results[position_of[record_id]] = failure

    def _run(self, action: Action, record_ids: list[int]) -> dict[int, ItemResult]:
        try:
            self._call(action, record_ids)
            return {}
        except OdooCallFailed as error:
            if error.transient:
                raise
            if len(record_ids) == 1:
                return {record_ids[0]: refused(str(error))}
        failures: dict[int, ItemResult] = {}
        for record_id in record_ids:
            try:
                self._call(action, [record_id])
            except OdooCallFailed as error:
                failure = later(str(error), error.retry_after) if error.transient else None
                failures[record_id] = failure or refused(str(error))
        return failures

    def _call(self, action: Action, record_ids: list[int]) -> None:
        method, context = action
        context = {key: record_ids if value == "$ids" else value for key, value in context.items()}
        answer = self._rpc.call(self.model, method, ids=record_ids, context=context)
        self.finish((method, context), answer, record_ids)
