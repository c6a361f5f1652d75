"""The dashboard in a real browser: Playwright driving Debian's Chromium (headless).

The scenario from the issue: log in, see the stuck order, open its timeline, replay its dead
letter and see it delivered. And a steward's accept: the shop's value applied and sent to Odoo.
Screenshots of each step go to ``tests/browser/artifacts/`` (kept by CI as test artefacts,
ignored by git)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .hub_day import CUSTOMER, ORDER, PASSWORD, RENAMED, HubDay

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed: apt-get install -y chromium (make test does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_operator_finds_the_stuck_order_and_replays_it_to_delivered(
    hub_day: HubDay, page: Page
) -> None:
    page.goto(f"{hub_day.url}/ui/business")
    expect(page).to_have_url(f"{hub_day.url}/ui/login?next=/ui/business")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", PASSWORD)
    shot(page, "1-login")
    page.click("button[type=submit]")

    # the stuck order: delivered at the carrier, dead-lettered on its way to Odoo
    expect(page).to_have_url(f"{hub_day.url}/ui/business")
    stuck = page.locator("#stuck tr[data-rule=delivered_not_in_erp]")
    expect(stuck).to_have_count(1)
    expect(stuck).to_contain_text(ORDER)
    expect(stuck).to_contain_text("dead-lettered")
    expect(page.locator("#stuck tr[data-rule=dead_letter_blocks_order]")).to_contain_text(ORDER)
    shot(page, "2-stuck-order")

    # its timeline across systems, found from the order number
    stuck.get_by_role("link", name="timeline").click()
    expect(page.locator("#trace-title")).to_contain_text("order-SO1")
    timeline = page.locator("#timeline")
    for system in ("shop", "odoo", "ups"):
        expect(timeline.locator("td", has_text=system).first).to_be_visible()
    expect(timeline.locator("tr[data-kind='delivery.dead_lettered']")).to_have_count(1)
    expect(timeline.locator("tr[data-kind='delivery.delivered']")).to_have_count(2)
    shot(page, "3-timeline")

    # replay the dead letter (Odoo has recovered), then let the delivery worker run
    page.get_by_role("link", name="Dead letters").click()
    row = page.locator("#dead-letters tr[data-delivery]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("refused by the target")
    shot(page, "4-dead-letter")
    row.get_by_role("button", name="Replay").click()
    expect(page.locator("#done")).to_have_text("replayed 1")
    expect(page.locator("#dead-letters")).to_contain_text("No dead letters.")
    hub_day.deliver()

    # delivered: in the timeline, and the order is no longer stuck on its way to Odoo (only
    # its invoice is still missing)
    page.goto(f"{hub_day.url}/ui/timeline?q={ORDER}")
    expect(page.locator("#timeline tr[data-kind='delivery.delivered']")).to_have_count(3)
    shot(page, "5-delivered")
    page.goto(f"{hub_day.url}/ui/business")
    rules = page.locator("#stuck tr[data-rule]")
    expect(rules).to_have_count(1)
    expect(rules).to_have_attribute("data-rule", "dispatched_not_invoiced")
    shot(page, "6-only-the-invoice-missing")
    assert "ups:scan-SH1-3" in hub_day.target.applied


def test_flow_health_refreshes_its_panel_with_htmx(hub_day: HubDay, page: Page) -> None:
    page.goto(f"{hub_day.url}/ui/login")
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{hub_day.url}/ui/flows")
    expect(page.locator("#targets tr[data-target=odoo]")).to_contain_text("1")
    [dead] = hub_day.store.deliveries_in_state("dead")
    hub_day.store.replay_dead_letter(
        dead.id, current=False, actor="test", reason="", now=datetime.now(UTC)
    )
    hub_day.deliver()
    with page.expect_response(lambda r: "/ui/panels/flows" in r.url, timeout=15_000):
        pass  # the panel polls every 5 s
    expect(page.locator("#targets tr[data-target=odoo] td").nth(9)).to_have_text("0")
    shot(page, "7-flow-health")


def test_a_steward_accepts_the_shop_s_value_and_sees_it_applied_and_sent_to_odoo(
    hub_day: HubDay, page: Page
) -> None:
    page.goto(f"{hub_day.url}/ui/login")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{hub_day.url}/ui/conflicts")
    expect(page.locator(".note").first).to_contain_text("Accept applies the value")
    row = page.locator("#conflicts tr[data-conflict]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(RENAMED)
    row.locator("input[name=reason]").fill("the customer married")
    shot(page, "8-conflict")
    row.get_by_role("button", name="Accept").click()
    expect(page.locator("#done")).to_contain_text("is journaled for " + CUSTOMER)
    expect(page.locator("#conflicts")).to_contain_text("No open conflicts.")
    hub_day.process()  # the hub's processor applies the steward's decision

    page.locator("#decided-entity").click()
    expect(page.locator("#trace-title")).to_contain_text(CUSTOMER)
    timeline = page.locator("#timeline")
    expect(timeline.locator("tr[data-kind='event.received']", has_text="steward")).to_have_count(1)
    expect(timeline.locator("tr[data-kind='event.processed']").last).to_contain_text(RENAMED)
    created = timeline.locator("tr[data-kind='delivery.created']")
    expect(created).to_have_count(1)
    expect(created).to_contain_text("shop customers to odoo")
    decided = page.locator("#entity-conflicts tr[data-state=accepted]")
    expect(decided).to_contain_text("user:operator")
    shot(page, "9-accepted")

    hub_day.deliver()
    page.reload()
    expect(page.locator("#timeline tr[data-kind='delivery.delivered']")).to_have_count(1)
    projection = hub_day.store.get_projection(CUSTOMER)
    assert projection is not None and projection.state["name"] == RENAMED
