"""Odoo ids the connector needs but does not own, looked up once per batch and remembered.

A sales order names its customer by the partner's ``ref`` and its lines' products by
``default_code``; a picking needs the delivery operation type and its locations. The records
may have been made in Odoo by people, so they carry no hub external id: they are found by
their business key, many per call, and cached for the process's life (the ids of existing
records never change; a missing key is asked for again next time, as it may appear).
"""

from __future__ import annotations

from collections.abc import Iterable

from logisync.connectors.odoo.failures import OdooCallFailed
from logisync.connectors.odoo.rpc import OdooRpc


class MissingReference(Exception):
    """A record the data names is not in Odoo. Transient for business records (retry later:
    it may be created meanwhile); permanent for a configured external id that does not exist."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


class NothingToWrite(Exception):
    """The entity holds nothing Odoo can take yet, and the hub will deliver what it needs under
    another entity: delivered as a no-op rather than waiting until its retries run out."""


class OdooIds:
    """Business key -> database id, per model, for the records the hub refers to."""

    def __init__(self, rpc: OdooRpc) -> None:
        self._rpc = rpc
        self._by_key: dict[tuple[str, str], dict[str, int]] = {}
        self._xmlids: dict[str, int] = {}

    def by_key(self, model: str, key_field: str, keys: Iterable[str]) -> dict[str, int]:
        """The ids of the records whose ``key_field`` is one of ``keys`` (found ones only)."""
        known = self._by_key.setdefault((model, key_field), {})
        wanted = sorted({k for k in keys if k and k not in known})
        if wanted:
            found = self._rpc.call(
                model,
                "search_read",
                domain=[[key_field, "in", wanted]],
                fields=[key_field],
                context={"active_test": False},
            )
            for record in found:
                known.setdefault(str(record[key_field]), int(record["id"]))
        return {k: known[k] for k in keys if k in known}

    def require(self, model: str, key_field: str, keys: Iterable[str]) -> dict[str, int]:
        keys = list(keys)
        found = self.by_key(model, key_field, keys)
        missing = sorted({k for k in keys if k not in found})
        if missing:
            raise MissingReference(
                f"no {model} in Odoo with {key_field} {', '.join(missing)} (yet)"
            )
        return found

    def xmlid(self, complete_name: str) -> int:
        """The id behind an external id such as ``stock.picking_type_out``."""
        if complete_name not in self._xmlids:
            module, _, name = complete_name.partition(".")
            try:
                _model, res_id = self._rpc.call(
                    "ir.model.data", "check_object_reference", module=module, xml_id=name
                )
            except OdooCallFailed as error:
                if error.transient:
                    raise
                raise MissingReference(
                    f"{complete_name}: {error.message}", transient=False
                ) from None
            self._xmlids[complete_name] = int(res_id)
        return self._xmlids[complete_name]
