"""``stock.picking.button_validate``, per version.

Odoo's sequence: 17+ confirm draft transfers first and, where nothing is set yet, take
the demand as the quantity; 19 silently drops transfers already done (16-18 refuse them in
the sanity check, which finds nothing left to move); the sanity check refuses empty
transfers and transfers with no quantity; then the pre-validation wizards: 16 answers the
``stock.immediate.transfer`` action when nothing is done yet, every version answers the
``stock.backorder.confirmation`` action when less than the demand is done, unless the
context carries ``skip_immediate``/``skip_backorder`` (which the wizards set), with
``picking_ids_not_to_backorder`` meaning "no backorder for these".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.models.stock_flow import (
    PICKING,
    action_assign,
    action_cancel,
    action_confirm,
    action_done,
    do_unreserve,
    engine,
    moves_of,
    state_of,
    to_process,
)
from logisync.testing.odoo.orm.models.stock_moves import MOVE, demand
from logisync.testing.odoo.orm.spec import Method, record_method
from logisync.testing.odoo.orm.versions import VersionProfile

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

IMMEDIATE_VIEW_ID = 1131
BACKORDER_VIEW_ID = 1132
ACTIVE = ("draft", "waiting", "confirmed", "partially_available", "assigned")


def button_validate(env: Env, model: str, ids: list[int]) -> Any:
    for picking_id in ids:
        env[PICKING].row(picking_id)
    if env.profile.validate_skips_done_pickings:
        ids = [i for i in ids if state_of(env, i) != "done"]
    if not env.profile.has_immediate_transfer:
        _confirm_drafts(env, ids)
    if not env.context.get("skip_sanity_check"):
        _sanity_check(env, ids)
    if not env.context.get("button_validate_picking_ids"):
        env = env.with_context(button_validate_picking_ids=list(ids))
    answer = _pre_action_done(env, ids)
    if answer is not True:
        return answer
    no_backorder = set(env.context.get("picking_ids_not_to_backorder") or [])
    no_backorder |= {i for i in ids if _backorder_policy(env, i) == "never"}
    action_done(env, [i for i in ids if i in no_backorder], cancel_backorder=True)
    action_done(env, [i for i in ids if i not in no_backorder], cancel_backorder=False)
    return True


def _backorder_policy(env: Env, picking_id: int) -> str:
    kind_id = env[PICKING].row(picking_id).get("picking_type_id") or 0
    return str((env.store.get("stock.picking.type", kind_id) or {}).get("create_backorder"))


def _confirm_drafts(env: Env, ids: list[int]) -> None:
    drafts = [i for i in ids if state_of(env, i) == "draft"]
    action_confirm(env, PICKING, drafts)
    for picking_id in drafts:
        for move_id in moves_of(env, picking_id):
            move = env.store.get(MOVE, move_id) or {}
            if not move.get("quantity") and demand(move):
                engine(env)[MOVE].write([move_id], {"quantity": demand(move)})


def _has_no_quantity(env: Env, picking_id: int) -> bool:
    moves = [env.store.get(MOVE, i) or {} for i in moves_of(env, picking_id)]
    active = [m for m in moves if m.get("state") not in ("done", "cancel")]
    if env.profile.move_has_quantity_done:
        nothing_done = all(not m.get("quantity_done") for m in active)
        return nothing_done and all(not m.get("reserved_availability") for m in moves)
    if env.version >= 19 and any(m.get("picked") for m in active):
        active = [m for m in active if m.get("picked")]
    return all(not m.get("quantity") for m in active)


def _sanity_check(env: Env, ids: list[int]) -> None:
    empty = [i for i in ids if not moves_of(env, i)]
    without_quantity = [i for i in ids if _has_no_quantity(env, i)]
    if len(ids) <= 1:
        if empty:
            raise errors.UserError(env.profile.empty_transfer_message)
        if without_quantity:
            raise errors.UserError(env.profile.no_quantity_message)
        return
    parts = []
    if empty:
        parts.append(f"Transfers {_names(env, empty)}: {env.profile.empty_transfer_message}")
    if without_quantity:
        parts.append(
            f"Transfers {_names(env, without_quantity)}: {env.profile.no_quantity_message}"
        )
    if parts:
        raise errors.UserError("\n\n".join(parts))


def _names(env: Env, ids: list[int]) -> str:
    return ", ".join(str(env[PICKING].row(i).get("name")) for i in ids)


def _pre_action_done(env: Env, ids: list[int]) -> Any:
    if env.profile.has_immediate_transfer and not env.context.get("skip_immediate"):
        immediate = [i for i in ids if _nothing_done(env, i)]
        if immediate:
            return wizard_action(
                env,
                "stock.immediate.transfer",
                "Immediate Transfer?",
                IMMEDIATE_VIEW_ID,
                immediate,
                len(ids) > 1,
            )
    if not env.profile.move_has_quantity_done:
        for picking_id in ids:
            _pick_when_nothing_picked(env, picking_id)
    if not env.context.get("skip_backorder"):
        backorders = [i for i in ids if _needs_backorder(env, i)]
        if backorders:
            return wizard_action(
                env,
                "stock.backorder.confirmation",
                "Create Backorder?",
                BACKORDER_VIEW_ID,
                backorders,
                len(ids) > 1,
            )
    return True


def _nothing_done(env: Env, picking_id: int) -> bool:
    moves = [env.store.get(MOVE, i) or {} for i in moves_of(env, picking_id, ACTIVE)]
    return all(not m.get("quantity_done") for m in moves)


def _pick_when_nothing_picked(env: Env, picking_id: int) -> None:
    """17+: reserved quantities count as picked when the user picked nothing explicitly."""
    moves = [env.store.get(MOVE, i) or {} for i in moves_of(env, picking_id)]
    if any(m.get("quantity") for m in moves) and not any(m.get("picked") for m in moves):
        engine(env)[MOVE].write([m["id"] for m in moves], {"picked": True})


def _needs_backorder(env: Env, picking_id: int) -> bool:
    if _backorder_policy(env, picking_id) != "ask":
        return False
    for move_id in moves_of(env, picking_id):
        move = env.store.get(MOVE, move_id) or {}
        if move.get("state") == "cancel":
            continue
        if not env.profile.move_has_quantity_done and demand(move) and not move.get("picked"):
            return True
        if to_process(env, move) < demand(move):
            return True
    return False


def wizard_action(
    env: Env, model: str, name: str, view_id: int, ids: list[int], show_transfers: bool
) -> dict[str, Any]:
    """The window action Odoo answers for a pre-validation wizard; its context is what the
    client must create the wizard and call its button with."""
    context = {key: value for key, value in env.context.items() if not key.startswith("_")}
    context.update(
        default_show_transfers=show_transfers,
        default_pick_ids=[[4, picking_id] for picking_id in ids],
    )
    return {
        "name": name,
        "type": "ir.actions.act_window",
        "view_mode": "form",
        "res_model": model,
        "views": [[view_id, "form"]],
        "view_id": view_id,
        "target": "new",
        "context": context,
    }


def picking_methods(profile: VersionProfile) -> dict[str, Method]:
    return {
        "action_confirm": record_method(action_confirm),
        "action_assign": record_method(action_assign),
        "action_cancel": record_method(action_cancel),
        "do_unreserve": record_method(do_unreserve),
        "button_validate": record_method(button_validate),
    }
