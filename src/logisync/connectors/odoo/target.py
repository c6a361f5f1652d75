"""The Odoo delivery target: each batch of entity states written with as few calls as Odoo
allows, by one writer per canonical domain.

Odoo flows deliver the entity's latest state (``mode: state``): many facts about one
shipment become one write, and writes are upserts by external id, so the at-least-once
delivery of the hub has exactly-once effects in Odoo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.connectors.odoo.invoices import InvoiceWriter
from logisync.connectors.odoo.lookups import MissingReference, OdooIds
from logisync.connectors.odoo.masters import PartnerWriter, ProductWriter
from logisync.connectors.odoo.orders import SalesOrderWriter
from logisync.connectors.odoo.pickings import PickingWriter
from logisync.connectors.odoo.quants import QuantWriter
from logisync.connectors.odoo.records import DomainWriter, EntityState, later, refused
from logisync.connectors.odoo.rpc import OdooRpc
from logisync.connectors.odoo.settings import OdooSettings
from logisync.connectors.odoo.xmlids import split_entity_key
from logisync.connectors.tracing import delivery_span, traced_item
from logisync.core.delivery.connector import DeliveryItem, ItemResult


class OdooTarget:
    """``TargetConnector`` for Odoo 16-19."""

    def __init__(self, rpc: OdooRpc, settings: OdooSettings, version: int) -> None:
        self.rpc = rpc
        self.max_batch = settings.batch
        ids = OdooIds(rpc)
        writers: list[DomainWriter] = [
            PartnerWriter(rpc, ids, settings, version),
            ProductWriter(rpc, ids, settings, version),
            PickingWriter(rpc, ids, settings, version),
            SalesOrderWriter(rpc, ids, settings, version),
            InvoiceWriter(rpc, ids, settings, version),
            QuantWriter(rpc, ids, settings, version),
        ]
        self._writers = {writer.domain: writer for writer in writers}

    def deliver(self, items: Sequence[DeliveryItem]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(items)
        by_domain: dict[str, list[tuple[int, EntityState]]] = defaultdict(list)
        for position, item in enumerate(items):
            domain, key = split_entity_key(item.delivery.entity_key)
            if item.delivery.mode != "state":
                results[position] = refused(
                    "Odoo flows deliver an entity's latest state: set 'mode: state' on the flow"
                )
            elif domain not in self._writers:
                results[position] = refused(
                    f"the Odoo connector does not write {domain!r} entities (it writes "
                    f"{', '.join(sorted(self._writers))})"
                )
            else:
                state = EntityState(key, int(item.payload["version"]), item.payload["state"])
                by_domain[domain].append((position, state))
        for domain, entries in by_domain.items():
            with delivery_span(traced_item(items[p] for p, _ in entries), f"odoo write {domain}"):
                written = self._write(self._writers[domain], [state for _, state in entries])
            for (position, _), result in zip(entries, written, strict=True):
                results[position] = result
        return [result or refused("not written") for result in results]

    @staticmethod
    def _write(writer: DomainWriter, entities: list[EntityState]) -> list[ItemResult]:
        """A failure of the batch as a whole is each entity's failure."""
        try:
            return writer.write(entities)
        except OdooCallFailed as error:
            one = later(str(error), error.retry_after) if error.transient else refused(str(error))
        except MissingReference as error:
            one = later(str(error)) if error.transient else refused(str(error))
        return [one] * len(entities)
