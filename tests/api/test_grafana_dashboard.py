"""deploy/grafana/logisync.json charts only metrics a running hub exports, so it cannot drift
from ``api/metrics.py``: every metric name in every panel query must appear in ``/metrics``."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from prometheus_client.parser import text_string_to_metric_families

from logisync.core.clock import ManualClock
from logisync.core.delivery.worker import DeliveryWorker
from logisync.core.ports import Breach
from logisync.core.processor import Processor
from logisync.core.rules import Flow, Rules

from .conftest import STRUCTURED, RunningHub, order
from .test_metrics import SlowAcknowledgingTarget

DASHBOARD = Path(__file__).parents[2] / "deploy" / "grafana" / "logisync.json"
METRIC = re.compile(r"\blogisync_[a-z0-9_]+")


def _queries(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["expr"]] if isinstance(node.get("expr"), str) else []
        return found + [q for value in node.values() for q in _queries(value)]
    if isinstance(node, list):
        return [q for item in node for q in _queries(item)]
    return []


def test_the_dashboard_is_an_importable_grafana_dashboard() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["title"] and dashboard["uid"] and dashboard["schemaVersion"] >= 30
    assert [i["pluginId"] for i in dashboard["__inputs"]] == ["prometheus"]
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
    for panel in panels:
        assert panel["targets"], panel["title"]
        assert set(panel["gridPos"]) == {"x", "y", "w", "h"}
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
    titles = " ".join(p["title"].lower() for p in panels)
    for subject in ("intake", "duplicates", "rejections", "lag", "queue", "in flight", "dead"):
        assert subject in titles or subject in " ".join(_queries(panels)), subject
    for subject in ("breaker", "latency", "alerts"):
        assert subject in titles


def test_every_metric_the_dashboard_queries_is_exported(running: RunningHub) -> None:
    token, _ = running.key()
    with running.client(token) as client:  # every counter moved once
        for n in range(2):
            client.post(
                "/v1/events", content=orjson.dumps(order(f"SO{n}", f"e{n}")), headers=STRUCTURED
            )
        client.post("/v1/events", content=orjson.dumps(order("SO0", "e0")), headers=STRUCTURED)
        client.post(
            "/v1/events", content=orjson.dumps(order("SO9", "e9", time="never")), headers=STRUCTURED
        )
    Processor(
        running.store, Rules(flows=(Flow("o", ("sales_order.*",), "odoo", "state"),))
    ).run_until_idle()
    DeliveryWorker(
        running.store,
        {"odoo": SlowAcknowledgingTarget()},
        clock=ManualClock(datetime.now(UTC) + timedelta(seconds=2)),
    ).run_until_idle()
    running.store.record_alerts(["late"], [Breach("late", "shipment:S1", "")], ManualClock().now())
    with running.client() as client:
        text = client.get("/metrics").text
    exported = {
        sample.name for family in text_string_to_metric_families(text) for sample in family.samples
    }
    queried = {
        name
        for query in _queries(json.loads(DASHBOARD.read_text()))
        for name in METRIC.findall(query)
    }
    assert queried, "the dashboard queries no logisync metric"
    assert queried <= exported, f"not exported: {sorted(queried - exported)}"
