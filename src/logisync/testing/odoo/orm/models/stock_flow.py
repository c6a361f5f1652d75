"""A transfer's moves through their states: confirm, reserve, cancel, and the final
"done" step of validation (``stock_validation`` decides when that step runs).

Marking done moves the done quantities (updating the quants), splits a partly done move,
and puts what is left in a backorder, or cancels it when no backorder is wanted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.models.stock_moves import (
    MOVE,
    OPEN,
    demand,
    reserve,
)
from logisync.testing.odoo.orm.models.stock_quants import move_quants

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

PICKING = "stock.picking"


def moves_of(env: Env, picking_id: int, states: tuple[str, ...] | None = None) -> list[int]:
    ids = sorted(env.store.referencing(MOVE, "picking_id", picking_id))
    if states is None:
        return ids
    return [i for i in ids if (env.store.get(MOVE, i) or {}).get("state") in states]


def state_of(env: Env, picking_id: int) -> str:
    return str(env[PICKING].value(picking_id, "state"))


def engine(env: Env) -> Env:
    """The user's environment, marked so that move hooks let the engine's own writes of
    quantities and states through."""
    return env.with_context(_stock_engine=True)


def action_confirm(env: Env, model: str, ids: list[int]) -> bool:
    """Draft moves become confirmed, then reserved (Odoo's default "at confirmation")."""
    for picking_id in ids:
        env[PICKING].row(picking_id)
        drafts = moves_of(env, picking_id, ("draft",))
        engine(env)[MOVE].write(drafts, {"state": "confirmed"})
        reserve(engine(env), moves_of(env, picking_id, OPEN))
    return True


def action_assign(env: Env, model: str, ids: list[int]) -> bool:
    drafts = [i for i in ids if state_of(env, i) == "draft"]
    action_confirm(env, model, drafts)
    for picking_id in ids:
        reserve(engine(env), moves_of(env, picking_id, OPEN))
    return True


def action_cancel(env: Env, model: str, ids: list[int]) -> bool:
    for picking_id in ids:
        if moves_of(env, picking_id, ("done",)):
            raise errors.UserError(
                "You cannot cancel a stock move that has been set to 'Done'. Create a return "
                "in order to reverse the moves which took place."
            )
        cancel_moves(env, moves_of(env, picking_id, OPEN))
    return True


def cancel_moves(env: Env, move_ids: list[int]) -> None:
    values: dict[str, Any] = {"state": "cancel"}
    if env.profile.move_has_quantity_done:
        values["reserved_availability"] = 0.0
    else:
        values.update(quantity=0.0, picked=False)
    engine(env)[MOVE].write(move_ids, values)


def do_unreserve(env: Env, model: str, ids: list[int]) -> bool:
    for picking_id in ids:
        for move_id in moves_of(env, picking_id, OPEN):
            values: dict[str, Any] = {"state": "confirmed"}
            if env.profile.move_has_quantity_done:
                values["reserved_availability"] = 0.0
            else:
                values["quantity"] = 0.0
            engine(env)[MOVE].write([move_id], values)
    return True


def to_process(env: Env, move: dict[str, Any]) -> float:
    """What validation will mark done: 16's ``quantity_done``; 17+'s picked ``quantity``."""
    if env.profile.move_has_quantity_done:
        return float(move.get("quantity_done") or 0.0)
    return float(move.get("quantity") or 0.0) if move.get("picked") else 0.0


def action_done(env: Env, picking_ids: list[int], cancel_backorder: bool) -> None:
    for picking_id in picking_ids:
        remaining = []
        for move_id in moves_of(env, picking_id, OPEN):
            move = env.store.get(MOVE, move_id) or {}
            quantity = to_process(env, move)
            if quantity <= 0:
                remaining.append(move_id)
                continue
            if quantity < demand(move):
                remaining.append(_split(env, move, demand(move) - quantity))
            _finish(env, move_id, quantity)
        if remaining and cancel_backorder:
            cancel_moves(env, remaining)
        elif remaining:
            _create_backorder(env, picking_id, remaining)
        engine(env)[PICKING].write([picking_id], {"date_done": env.txn.now_text})


def _split(env: Env, move: dict[str, Any], rest: float) -> int:
    """A new move for the quantity not done; the original keeps what was done."""
    copied = {
        name: move.get(name)
        for name in (
            "name",
            "product_id",
            "product_uom",
            "location_id",
            "location_dest_id",
            "picking_id",
            "picking_type_id",
            "partner_id",
            "origin",
            "sale_line_id",
            "sequence",
        )
    }
    new_id = engine(env)[MOVE].create({**copied, "product_uom_qty": rest, "state": "confirmed"})
    engine(env)[MOVE].write([move["id"]], {"product_uom_qty": demand(move) - rest})
    return new_id


def _finish(env: Env, move_id: int, quantity: float) -> None:
    values: dict[str, Any] = {"state": "done", "date": env.txn.now_text}
    if env.profile.move_has_quantity_done:
        values.update(quantity_done=quantity, reserved_availability=0.0)
    else:
        values.update(quantity=quantity, picked=True)
    engine(env)[MOVE].write([move_id], values)
    move_quants(env, env.store.get(MOVE, move_id) or {}, quantity)


def _create_backorder(env: Env, picking_id: int, move_ids: list[int]) -> int:
    row = env[PICKING].row(picking_id)
    kept = (
        "partner_id",
        "picking_type_id",
        "location_id",
        "location_dest_id",
        "origin",
        "sale_id",
        "carrier_id",
        "scheduled_date",
        "move_type",
        "priority",
        "user_id",
    )
    backorder = engine(env)[PICKING].create(
        {**{name: row.get(name) for name in kept}, "backorder_id": picking_id}
    )
    engine(env)[MOVE].write(move_ids, {"picking_id": backorder})
    reserve(engine(env), move_ids)
    return backorder
