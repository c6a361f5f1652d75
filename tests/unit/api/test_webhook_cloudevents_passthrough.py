"""The pass-through adapter: CloudEvents a system sends in its own name go on as they are."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from logisync.api.webhooks import VerifiedDelivery, adapter_for, cloudevents_passthrough
from logisync.model.envelope import parse_event

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def cloudevent(source: str = "wms", number: int = 1) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"evt-{number}",
        "source": source,
        "type": "stock.level_reported",
        "subject": "stock_level:WH1/SKU-1",
        "time": "2026-03-01T11:59:00Z",
        "data": {"sku": "SKU-1", "location": "WH1", "on_hand": {"value": "12", "unit": "C62"}},
    }


def delivered(body: object, content_type: str) -> VerifiedDelivery:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return VerifiedDelivery("wms", raw, {"content-type": content_type}, NOW)


def messages(adapted: Any) -> list[str]:
    return [str(problem) for problem in adapted.problems]


def test_one_cloudevent_is_passed_through_unchanged() -> None:
    adapted = cloudevents_passthrough(delivered(cloudevent(), "application/cloudevents+json"))
    assert adapted.events == [cloudevent()]
    assert adapted.problems == []


def test_the_drafts_are_what_the_intake_can_parse() -> None:
    adapted = cloudevents_passthrough(delivered(cloudevent(), "application/cloudevents+json"))
    assert parse_event(adapted.events[0]).source == "wms"


def test_a_batch_keeps_its_order_and_parameters_of_the_media_type_are_ignored() -> None:
    batch = [cloudevent(number=1), cloudevent(number=2)]
    content_type = "Application/CloudEvents-Batch+JSON; charset=utf-8"
    adapted = cloudevents_passthrough(delivered(batch, content_type))
    assert [event["id"] for event in adapted.events] == ["evt-1", "evt-2"]


def test_events_in_another_systems_name_are_refused_each_with_its_pointer() -> None:
    batch = [cloudevent(number=1), cloudevent("odoo", 2), "not an event", {"id": "x"}]
    adapted = cloudevents_passthrough(delivered(batch, "application/cloudevents-batch+json"))
    assert [event["id"] for event in adapted.events] == ["evt-1"]
    assert messages(adapted) == [
        "/1/source: source is 'odoo'; events delivered by wms must have source 'wms'",
        "/2: an event must be a JSON object",
        "/3/source: source is missing; events delivered by wms must have source 'wms'",
    ]


def test_a_single_event_from_elsewhere_is_refused() -> None:
    adapted = cloudevents_passthrough(delivered(cloudevent("shop"), "application/cloudevents+json"))
    assert adapted.events == []
    assert messages(adapted) == [
        "/source: source is 'shop'; events delivered by wms must have source 'wms'"
    ]


def test_a_body_that_is_not_a_cloudevent_says_what_to_send() -> None:
    adapted = cloudevents_passthrough(delivered({"orders": []}, "application/json"))
    assert messages(adapted) == [
        "'application/json' is not a CloudEvent: send application/cloudevents+json (one event) "
        "or application/cloudevents-batch+json (a JSON array), in structured mode"
    ]
    assert messages(cloudevents_passthrough(delivered(b"{}", "")))[0].startswith(
        "no content type is not a CloudEvent"
    )


def test_a_body_of_the_wrong_json_shape_or_not_json_is_refused() -> None:
    not_json = cloudevents_passthrough(delivered(b"{", "application/cloudevents+json"))
    assert messages(not_json)[0].startswith("the body is not JSON: ")
    array = cloudevents_passthrough(delivered([cloudevent()], "application/cloudevents+json"))
    assert messages(array) == ["application/cloudevents+json must be one JSON object"]
    one = cloudevents_passthrough(delivered(cloudevent(), "application/cloudevents-batch+json"))
    assert messages(one) == ["application/cloudevents-batch+json must be a JSON array of events"]


def test_kinds_without_their_own_adapter_use_the_passthrough() -> None:
    assert adapter_for("wms_http") is cloudevents_passthrough
