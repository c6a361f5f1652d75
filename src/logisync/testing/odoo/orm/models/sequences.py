"""Document numbers (Odoo's ``ir.sequence``): "S00001", "WH/OUT/00001".

Like Odoo's default "standard" sequences (PostgreSQL sequences), a number is never handed
out twice, even by a transaction that was rolled back, so numbers may have gaps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env

NEW = "New"
"""The placeholder name of a record whose number is not assigned yet."""


def next_number(env: Env, code: str, prefix: str, padding: int = 5) -> str:
    number = env.store.next_value(f"sequence:{code}")
    return f"{prefix}{number:0{padding}d}"
