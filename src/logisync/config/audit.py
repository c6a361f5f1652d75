"""Configuration changes in the audit log: who started the hub with which configuration.

Every command that runs the hub from a configuration file records it when it differs from
the last one recorded: the whole configuration (secrets are references, never values, so it
can be kept), its hash, and which sections changed. Rules decide who may overwrite what, so
a changed ownership or flow must be traceable to a time and a person like any admin action.
"""

from __future__ import annotations

import getpass
import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from logisync.config.model import HubConfig
from logisync.core.clock import utc_text
from logisync.core.ports import AuditEntry, Store

ACTION = "config.changed"


def changed_sections(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """``systems.shop``, ``flows``, ``ownership.partner``... that differ between two configs."""
    if before is None:
        return ["(first configuration)"]
    changed: list[str] = []
    for section in sorted(set(before) | set(after)):
        old, new = before.get(section), after.get(section)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changed.extend(
                f"{section}.{name}"
                for name in sorted(set(old) | set(new))
                if old.get(name) != new.get(name)
            )
        else:
            changed.append(section)
    return changed


def record_config(
    store: Store, config: HubConfig, path: Path, command: str, now: datetime
) -> AuditEntry | None:
    """Audit ``config`` if it is not the configuration last recorded; return the entry."""
    document = config.model_dump(mode="json", by_alias=True)
    digest = hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()
    last = store.last_audit(ACTION)
    previous = last.detail if last is not None and last.detail else None
    if previous is not None and previous.get("sha256") == digest:
        return None
    sections = changed_sections(previous.get("config") if previous else None, document)
    entry = AuditEntry(
        at=utc_text(now),
        actor=f"cli:{getpass.getuser()}",
        action=ACTION,
        subject=f"config:{path}",
        reason=f"`logisync {command}` started with changes in {', '.join(sections)}",
        detail={"sha256": digest, "sections": sections, "config": document},
        origin="cli",
    )
    store.record_audit([entry])
    return entry
