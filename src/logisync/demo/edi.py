"""The retailer that orders by EDI: its X12 850s into the hub's watched inbox, its 997s and
214s back out of the hub's outbox, and the master data Odoo holds for it.

The hub reads the inbox the way ``logisync worker`` does (``connectors.files.watched_folders``
with the X12 handler): each complete file is journaled, answered with a 997 and moved to
``processed/``; a file the partner sends twice under the same control number journals
nothing new. The partner also drops each file into the naive integration's queue, which
imports every file as it comes.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from logisync.config import HubConfig
from logisync.connectors.files import FileOutcome, WatchedFolder, watched_folders
from logisync.connectors.odoo import JsonRpc
from logisync.demo.config import EDI_PARTNER
from logisync.demo.tap import TappedPost
from logisync.store.sqlite import SqliteStore
from logisync.testing.edi_partner import (
    DocumentFactory,
    EdiPartner,
    EdiPartnerSim,
    FolderDrop,
    X12Writer,
)
from logisync.testing.edi_partner.records import SentInterchange

STORES = range(1, 40)  # the retailer's stores; its 850s name one as the buyer (N1 BY)
RESENT = "-resent"  # how the partner names the second copy of an interchange


def store_ref(number: int) -> str:
    return f"{EDI_PARTNER.partner_id[:3]}STORE{number:03d}"


def seed_master_data(odoo: JsonRpc, seed: int) -> None:
    """The retailer's stores as customers and its items as products: set up in Odoo when the
    retailer was onboarded, long before its first order (the 850 names both by their codes).
    The items are the partner simulator's catalogue for ``seed``, which it draws first."""
    catalogue = DocumentFactory(seed, prefix=EDI_PARTNER.partner_id[:3]).catalogue
    odoo.call(
        "product.product",
        "create",
        vals_list=[{"name": p.description, "default_code": p.sku} for p in catalogue],
    )
    odoo.call(
        "res.partner",
        "create",
        vals_list=[
            {"name": f"Acme Retail store {n}", "ref": store_ref(n), "is_company": True}
            for n in STORES
        ],
    )


class NaiveFeed:
    """The partner's second drop: the naive integration's folder, read as files arrive (a
    queue stands for the folder). Implements the simulator's ``Transport``."""

    def __init__(self, messages: queue.Queue[TappedPost]) -> None:
        self.messages = messages

    def send(self, name: str, body: bytes) -> str:
        self.messages.put(TappedPost(EDI_PARTNER.name, {"file": name}, body, 202, b""))
        return "file"


@dataclass
class EdiIntake:
    """The hub's watcher of the retailer's inbox, called from the hub's poller thread with
    that thread's store; keeps what became of every file."""

    config: HubConfig
    outcomes: list[FileOutcome] = field(default_factory=list)
    _folders: dict[int, list[WatchedFolder]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, store: SqliteStore) -> int:
        if id(store) not in self._folders:
            self._folders[id(store)] = watched_folders(self.config, store)
        done = [outcome for f in self._folders[id(store)] for outcome in f.scan_once()]
        with self._lock:
            self.outcomes.extend(done)
        return len(done)

    def files(self) -> list[FileOutcome]:
        with self._lock:
            return list(self.outcomes)


@dataclass
class EdiSide:
    """The running partner, the hub's intake of its files, and the orders it sent."""

    sim: EdiPartnerSim
    intake: EdiIntake
    inbox: Path
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)  # number -> 850 content

    def place_order(self, resend: bool = False) -> list[SentInterchange]:
        """One 850 in one interchange; ``resend``: the partner sends the file twice."""
        sent = self.sim.drop("purchase_order", faults=["duplicate"] if resend else [])
        for interchange in sent:
            for document in interchange.documents:
                self.orders[document.number] = document.content
        return sent

    def advance(self, seconds: float) -> None:
        self.sim.advance(seconds)
        self.sim.read_replies()

    def inbox_empty(self) -> bool:
        """The hub has read every complete file the partner dropped."""
        return not any(p.is_file() and not p.name.startswith(".") for p in self.inbox.glob("*"))

    def order(self, number: str) -> dict[str, Any] | None:
        return self.orders.get(number)


def edi_side(
    config: HubConfig, seed: int, naive: queue.Queue[TappedPost], start: datetime
) -> EdiSide:
    """The partner dropping into the configured inbox (and the naive feed), reading the
    configured outbox; the intake the hub's poller thread runs."""
    system = config.systems[EDI_PARTNER.name].settings
    inbox, outbox = Path(system["inbox"]), Path(system["outbox"])
    for folder in (inbox, outbox):
        folder.mkdir(parents=True, exist_ok=True)
    partner = EdiPartner(
        X12Writer(),
        [FolderDrop(inbox), NaiveFeed(naive)],
        seed=seed,
        identity=EDI_PARTNER,
        outbox=outbox,
        kinds=("purchase_order",),
        start=start,
    )
    return EdiSide(EdiPartnerSim(partner, None), EdiIntake(config), inbox)


@dataclass(frozen=True)
class EdiOutcome:
    """The retailer's side of the day, from its records and the hub's file outcomes."""

    interchanges: int  # distinct interchanges sent (by control number)
    resent: int  # second copies sent
    resent_absorbed: int  # of them, read by the hub with nothing new journaled
    failed_files: int  # files the hub refused (moved to failed/)
    accepted: int  # interchanges a 997 accepted
    unacknowledged: tuple[int, ...]  # control numbers no 997 answered
    rejected: tuple[int, ...]  # control numbers a 997 rejected
    statuses: frozenset[str]  # shipment numbers the hub sent a 214 about


def measure_edi(edi: EdiSide) -> EdiOutcome:
    edi.sim.read_replies()
    records = edi.sim.records
    controls = sorted({s.control for s in records.sent})
    copies = [s for s in records.sent if s.file.endswith(f"{RESENT}.x12")]
    files = edi.intake.files()
    verdicts = {c: records.acknowledgement_of(c) for c in controls}
    return EdiOutcome(
        interchanges=len(controls),
        resent=len(copies),
        resent_absorbed=_absorbed(files),
        failed_files=sum(1 for f in files if f.status == "failed"),
        accepted=sum(1 for v in verdicts.values() if v is not None and v.accepted),
        unacknowledged=tuple(records.unacknowledged()),
        rejected=tuple(c for c, v in verdicts.items() if v is not None and not v.accepted),
        statuses=frozenset(d.number for d in records.received if d.code == "214"),
    )


def _absorbed(files: list[FileOutcome]) -> int:
    """Copies of an interchange that journaled nothing new, where one copy journaled its
    facts (the hub may read the re-sent copy first: its name sorts first)."""
    by_interchange: dict[str, list[FileOutcome]] = {}
    for outcome in files:
        if outcome.status == "processed":
            stem = outcome.name.removesuffix(".x12").removesuffix(RESENT)
            by_interchange.setdefault(stem, []).append(outcome)
    absorbed = 0
    for copies in by_interchange.values():
        if len(copies) > 1 and sum(1 for f in copies if f.journaled) == 1:
            absorbed += sum(1 for f in copies if not f.journaled and f.already_known)
    return absorbed
