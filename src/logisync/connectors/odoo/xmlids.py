"""External ids for the records the hub creates in Odoo.

Every record the hub writes is named ``<module>.<domain>_<business key>``, so a write is an
upsert by that name (Odoo's ``load``): retried after a timeout whose write was in fact
committed, it finds the record it made the first time instead of making a second one.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def xmlid_name(domain: str, key: str) -> str:
    """``shipment``, ``WH/OUT-1`` -> ``shipment_WH_OUT_1_<hash>``: Odoo-safe and still unique.

    Keys made only of letters, digits and ``_`` are used as they are; any other key gets a
    short hash of itself appended, so ``A-1`` and ``A_1`` never share a name.
    """
    safe = _UNSAFE.sub("_", key)
    if safe != key:
        safe = f"{safe}_{hashlib.sha256(key.encode()).hexdigest()[:8]}"
    return f"{domain}_{safe}"


def xmlid(module: str, domain: str, key: str) -> str:
    return f"{module}.{xmlid_name(domain, key)}"


def split_entity_key(entity_key: str) -> tuple[str, str]:
    """``shipment:WH-1`` -> (``shipment``, ``WH-1``)."""
    domain, _, key = entity_key.partition(":")
    return domain, key
