"""The dashboard over plain HTTP (no browser): logins, roles, CSRF refusals, masking, audit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import pytest

from logisync.core.accounts import new_user
from logisync.core.journal import Journal
from logisync.core.ports import AuditEntry
from logisync.model import new_event

from .hub_day import CORRELATION, CUSTOMER, PASSWORD, RENAMED, STREET, HubDay

PAGES = ["/ui/flows", "/ui/business", "/ui/dead-letters", "/ui/conflicts", "/ui/timeline"]


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def log_in(client: httpx.Client, **fields: str) -> httpx.Response:
    form = client.get("/ui/login")
    assert form.status_code == 200
    return client.post(
        "/ui/login", data={"csrf": csrf_of(form.text), "next": "/ui/business", **fields}
    )


@contextmanager
def session(day: HubDay, role: str) -> Iterator[httpx.Client]:
    with day.client() as client:
        answer = log_in(client, username=role, password=PASSWORD)
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/ui/business"
        yield client


def actions(day: HubDay, action: str) -> list[AuditEntry]:
    return [e for e in day.store.audit_log(1000) if e.action == action]


# -- login -----------------------------------------------------------------------------------
def test_every_page_sends_a_stranger_to_the_login(hub_day: HubDay) -> None:
    with hub_day.client() as client:
        for page in [*PAGES, "/ui/audit"]:
            answer = client.get(page)
            assert answer.status_code == 303, page
            assert answer.headers["location"].startswith("/ui/login?next=")
        htmx = client.get("/ui/panels/flows", headers={"HX-Request": "true"})
        assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/ui/login")


def test_a_session_cookie_is_httponly_and_samesite_lax(hub_day: HubDay) -> None:
    with hub_day.client() as client:
        answer = log_in(client, username="viewer", password=PASSWORD)
    cookie = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and "session" in v
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/ui" in cookie
    assert "Secure" not in cookie  # the test hub says secure_cookies=False
    assert [e.actor for e in actions(hub_day, "ui.login")] == ["user:viewer"]


@pytest.mark.parametrize(
    ("fields", "actor", "why"),
    [
        ({"username": "viewer", "password": "wrong password!"}, "user:viewer", "wrong password"),
        ({"username": "nobody", "password": PASSWORD}, "user:nobody", "no such user"),
        ({"api_key": "lsk_000000000000_nope"}, "key:000000000000", "no API key"),
    ],
)
def test_a_failed_login_is_refused_and_audited(
    hub_day: HubDay, fields: dict[str, str], actor: str, why: str
) -> None:
    with hub_day.client() as client:
        answer = log_in(client, **fields)
        assert answer.status_code == 401
        assert "The login failed" in answer.text
        assert client.get("/ui/flows").status_code == 303  # still not logged in
    [refusal] = actions(hub_day, "ui.login_refused")
    assert refusal.actor == actor and why in refusal.reason
    assert refusal.origin == "127.0.0.1"


def test_a_disabled_account_cannot_log_in_and_its_session_ends(hub_day: HubDay) -> None:
    with session(hub_day, "operator") as client:
        assert client.get("/ui/flows").status_code == 200
        user = hub_day.store.dashboard_user("operator")
        assert user is not None
        audit = AuditEntry(
            "2026-11-23T00:00:00Z", "test", "user.disable", "user:operator", "", None
        )
        hub_day.store.save_dashboard_user(replace(user, disabled_at="2026-11-23T00:00:00Z"), audit)
        assert client.get("/ui/flows").status_code == 303
        assert log_in(client, username="operator", password=PASSWORD).status_code == 401


def test_a_login_without_the_login_forms_token_is_refused(hub_day: HubDay) -> None:
    with hub_day.client() as client:
        client.get("/ui/login")
        answer = client.post("/ui/login", data={"username": "viewer", "password": PASSWORD})
    assert answer.status_code == 403
    assert "login CSRF" in actions(hub_day, "ui.login_refused")[0].reason


def test_api_keys_log_in_with_the_role_their_scopes_map_to(hub_day: HubDay) -> None:
    for role in ("viewer", "admin"):
        with hub_day.client() as client:
            assert log_in(client, api_key=hub_day.keys[role]).status_code == 303
            page = client.get("/ui/flows")
            assert f"({role})" in page.text
            assert (client.get("/ui/audit").status_code == 200) is (role == "admin")
    with hub_day.client() as client:
        assert log_in(client, api_key=hub_day.keys["sender"]).status_code == 401


# -- roles and CSRF --------------------------------------------------------------------------
def test_the_audit_log_is_for_admins_only(hub_day: HubDay) -> None:
    for role, status in (("viewer", 403), ("operator", 403), ("admin", 200)):
        with session(hub_day, role) as client:
            answer = client.get("/ui/audit")
            assert answer.status_code == status, role
    with session(hub_day, "admin") as client:
        assert "ui.login" in client.get("/ui/audit").text


def test_a_viewer_may_not_replay_nor_decide(hub_day: HubDay) -> None:
    [dead] = hub_day.store.deliveries_in_state("dead")
    [conflict] = hub_day.store.open_conflicts()
    with session(hub_day, "viewer") as client:
        page = client.get("/ui/dead-letters")
        assert "Replay" not in page.text
        token = csrf_of(client.get("/ui/flows").text)
        replay = client.post("/ui/dead-letters/replay", data={"csrf": token, "id": str(dead.id)})
        decide = client.post(
            f"/ui/conflicts/{conflict.id}/decide", data={"csrf": token, "decision": "reject"}
        )
    assert replay.status_code == 403 and decide.status_code == 403
    assert hub_day.store.deliveries_in_state("dead") == [dead]
    assert len(hub_day.store.open_conflicts()) == 1


def test_every_action_without_its_csrf_token_is_refused_and_audited(hub_day: HubDay) -> None:
    [dead] = hub_day.store.deliveries_in_state("dead")
    [conflict] = hub_day.store.open_conflicts()
    with session(hub_day, "operator") as client:
        posts = [
            ("/ui/dead-letters/replay", {"id": str(dead.id)}),
            (f"/ui/conflicts/{conflict.id}/decide", {"decision": "accept"}),
            ("/ui/logout", {}),
        ]
        for path, form in posts:
            assert client.post(path, data=form).status_code == 403, path
            wrong = client.post(path, data={**form, "csrf": "forged"})
            assert wrong.status_code == 403, path
            header = client.post(path, data=form, headers={"X-CSRF-Token": "forged"})
            assert header.status_code == 403, path
    assert len(actions(hub_day, "ui.csrf_refused")) == 9
    assert hub_day.store.deliveries_in_state("dead") == [dead]
    assert len(hub_day.store.open_conflicts()) == 1


def test_an_operator_replays_with_the_csrf_header_as_htmx_sends_it(hub_day: HubDay) -> None:
    [dead] = hub_day.store.deliveries_in_state("dead")
    with session(hub_day, "operator") as client:
        token = csrf_of(client.get("/ui/dead-letters").text)
        answer = client.post(
            "/ui/dead-letters/replay",
            data={"id": str(dead.id), "reason": "Odoo fixed"},
            headers={"X-CSRF-Token": token},
        )
    assert answer.status_code == 303 and "replayed+1" in answer.headers["location"]
    [entry] = actions(hub_day, "dlq.replay")
    assert (entry.actor, entry.reason, entry.origin) == ("user:operator", "Odoo fixed", "127.0.0.1")
    hub_day.deliver()
    assert hub_day.store.deliveries_in_state("dead") == []
    assert "ups:scan-SH1-3" in hub_day.target.applied


def test_a_steward_rejects_a_conflict_and_it_is_audited(hub_day: HubDay) -> None:
    [conflict] = hub_day.store.open_conflicts()
    with session(hub_day, "operator") as client:
        token = csrf_of(client.get("/ui/conflicts").text)
        answer = client.post(
            f"/ui/conflicts/{conflict.id}/decide",
            data={"csrf": token, "decision": "reject", "reason": "Odoo is right"},
        )
        assert answer.status_code == 303
        again = client.post(
            f"/ui/conflicts/{conflict.id}/decide", data={"csrf": token, "decision": "accept"}
        )
        assert again.status_code == 409
    assert hub_day.store.open_conflicts() == []
    [entry] = actions(hub_day, "conflict.reject")
    assert (entry.actor, entry.reason) == ("user:operator", "Odoo is right")


def test_a_steward_accepts_a_conflict_and_the_value_is_applied_and_sent_on(
    hub_day: HubDay,
) -> None:
    [conflict] = hub_day.store.open_conflicts()
    with session(hub_day, "operator") as client:
        page = client.get("/ui/conflicts").text
        assert "Accept applies the value" in page
        answer = client.post(
            f"/ui/conflicts/{conflict.id}/decide",
            data={"csrf": csrf_of(page), "decision": "accept", "reason": "customer married"},
        )
        assert answer.status_code == 303
        done = client.get(answer.headers["location"]).text
        assert f"conflict-{conflict.id}-accepted is journaled for {CUSTOMER}" in done
        assert f"/ui/timeline?entity={quote(CUSTOMER)}" in done
        hub_day.process()
        timeline = client.get("/ui/timeline", params={"entity": CUSTOMER}).text
    projection = hub_day.store.get_projection(CUSTOMER)
    assert projection is not None and projection.state["name"] == RENAMED
    assert projection.provenance["name"]["system"] == "steward"
    [delivery] = hub_day.store.deliveries(entity_key=CUSTOMER)
    assert (delivery.target, delivery.event_id) == ("odoo", f"conflict-{conflict.id}-accepted")
    assert 'data-kind="delivery.created"' in timeline
    assert 'data-state="accepted"' in timeline and "user:operator" in timeline
    [entry] = actions(hub_day, "conflict.accept")
    assert (entry.actor, entry.reason) == ("user:operator", "customer married")
    hub_day.deliver()
    [delivered] = hub_day.store.deliveries(entity_key=CUSTOMER)
    assert delivered.state == "delivered"


def test_accepting_a_value_the_owner_changed_since_is_refused(hub_day: HubDay) -> None:
    [conflict] = hub_day.store.open_conflicts()
    newer = new_event(
        "partner.changed",
        {"ref": "C1", "name": "Alice Durand"},
        source="odoo",
        id="odoo-rename",
        time="2026-11-23T09:30:00Z",
    )
    Journal(hub_day.store).append([newer])
    hub_day.process()
    with session(hub_day, "operator") as client:
        token = csrf_of(client.get("/ui/conflicts").text)
        answer = client.post(
            f"/ui/conflicts/{conflict.id}/decide", data={"csrf": token, "decision": "accept"}
        )
    assert answer.status_code == 409
    assert "changed after shop proposed" in answer.text and "Alice Durand" in answer.text
    assert [c.id for c in hub_day.store.open_conflicts()] == [conflict.id]
    assert hub_day.store.deliveries(entity_key=CUSTOMER) == []
    assert actions(hub_day, "conflict.accept") == []


# -- masking ---------------------------------------------------------------------------------
def test_personal_data_is_masked_for_viewers_and_shown_to_operators(hub_day: HubDay) -> None:
    timeline = f"/ui/timeline?q={CORRELATION}"
    with session(hub_day, "viewer") as client:
        seen = client.get(timeline).text + client.get("/ui/conflicts").text
    assert "sales_order.placed" in seen
    assert STREET not in seen and "Alice Martin" not in seen
    with session(hub_day, "operator") as client:
        seen = client.get(timeline).text + client.get("/ui/conflicts").text
    assert STREET in seen and "Alice Martin-Durand" in seen


# -- pages -----------------------------------------------------------------------------------
def test_the_business_view_shows_the_stuck_order(hub_day: HubDay) -> None:
    with session(hub_day, "viewer") as client:
        page = client.get("/ui/business").text
    assert 'data-rule="delivered_not_in_erp"' in page
    assert 'data-rule="dead_letter_blocks_order"' in page
    assert "shipment:SH1" in page and "/ui/timeline?q=SO1" in page


def test_flow_health_shows_sources_and_targets_with_sparklines(hub_day: HubDay) -> None:
    with session(hub_day, "viewer") as client:
        page = client.get("/ui/flows").text
        panel = client.get("/ui/panels/flows", headers={"HX-Request": "true"}).text
    assert page.count("<svg") >= 5  # 3 sources, the target's delivered and retries
    assert 'data-target="odoo"' in page and "<html" not in panel
    assert re.search(r"<td>ups</td><td class=\"num\">3</td>", page), page


def test_a_new_account_logs_in_with_its_role(hub_day: HubDay) -> None:
    audit = AuditEntry("2026-11-23T00:00:00Z", "test", "user.create", "user:zoe", "", None)
    hub_day.store.save_dashboard_user(
        new_user("zoe", "admin", "another long password", datetime.now(UTC)), audit
    )
    with hub_day.client() as client:
        assert log_in(client, username="zoe", password="another long password").status_code == 303
