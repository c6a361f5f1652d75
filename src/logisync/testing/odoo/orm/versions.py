"""What differs between Odoo 16, 17, 18 and 19, in one place.

Model declarations and business methods ask this profile instead of comparing version
numbers, so each difference has a name that says what it is (see ODOO.md §1-§4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SUPPORTED = (16, 17, 18, 19)


@dataclass(frozen=True)
class VersionProfile:
    """The behaviour of one major version."""

    version: int

    def __post_init__(self) -> None:
        if self.version not in SUPPORTED:
            raise ValueError(f"Odoo {self.version} is not simulated (only {SUPPORTED})")

    def version_info(self) -> dict[str, Any]:
        """``common.version()``: a source install's answer (no package date suffix)."""
        serie = f"{self.version}.0"
        return {
            "server_version": serie,
            "server_version_info": [self.version, 0, 0, "final", 0, ""],
            "server_serie": serie,
            "protocol_version": 1,
        }

    @property
    def sale_has_done_state(self) -> bool:
        """16 locks an order with state ``done``; 17+ keep ``sale`` and set ``locked``."""
        return self.version == 16

    @property
    def product_has_detailed_type(self) -> bool:
        """16/17: ``detailed_type`` + ``type`` in consu/service/product; 18+: ``type`` in
        consu/service/combo and a boolean ``is_storable``."""
        return self.version <= 17

    @property
    def move_has_quantity_done(self) -> bool:
        """16 records done quantities in ``quantity_done``; 17+ in ``quantity`` + ``picked``."""
        return self.version == 16

    @property
    def sale_line_uom_field(self) -> str:
        return "product_uom_id" if self.version >= 19 else "product_uom"

    @property
    def sale_line_tax_field(self) -> str:
        return "tax_ids" if self.version >= 19 else "tax_id"

    @property
    def partner_has_mobile(self) -> bool:
        return self.version <= 18

    @property
    def partner_has_private_type(self) -> bool:
        return self.version == 16

    @property
    def name_search_domain_param(self) -> str:
        """``name_search``'s second parameter: ``args`` up to 18, ``domain`` in 19."""
        return "domain" if self.version >= 19 else "args"

    @property
    def copy_returns_list(self) -> bool:
        """16/17 ``copy`` returns the new id; 18+ a list of ids (one per copied record)."""
        return self.version >= 18

    @property
    def sale_cancel_uses_wizard(self) -> bool:
        """16-18 answer ``action_cancel`` on a non-draft order with the ``sale.order.cancel``
        wizard action (unless ``disable_cancel_warning``); 19 cancels at once."""
        return self.version <= 18

    @property
    def has_immediate_transfer(self) -> bool:
        """16 asks ``stock.immediate.transfer`` when nothing is done yet; 17+ validate the
        reserved quantities."""
        return self.version == 16

    @property
    def validate_skips_done_pickings(self) -> bool:
        """19 drops done pickings from ``button_validate`` (returns True); 16-18 refuse."""
        return self.version >= 19

    @property
    def users_groups_field(self) -> str:
        return "group_ids" if self.version >= 19 else "groups_id"

    @property
    def delivery_status_has_started(self) -> bool:
        """17 dropped the ``started`` delivery status that 16, 18 and 19 have."""
        return self.version != 17

    @property
    def payment_state_has_blocked(self) -> bool:
        return self.version >= 18

    @property
    def carrier_has_tracking_url(self) -> bool:
        return self.version >= 19

    @property
    def has_name_get(self) -> bool:
        """``name_get`` exists up to 17 (deprecated there), gone in 18."""
        return self.version <= 17

    @property
    def search_has_count(self) -> bool:
        """16's ``search`` still takes ``count=True``."""
        return self.version == 16

    def private_method_message(self, model: str, method: str) -> str:
        if self.version >= 18:
            return f"Private methods (such as '{model}.{method}') cannot be called remotely."
        return f"Private methods (such as {method}) cannot be called remotely."

    def unknown_method_message(self, model: str, method: str) -> str:
        if self.version >= 18:
            return f"The method '{model}.{method}' does not exist"
        if self.version == 17:
            return f"The method '{method}' does not exist on the model '{model}'"
        return f"type object '{model}' has no attribute '{method}'"

    @property
    def private_check_before_model(self) -> bool:
        """16/17 refuse a private method name before looking the model up; 18+ after."""
        return self.version <= 17

    def confirm_refused_message(self, names: list[str]) -> str:
        """``sale.order.action_confirm`` on an order that is not a quotation."""
        if self.version == 16:
            return "It is not allowed to confirm an order in the following states: done, cancel"
        if self.version == 17:
            return "The following orders are not in a state requiring confirmation: " + ", ".join(
                names
            )
        return "Some orders are not in a state requiring confirmation."

    @property
    def empty_transfer_message(self) -> str:
        if self.version == 16:
            return "Please add some items to move."
        return (
            "You can\u2019t validate an empty transfer. Please add some products to move "
            "before proceeding."
        )

    @property
    def no_quantity_message(self) -> str:
        if self.version == 16:
            return (
                "You cannot validate a transfer if no quantities are reserved nor done. "
                "To force the transfer, switch in edit mode and encode the done quantities."
            )
        if self.version <= 18:
            return (
                "You cannot validate a transfer if no quantities are reserved. "
                "To force the transfer, encode quantities."
            )
        return (
            "Transfer trouble alert! Validating a zero quantity transfer? You're not moving "
            "invisible goods around are you?\nSet some quantities and let's get moving!"
        )
