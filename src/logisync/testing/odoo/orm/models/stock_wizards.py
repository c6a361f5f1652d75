"""The validation wizards: ``stock.immediate.transfer`` (16) and
``stock.backorder.confirmation``.

A client answers a wizard action from ``button_validate`` by creating the wizard with the
action's context (``default_pick_ids`` fills its transfers) and calling its button with
that same context: the buttons validate again the transfers named by the context's
``button_validate_picking_ids``, as Odoo's do; without that context they do nothing and
answer True.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm.models.stock_flow import (
    PICKING,
    action_assign,
    action_confirm,
    engine,
    moves_of,
    state_of,
)
from logisync.testing.odoo.orm.models.stock_moves import MOVE, OPEN
from logisync.testing.odoo.orm.models.stock_validation import button_validate
from logisync.testing.odoo.orm.spec import ModelSpec, record_method
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env


def _to_validate(env: Env) -> list[int]:
    return [int(i) for i in env.context.get("button_validate_picking_ids") or []]


def immediate_process(env: Env, model: str, ids: list[int]) -> Any:
    """Confirm and reserve what is still draft, take the reserved quantities as done, and
    validate again without asking."""
    for wizard_id in ids:
        for picking_id in env[model].row(wizard_id).get("pick_ids") or []:
            if state_of(env, picking_id) == "draft":
                action_confirm(env, PICKING, [picking_id])
                if state_of(env, picking_id) != "assigned":
                    action_assign(env, PICKING, [picking_id])
                    if state_of(env, picking_id) != "assigned":
                        raise errors.UserError(
                            "Could not reserve all requested products. Please use the 'Mark "
                            "as Todo' button to handle the reservation manually."
                        )
            for move_id in moves_of(env, picking_id, OPEN):
                reserved = (env.store.get(MOVE, move_id) or {}).get("reserved_availability")
                engine(env)[MOVE].write([move_id], {"quantity_done": reserved or 0.0})
    pickings = _to_validate(env)
    if not pickings:
        return True
    return button_validate(env.with_context(skip_immediate=True), PICKING, pickings)


def backorder_process(env: Env, model: str, ids: list[int]) -> Any:
    """Validate and keep what is left in a backorder."""
    pickings = _to_validate(env)
    if not pickings:
        return True
    return button_validate(env.with_context(skip_backorder=True), PICKING, pickings)


def backorder_process_cancel(env: Env, model: str, ids: list[int]) -> Any:
    """Validate and cancel what is left ("No Backorder")."""
    pickings = _to_validate(env)
    if not pickings:
        return True
    picked: list[int] = []
    for wizard_id in ids:
        picked += env[model].row(wizard_id).get("pick_ids") or []
    answer_env = env.with_context(skip_backorder=True, picking_ids_not_to_backorder=picked)
    return button_validate(answer_env, PICKING, pickings)


def _wizard(name: str, description: str, methods: dict[str, Any]) -> ModelSpec:
    return ModelSpec(
        name,
        description,
        {
            "pick_ids": f.many2many(PICKING, "Transfers"),
            "show_transfers": f.boolean("Show Transfers"),
        },
        rec_name=None,
        transient=True,
        methods=methods,
    )


def wizard_models(profile: VersionProfile) -> list[ModelSpec]:
    specs = [
        _wizard(
            "stock.backorder.confirmation",
            "Backorder Confirmation",
            {
                "process": record_method(backorder_process),
                "process_cancel_backorder": record_method(backorder_process_cancel),
            },
        )
    ]
    if profile.has_immediate_transfer:
        specs.append(
            _wizard(
                "stock.immediate.transfer",
                "Immediate Transfer",
                {"process": record_method(immediate_process)},
            )
        )
    return specs
