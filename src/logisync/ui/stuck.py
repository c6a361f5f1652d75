"""Orders per order-to-cash stage (``core.order_to_cash``) and the rules that call a business
transaction stuck.

One small module on purpose: the lead's SLA monitors (alerts) will be shown beside these, and
each rule here is a bounded set of store reads that any process can answer the same way.

- ``delivered_not_in_erp``: the carrier delivered a shipment, but its delivery to the ERP
  (Odoo) is still queued after ``delivered_not_in_erp_after``, or dead.
- ``dispatched_not_invoiced``: goods left (the order is shipped, or its shipment is with a
  carrier) longer than ``dispatched_not_invoiced_after`` ago, and no posted invoice names the
  order.
- ``dead_letter_blocks_order``: a dead letter of the order, or of one of its shipments or
  invoices, waits for a replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from logisync.core.clock import utc_text
from logisync.core.order_to_cash import STAGES, Stage
from logisync.core.ports import Projection, Store

_CODES = [stage.code for stage in STAGES]
DISPATCHED_NOT_INVOICED = tuple(_CODES[_CODES.index("dispatched") : _CODES.index("invoiced")])
"""Order-to-cash stages (``core.order_to_cash``) of an order gone from the warehouse and not
invoiced yet: read from the stage order, so a stage added on that stretch counts."""


@dataclass(frozen=True)
class StuckRules:
    erp_target: str = "odoo"
    delivered_not_in_erp_after: timedelta = timedelta(minutes=15)
    dispatched_not_invoiced_after: timedelta = timedelta(hours=2)
    limit: int = 50  # per rule: the longest-waiting first


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    orders: int
    oldest_since: str | None
    median_since: str | None


@dataclass(frozen=True)
class StuckTransaction:
    rule: str
    entity_key: str
    order: str | None
    since: str
    detail: str


def stage_rows(store: Store) -> list[StageRow]:
    """Every order-to-cash stage with how many orders are there (each order once, at its
    furthest stage) and since when the longest-waiting and the median one are."""
    counts = {count.stage: count for count in store.order_stages()}
    rows = []
    for stage in STAGES:
        count = counts.get(stage.code)
        if count is None:
            rows.append(StageRow(stage, 0, None, None))
        else:
            rows.append(StageRow(stage, count.orders, count.oldest_since, count.median_since))
    return rows


def find_stuck(store: Store, rules: StuckRules, now: datetime) -> list[StuckTransaction]:
    return [
        *_delivered_not_in_erp(store, rules, now),
        *_dispatched_not_invoiced(store, rules, now),
        *_dead_letters_blocking(store, rules),
    ]


def _delivered_not_in_erp(store: Store, rules: StuckRules, now: datetime) -> list[StuckTransaction]:
    before = utc_text(now - rules.delivered_not_in_erp_after)
    found = []
    for delivery in store.undelivered(
        rules.erp_target, "shipment", ["delivered"], before=before, limit=rules.limit
    ):
        projection = store.get_projection(delivery.entity_key)
        state = "is dead-lettered" if delivery.state == "dead" else f"is still {delivery.state}"
        found.append(
            StuckTransaction(
                "delivered_not_in_erp",
                delivery.entity_key,
                _order_of(projection),
                delivery.created_at,
                f"delivered at the carrier; delivery #{delivery.id} to {rules.erp_target} "
                f"{state} (routed {delivery.created_at})",
            )
        )
    return found


def _dispatched_not_invoiced(
    store: Store, rules: StuckRules, now: datetime
) -> list[StuckTransaction]:
    # An order at one of these stages has no posted or paid invoice (that would be a further
    # stage): order_stages, kept by the processing commit, answers the rule in one search.
    before = utc_text(now - rules.dispatched_not_invoiced_after)
    waiting = store.orders_at_stages(DISPATCHED_NOT_INVOICED, before=before, limit=rules.limit)
    return [
        StuckTransaction(
            "dispatched_not_invoiced",
            f"sales_order:{number}",
            number,
            since,
            f"dispatched since {since}; no posted invoice for order {number}",
        )
        for number, _stage, since in waiting
    ]


def _dead_letters_blocking(store: Store, rules: StuckRules) -> list[StuckTransaction]:
    found = []
    for delivery in store.deliveries_in_state("dead", limit=rules.limit):
        order = _order_of(store.get_projection(delivery.entity_key), delivery.entity_key)
        found.append(
            StuckTransaction(
                "dead_letter_blocks_order",
                delivery.entity_key,
                order,
                delivery.dead_at or delivery.created_at,
                f"delivery #{delivery.id} to {delivery.target} is dead: {delivery.last_error}",
            )
        )
    return found


def _order_of(projection: Projection | None, entity_key: str = "") -> str | None:
    if entity_key.startswith("sales_order:"):
        return entity_key.split(":", 1)[1]
    if projection is None:
        return None
    if projection.entity_key.startswith("sales_order:"):
        return projection.entity_key.split(":", 1)[1]
    number = projection.state.get("order_number")
    return None if number is None else str(number)
