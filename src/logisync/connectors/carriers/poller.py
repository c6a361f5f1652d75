"""Poll the carriers that do not push (or whose pushes were missed) for active shipments.

The shipments to follow are read from the projections (``Store.projections_of("shipment")``):
those with a carrier the hub has an endpoint for, a tracking number (the shipment's and each
package's), and a status that is not terminal (delivered, returned, cancelled). Each number is
fetched over the injected ``httpx.Client``, at most at the carrier's rate (a token bucket, the
same policy object the delivery worker uses), parsed, and journaled as milestone events under
the shipment the crosswalk links the number to. The dispatch time is the "not before": scans of
an earlier parcel that used the same number are dropped and counted.

The events' ids are content hashes shared with the webhook adapters, so a scan seen by both
paths is one journal entry (``already_known`` in the report).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from logisync.connectors.carriers.code_tables import CARRIERS, Carrier
from logisync.connectors.carriers.events import attach_subjects, draft_events
from logisync.connectors.carriers.tracking_numbers import compact
from logisync.connectors.carriers.tracking_requests import PARSERS, tracking_request
from logisync.core.clock import Clock, SystemClock
from logisync.core.delivery.rate_limit import BucketState, TokenBucket
from logisync.core.journal import Journal
from logisync.core.ports import Store

TERMINAL = frozenset({"delivered", "returned_to_sender", "cancelled"})


@dataclass(frozen=True)
class CarrierEndpoint:
    """Where and how fast to ask one carrier; ``source`` is the carrier system's name."""

    carrier: Carrier
    base_url: str
    source: str
    rate: TokenBucket | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ActiveShipment:
    carrier: Carrier
    tracking_number: str
    shipment_key: str
    not_before: datetime | None = None


@dataclass
class TrackingPollReport:
    polled: int = 0
    journaled: int = 0
    already_known: int = 0
    before_ship_date: int = 0
    not_found: int = 0
    answered_already: int = 0
    refused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class TrackingPoller:
    def __init__(
        self,
        store: Store,
        endpoints: Mapping[Carrier, CarrierEndpoint],
        client: httpx.Client,
        *,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
        journal: Journal | None = None,
        page: int = 500,
    ) -> None:
        self._store = store
        self._endpoints = dict(endpoints)
        self._client = client
        self._clock = clock or SystemClock()
        self._sleep = sleep
        self._journal = journal or Journal(store, self._clock)
        self._page = page
        self._buckets: dict[Carrier, BucketState] = {}

    def active_shipments(self) -> list[ActiveShipment]:
        """The (carrier, tracking number) pairs worth asking about, each once."""
        seen: set[tuple[str, str]] = set()
        active = []
        for key, state in self._shipment_states():
            carrier = _carrier_of(state.get("carrier"))
            status = state.get("status")
            milestone = status.get("milestone") if isinstance(status, dict) else None
            if carrier is None or carrier not in self._endpoints or milestone in TERMINAL:
                continue
            not_before = _aware(state.get("dispatched_at"))
            for number in _tracking_numbers(state):
                if (carrier, number) not in seen:
                    seen.add((carrier, number))
                    active.append(ActiveShipment(carrier, number, key, not_before))
        return active

    def poll_once(self) -> TrackingPollReport:
        report = TrackingPollReport()
        active = self.active_shipments()
        owners: dict[tuple[str, str], str] = {
            (a.carrier, a.tracking_number): a.shipment_key for a in active
        }
        # A shipment's answer often lists its packages too (DHL pieceIds, UPS packages): a
        # number already answered for in this poll is not asked about again.
        answered: set[tuple[str, str]] = set()
        for shipment in active:
            if (shipment.carrier, shipment.tracking_number) in answered:
                report.answered_already += 1
                continue
            answered |= self._poll(shipment, owners, report)
        return report

    def _poll(
        self,
        shipment: ActiveShipment,
        owners: Mapping[tuple[str, str], str],
        report: TrackingPollReport,
    ) -> set[tuple[str, str]]:
        """Ask about one number and journal the answer; return the numbers it answered for."""
        endpoint = self._endpoints[shipment.carrier]
        self._wait_for_token(endpoint)
        request = tracking_request(
            self._client, endpoint.carrier, endpoint.base_url, shipment.tracking_number
        )
        request.headers.update(endpoint.headers)
        report.polled += 1
        where = f"{endpoint.source} {shipment.tracking_number}"
        try:
            response = self._client.send(request)
        except httpx.HTTPError as error:
            report.failed.append(f"{where}: {type(error).__name__}: {error}")
            return set()
        if response.status_code == 404:
            report.not_found += 1  # not scanned yet, or purged (UPS keeps 120 days)
            return set()
        if response.status_code >= 400:
            report.failed.append(f"{where}: HTTP {response.status_code}")
            return set()
        parsed = PARSERS[endpoint.carrier](response.content)
        drafted = draft_events(parsed, endpoint.source, not_before=shipment.not_before)
        report.before_ship_date += drafted.before_ship_date
        report.refused.extend(f"{where}: {problem}" for problem in drafted.problems)

        # The crosswalk first; failing that, the shipment whose state names the number; and
        # failing that, the shipment this answer is about (a DHL answer lists the pieces of
        # the shipment asked about, under piece ids no other system has named yet).
        def resolve(system: str, number: str) -> str | None:
            return (
                self._store.resolve(system, number)
                or owners.get((system, number))
                or shipment.shipment_key
            )

        events = attach_subjects(drafted.events, resolve)
        for event, submission in zip(events, self._journal.submit(events), strict=True):
            if submission.error is not None:
                report.refused.append(f"{where}: {event['id']}: {submission.error}")
            elif submission.result is not None and submission.result.duplicate:
                report.already_known += 1
            else:
                report.journaled += 1
        return {(scan.carrier, scan.tracking_number) for scan in parsed.scans}

    def _wait_for_token(self, endpoint: CarrierEndpoint) -> None:
        bucket = endpoint.rate
        if bucket is None:
            return
        while True:
            now = self._clock.now()
            state = self._buckets.get(endpoint.carrier) or bucket.full(now)
            granted, wait, self._buckets[endpoint.carrier] = bucket.take(state, now, 1)
            if granted:
                return
            self._sleep(wait)

    def _shipment_states(self) -> Iterator[tuple[str, dict[str, object]]]:
        after = ""
        while True:
            page = self._store.projections_of("shipment", after=after, limit=self._page)
            for projection in page:
                yield projection.entity_key, projection.state
            if len(page) < self._page:
                return
            after = page[-1].entity_key


def _carrier_of(value: object) -> Carrier | None:
    """``UPS``, ``fedex_ground``, ``DHL Express`` -> the carrier whose name it starts with."""
    if not isinstance(value, str):
        return None
    name = value.strip().lower()
    return next((c for c in CARRIERS if name.startswith(c)), None)


def _tracking_numbers(state: Mapping[str, object]) -> list[str]:
    numbers = [state.get("tracking_number")]
    packages = state.get("packages")
    if isinstance(packages, list):
        numbers += [p.get("tracking_number") for p in packages if isinstance(p, dict)]
    return [compact(n) for n in numbers if isinstance(n, str) and n.strip()]


def _aware(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
