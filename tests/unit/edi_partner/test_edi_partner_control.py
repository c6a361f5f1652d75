"""The control server on loopback and the ``edi_partner_sim`` pytest fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from logisync.testing.edi_partner import EdiPartnerSim, edi_partner


def test_the_control_server_changes_faults_live_and_tells_what_was_sent(tmp_path: Path) -> None:
    with edi_partner(inbox=tmp_path / "in", outbox=tmp_path / "out", seed=2, control=True) as sim:
        assert sim.url is not None
        with httpx.Client(base_url=sim.url, timeout=10) as client:
            plan = client.put("/__sim__/faults", json={"duplicate_rate": 1, "seed": 5})
            assert plan.status_code == 200 and plan.json()["duplicate_rate"] == 1
            assert sim.faults.duplicate_rate == 1

            dropped = client.post("/__sim__/drop", json={"kind": "invoice"}).json()
            assert [d["control"] for d in dropped] == [1, 1]
            assert dropped[0]["faults"] == ["duplicate"]

            sent = client.get("/__sim__/sent").json()
            assert [s["sha256"] for s in sent] == [s.digest for s in sim.records.sent]
            expected = client.get("/__sim__/expected").json()
            assert [e["event_type"] for e in expected] == ["invoice.created"]

            (tmp_path / "out").mkdir()
            (tmp_path / "out" / "x.x12").write_bytes(b"not x12")
            received = client.get("/__sim__/received").json()
            assert received["files_read"] == ["x.x12"] and received["unreadable"]

            assert client.post("/__sim__/advance", json={"seconds": 60}).status_code == 200
            assert client.get("/__sim__/clock").json()["now"] == sim.now().isoformat()


def test_the_control_server_refuses_bad_commands_with_what_is_wrong(tmp_path: Path) -> None:
    with edi_partner(inbox=tmp_path, control=True) as sim:
        assert sim.url is not None
        with httpx.Client(base_url=sim.url, timeout=10) as client:
            wrong = client.put("/__sim__/faults", json={"gap_rate": 2})
            assert (
                wrong.status_code == 422 and wrong.json()["problems"][0]["location"] == "/gap_rate"
            )
            way = client.put("/__sim__/faults", json={"malformations": ["garbled"]})
            assert way.status_code == 422 and "garbled" in way.json()["problems"][0]["message"]
            kind = client.post("/__sim__/drop", json={"kind": "catalogue"})
            assert kind.status_code == 400 and "catalogue" in kind.json()["detail"]
            fault = client.post("/__sim__/drop", json={"faults": ["lost"]})
            assert fault.status_code == 400 and "'lost' is not a fault" in fault.json()["detail"]
            assert client.post("/__sim__/advance", content=b"{").status_code == 400
        assert sim.records.sent == []


def test_the_fixture_starts_partners_dropping_into_the_tests_folders(
    edi_partner_sim: Callable[..., EdiPartnerSim], tmp_path: Path
) -> None:
    partner = edi_partner_sim(seed=1)
    (sent,) = partner.drop("carrier_status")
    assert (tmp_path / "edi-inbox" / sent.file).read_bytes() == sent.body
