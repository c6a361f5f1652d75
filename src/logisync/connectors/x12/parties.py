"""The N1 loop (N1 name and id, N3 street, N4 city/region/postal code/country), both ways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from logisync.connectors.x12.syntax import Segment
from logisync.connectors.x12.writer import SegmentData


@dataclass(frozen=True)
class NamedParty:
    role: str  # N101: BY buyer, ST ship to, SF ship from, BT bill to...
    name: str | None
    id: str | None
    address: dict[str, Any] | None


def read_parties(segments: list[Segment]) -> dict[str, NamedParty]:
    """The N1 loops among ``segments``, by role (the first of each role wins)."""
    parties: dict[str, NamedParty] = {}
    current: Segment | None = None
    address: dict[str, Any] = {}

    def close() -> None:
        if current is not None and current.get(1) not in parties:
            role = current.get(1)
            parties[role] = NamedParty(
                role, current.get(2) or None, current.get(4) or None, address or None
            )

    for segment in segments:
        if segment.tag == "N1":
            close()
            current, address = segment, {}
        elif current is None:
            continue
        elif segment.tag == "N3":
            address["street"] = segment.get(1) or None
            if segment.get(2):
                address["street2"] = segment.get(2)
        elif segment.tag == "N4":
            for key, element in (("city", 1), ("region", 2), ("postal_code", 3), ("country", 4)):
                if segment.get(element):
                    address[key] = segment.get(element)
        else:
            close()
            current = None
    close()
    return {role: _clean(party) for role, party in parties.items()}


def _clean(party: NamedParty) -> NamedParty:
    if party.address is None:
        return party
    return NamedParty(
        party.role, party.name, party.id, {k: v for k, v in party.address.items() if v}
    )


def party_segments(
    role: str, name: str | None, id_: str | None, address: dict[str, Any] | None
) -> list[SegmentData]:
    """N1 (with id qualifier 92, assigned by buyer, when there is an id), N3 and N4."""
    segments: list[SegmentData] = [["N1", role, name or id_ or role] + (["92", id_] if id_ else [])]
    if address:
        if address.get("street"):
            segments.append(["N3", address["street"], address.get("street2") or ""])
        fields = [address.get(k) or "" for k in ("city", "region", "postal_code", "country")]
        if any(fields):
            segments.append(["N4", *fields])
    return segments
