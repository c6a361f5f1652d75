"""Odoo's webhook notifications carry no signature: a token in the URL (or a header) stands in."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from logisync.api.webhooks import OdooTokenVerifier, WebhookRefused

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TOKEN = "k3Jx9-odoo-webhook-token"
NEW_TOKEN = "p8Qw2-rotated-odoo-token"


def odoo_body() -> bytes:
    """The body as ``ir.actions.server._run_action_webhook`` builds it (Odoo 17-19)."""
    vals = {"_model": "stock.picking", "_id": 7, "_action": "Notify hub(#31)"}
    vals.update(  # record.read(webhook fields, load=None)[0]
        {
            "id": 7,
            "state": "done",
            "partner_id": 12,
            "carrier_tracking_ref": False,
            "date_done": datetime(2026, 3, 1, 11, 58, 3),
            "scheduled_date": date(2026, 3, 1),
        }
    )
    return json.dumps(vals, sort_keys=True, default=str).encode()


ODOO_HEADERS = {"Content-Type": "application/json", "User-Agent": "python-requests/2.31.0"}


def refusal(check: OdooTokenVerifier, headers: dict[str, str], query: dict[str, str]) -> str:
    with pytest.raises(WebhookRefused) as refused:
        check.verify(headers, odoo_body(), NOW, query)
    return f"{refused.value.status} {refused.value.reason}"


def test_the_body_odoo_sends_looks_as_its_source_says() -> None:
    sent = json.loads(odoo_body())
    assert sent["_action"] == "Notify hub(#31)"
    assert sent["date_done"] == "2026-03-01 11:58:03"
    assert list(sent) == sorted(sent)


def test_the_token_in_the_query_is_accepted() -> None:
    delivery = OdooTokenVerifier("odoo", [TOKEN]).verify(
        ODOO_HEADERS, odoo_body(), NOW, {"token": TOKEN}
    )
    assert (delivery.outcome, delivery.delivery_id, delivery.signed_at) == ("accepted", None, None)
    assert delivery.headers["content-type"] == "application/json"
    assert delivery.body == odoo_body()


def test_the_token_in_a_header_is_accepted() -> None:
    headers = ODOO_HEADERS | {"x-logisync-token": TOKEN}
    assert OdooTokenVerifier("odoo", [TOKEN]).verify(headers, odoo_body(), NOW).outcome == (
        "accepted"
    )


def test_a_wrong_token_is_refused_saying_where_it_was() -> None:
    check = OdooTokenVerifier("odoo", [TOKEN])
    assert refusal(check, ODOO_HEADERS, {"token": TOKEN + "x"}) == (
        "401 the token in the query parameter token does not match any of the 1 configured secrets"
    )
    headers = ODOO_HEADERS | {"X-Logisync-Token": TOKEN[:-1]}
    assert refusal(check, headers, {}).startswith("401 the token in the header X-Logisync-Token")


def test_one_good_and_one_wrong_token_is_refused() -> None:
    headers = ODOO_HEADERS | {"X-Logisync-Token": "wrong"}
    reason = refusal(OdooTokenVerifier("odoo", [TOKEN]), headers, {"token": TOKEN})
    assert reason.startswith("401 the token in the header")


def test_no_token_at_all_says_how_to_give_one() -> None:
    assert refusal(OdooTokenVerifier("odoo", [TOKEN]), ODOO_HEADERS, {}) == (
        "401 no token was given; add ?token=<secret> to the Odoo action's Webhook URL or send "
        "the header X-Logisync-Token"
    )


def test_old_and_new_tokens_are_both_accepted_while_rotating() -> None:
    check = OdooTokenVerifier("odoo", [TOKEN, NEW_TOKEN])
    for token in (TOKEN, NEW_TOKEN):
        assert check.verify(ODOO_HEADERS, odoo_body(), NOW, {"token": token})


def test_only_the_configured_places_are_read() -> None:
    header_only = OdooTokenVerifier("odoo", [TOKEN], query_parameter=None, header="X-Token")
    reason = refusal(header_only, ODOO_HEADERS, {"token": TOKEN})
    assert reason == "401 no token was given; send the header X-Token"
    custom_query = OdooTokenVerifier("odoo", [TOKEN], query_parameter="key", header=None)
    assert custom_query.verify(ODOO_HEADERS, odoo_body(), NOW, {"key": TOKEN})


def test_an_odoo_replay_is_not_recognised_since_nothing_identifies_a_sending() -> None:
    check = OdooTokenVerifier("odoo", [TOKEN])
    twice = [check.verify(ODOO_HEADERS, odoo_body(), NOW, {"token": TOKEN}) for _ in range(2)]
    assert [delivery.outcome for delivery in twice] == ["accepted", "accepted"]
