"""axe-core (the copy pinned in a package, never fetched) finds nothing wrong on the sign-in page, the board on a
phone and at a desk, and every modal; touch targets are at least 44 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.board import ACTIVE, DAY, card, open_board
from tests.browser.board_api import BoardApi

pytestmark = pytest.mark.fresh_server  # fixed days and whole-store views: a server of each test's own

TAP = 44


def scene(api: BoardApi) -> str:
    """A paid, a part-paid, a conflicting and a cancelled charter, and a roster; the slug of the part-paid one."""
    maria = api.call("POST", "/api/people", {"name": "Maria Santos", "role": "captain"})
    api.call("POST", "/api/ships", {"name": "Osprey", "capacity": 12})
    sarah = api.book(DAY, "Sarah", "pm", phone="+1 555 0100", email="sarah@example.org", amount_due="900.00")["slug"]
    api.pay(sarah, "400.00")
    api.book(DAY, "Ann", "am", amount_due="300.00")
    api.pay(f"{DAY}-ann-am", "300.00")
    api.book(DAY, "Bo", "full", amount_due="1800.00")
    api.call("PUT", f"/api/events/{DAY}-ann-am/assignment", {"captain": maria["id"]})
    api.call("PUT", f"/api/events/{DAY}-bo-full/assignment", {"captain": maria["id"], "override_reason": "Leo at noon"})
    api.book("2031-06-15", "Cy", "sunset")
    api.call("POST", "/api/events/2031-06-15-cy-sunset/cancel", {"reason": "Weather"})
    return sarah


def test_the_sign_in_page_has_no_accessibility_violations(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_label("Admin password")).to_be_visible()

    assert_accessible(page)


def test_the_board_on_a_phone_has_no_violations_and_44_px_targets(browser: Browser, server: str, api: BoardApi) -> None:
    sarah = scene(api)
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server, is_mobile=True)
    page = context.new_page()
    open_board(page)
    card(page, sarah)
    page.get_by_role("button", name="Menu").click()

    assert_accessible(page)
    small = page.evaluate(f"""() => [...document.querySelectorAll(
          '#app button, #app a[href], #app input, #app select, #app summary')]
        .filter((el) => el.getClientRects().length && !el.closest('.skip'))
        .map((el) => [el.textContent.trim() || el.getAttribute('aria-label') || el.name, el.getBoundingClientRect()])
        .filter(([, box]) => box.height < {TAP} - 0.5).map(([name, box]) => `${{name}}: ${{box.height}}`)""")
    assert small == []
    context.close()


def test_the_board_at_a_desk_and_every_modal_have_no_violations(page: Page, api: BoardApi) -> None:
    sarah = scene(api)
    page.set_viewport_size({"width": 1440, "height": 900})
    open_board(page)
    opened = card(page, sarah)
    assert_accessible(page)

    for button, modal in (
        ("Log Payment", "#payment-modal"),
        ("Payments", "#history-modal"),
        ("Waivers", "#waivers-modal"),
        ("Assign", "#assign-modal"),
        ("Edit", "#event-modal"),
        ("Reschedule", "#change-modal"),
        ("Cancel charter…", "#change-modal"),
    ):
        opened.get_by_role("button", name=button).click()
        expect(page.locator(modal)).to_have_class(ACTIVE)
        page.locator(f"{modal} .modal-box").evaluate("box => box.getAnimations().forEach(a => a.finish())")
        if modal in ("#history-modal", "#waivers-modal"):
            expect(page.locator(f"{modal} [role=status]")).not_to_have_text("Loading…", timeout=5_000)
        assert_accessible(page)
        page.keyboard.press("Escape")

    page.get_by_role("button", name="New event").click()
    page.locator("#event-modal").get_by_role("button", name="Save").click()  # with its field errors showing
    assert_accessible(page)
    page.keyboard.press("Escape")
    for button, modal in (("Day view", "#day-modal"), ("Roster", "#roster-modal")):
        page.get_by_role("button", name=button).click()
        expect(page.locator(modal)).to_have_class(ACTIVE)
        expect(page.locator(f"{modal} .panel-body")).not_to_contain_text("Loading…")
        assert_accessible(page)
        page.keyboard.press("Escape")
    page.get_by_role("button", name="Roster").click()
    page.locator("#roster-modal").get_by_role("button", name="Schedule").first.click()
    expect(page.locator("#schedule-modal .panel-body")).not_to_contain_text("Loading…")
    assert_accessible(page)


def test_the_toast_and_a_filtered_search_have_no_violations(page: Page, api: BoardApi) -> None:
    sarah = scene(api)
    open_board(page)
    card(page, sarah).get_by_role("button", name="Send link again").click()
    expect(page.locator("#toast")).to_be_visible()
    page.get_by_role("button", name="Unpaid").click()
    page.get_by_label("Search by patron or slug").fill("sarah")

    assert_accessible(page)
