"""The dispatcher's day: an agenda that fits a phone and a desk, stays current by itself, and edits, cancels and
moves charters from the board, confirming each action where the eye is."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.board import ACTIVE, DAY, POLL, card, open_board, row, sign_in
from tests.browser.board_api import BoardApi

pytestmark = pytest.mark.fresh_server  # fixed days and whole-store views: a server of each test's own

SOON = date.today() + timedelta(days=5)  # guests can sign until the charter is over, on the server's real clock
NAMES = ["Ada", "Bea", "Cy", "Di", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lou"]


def book_twelve_over_two_days(api: BoardApi) -> None:
    for number, name in enumerate(NAMES):
        day = "2031-06-14" if number < 6 else "2031-06-15"
        event = api.book(
            day,
            name,
            ["am", "pm", "sunset"][number % 3],
            last_name=f"{name}son",
            phone=f"+1 555 01{number:02d}",
            amount_due="900.00",
            party_size=6,
        )
        if number % 4 == 0:
            api.pay(event["slug"], "900.00")


def rows_fully_visible(page: Page) -> int:
    return int(
        page.evaluate("""() => {
        const top = document.querySelector('.bar').getBoundingClientRect().bottom;
        return [...document.querySelectorAll('.charter')].filter((row) => {
          const box = row.getBoundingClientRect();
          return box.height > 0 && box.top >= top && box.bottom <= window.innerHeight;
        }).length;
    }""")
    )


def test_six_charters_fit_in_the_first_phone_screen(browser: Browser, server: str, api: BoardApi) -> None:
    book_twelve_over_two_days(api)
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server, is_mobile=True)
    page = context.new_page()

    open_board(page)

    assert rows_fully_visible(page) >= 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_twelve_charters_fit_in_the_first_desk_screen(browser: Browser, server: str, api: BoardApi) -> None:
    book_twelve_over_two_days(api)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=server)
    page = context.new_page()

    open_board(page)

    assert rows_fully_visible(page) >= 12
    context.close()


def test_a_row_shows_start_time_patron_phone_party_waivers_balance_and_badges(page: Page, api: BoardApi) -> None:
    api.book(DAY, "Sarah", "sunset", phone="+1 555 0100", amount_due="900.00", party_size=8)
    api.pay(f"{DAY}-sarah-sunset", "400.00")
    open_board(page)

    sarah = row(page, f"{DAY}-sarah-sunset")

    expect(sarah.locator(".time")).to_have_text("18:00Sunset")
    expect(sarah.get_by_role("link", name="+1 555 0100")).to_have_attribute("href", "tel:+15550100")
    expect(sarah.locator(".facts")).to_contain_text("8 guests")
    expect(sarah.locator(".waivers")).to_have_text("waivers 0/8")
    expect(sarah.locator(".money-state")).to_have_text("$500.00 due")
    expect(sarah.locator(".tag")).to_have_text(["Part paid", "Waivers missing"])


def test_a_signature_posted_over_http_shows_on_the_open_board_at_its_next_poll(page: Page, api: BoardApi) -> None:
    slug = api.book(SOON.isoformat(), "Sarah", party_size=6)["slug"]
    page.clock.install()  # the page's timers, run on by the test: the next poll without waiting for it
    open_board(page, (SOON - timedelta(days=1)).isoformat(), (SOON + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="New event").click()
    page.locator("#event-modal").get_by_label("Notes").fill("typed while the board polls")
    expect(row(page, slug).locator(".waivers")).to_have_text("waivers 0/6")

    api.sign(slug, "Ana Lima")
    page.clock.run_for(POLL)

    expect(row(page, slug).locator(".waivers")).to_have_text("waivers 1/6")
    expect(page.locator("#event-modal")).to_have_class(ACTIVE)
    expect(page.locator("#event-modal").get_by_label("Notes")).to_have_value("typed while the board polls")


def test_an_open_card_follows_a_payment_made_elsewhere(page: Page, api: BoardApi) -> None:
    slug = api.book(DAY, "Sarah", amount_due="900.00")["slug"]
    page.clock.install()
    open_board(page)
    sarah = card(page, slug)

    api.pay(slug, "250.00")
    page.clock.run_for(POLL)

    expect(sarah.locator(".paid")).to_have_text("$250.00")
    expect(row(page, slug).locator(".money-state")).to_have_text("$650.00 due")


def test_an_edit_with_a_stale_version_says_what_changed_and_saves_on_the_second_try(page: Page, api: BoardApi) -> None:
    slug = api.book(DAY, "Sarah", amount_due="900.00", party_size=8)["slug"]
    open_board(page)
    card(page, slug).get_by_role("button", name="Edit").click()
    form = page.locator("#event-modal")
    expect(form.get_by_role("heading")).to_have_text("Edit charter")
    form.get_by_label("Price ($)").fill("950.00")

    api.call("PATCH", f"/api/events/{slug}", {"version": 1, "party_size": 10, "title": "Birthday"})
    form.get_by_role("button", name="Save").click()

    expect(form.locator(".form-error")).to_contain_text("Someone else saved this charter")
    expect(form.locator(".form-error")).to_contain_text("party size 8 → 10")
    expect(form.get_by_label("Party size")).to_have_value("10")
    expect(form.get_by_label("Price ($)")).to_have_value("950.00")
    form.get_by_role("button", name="Save").click()

    expect(form).not_to_have_class(ACTIVE)
    saved = api.call("GET", f"/api/events/{slug}")
    assert (saved["amount_due_cents"], saved["party_size"], saved["title"], saved["version"]) == (
        95000,
        10,
        "Birthday",
        3,
    )
    expect(card(page, slug).locator(".due")).to_have_text("$950.00")
    expect(page.locator("#toast")).to_contain_text(f"Saved {slug}")


def test_cancelling_a_paid_charter_shows_the_refund_due_and_queues_the_email(page: Page, api: BoardApi) -> None:
    slug = api.book(DAY, "Sarah", amount_due="900.00", email="sarah@example.org")["slug"]
    api.pay(slug, "400.00")
    open_board(page)

    card(page, slug).get_by_role("button", name="Cancel charter…").click()
    modal = page.locator("#change-modal")
    modal.get_by_role("button", name="Cancel charter").click()
    expect(modal.get_by_label("Reason, for the patron")).to_have_attribute("aria-invalid", "true")
    modal.get_by_label("Reason, for the patron").fill("Small craft advisory")
    modal.get_by_label("Kept as a cancellation fee").fill("50")
    modal.get_by_role("button", name="Cancel charter").click()

    expect(modal).not_to_have_class(ACTIVE)
    expect(page.locator("#toast")).to_contain_text("Refund due: $350.00")
    expect(row(page, slug).locator(".money-state")).to_have_text("Refund due $350.00")
    expect(row(page, slug).locator(".tag").first).to_have_text("Cancelled")
    expect(card(page, slug).locator(".refund-due")).to_have_text("Refund due $350.00")
    [told] = api.mail("cancellation")
    assert "Small craft advisory" in told["text"] and "$350.00" in told["text"]
    assert [line["entry"]["kind"] for line in api.entries(slug)] == ["payment"]


def test_rescheduling_renames_the_slug_and_keeps_the_old_one_working(page: Page, api: BoardApi) -> None:
    old = api.book(DAY, "Sarah", "pm", email="sarah@example.org")
    open_board(page)

    card(page, old["slug"]).get_by_role("button", name="Reschedule").click()
    modal = page.locator("#change-modal")
    modal.get_by_label("New date").fill("2031-06-16")
    modal.get_by_label("New period").select_option("am")
    modal.get_by_role("button", name="Move it").click()

    new_slug = "2031-06-16-sarah-am"
    expect(row(page, new_slug)).to_be_visible()
    expect(row(page, old["slug"])).to_have_count(0)
    expect(page.locator("#toast")).to_contain_text(f"now {new_slug}")
    moved = api.call("GET", f"/api/events/{old['slug']}")
    assert moved["slug"] == new_slug and old["slug"] in moved["aliases"]
    assert moved["guest_link"] == old["guest_link"].replace(old["slug"], new_slug)
    [told] = api.mail("reschedule")
    assert "Monday 16 June 2031, Morning, 8:00\u201312:00" in told["text"]


def test_the_toasts_undo_reverses_a_payment(page: Page, api: BoardApi) -> None:
    slug = api.book(DAY, "Sarah", amount_due="900.00")["slug"]
    open_board(page)
    card(page, slug).get_by_role("button", name="Log Payment").click()
    modal = page.locator("#payment-modal")
    modal.get_by_label("Amount").fill("300")
    modal.get_by_label("Method").select_option("cash")
    modal.get_by_role("button", name="Save").click()
    toast = page.locator("#toast")
    expect(toast).to_contain_text("Logged $300.00")

    toast.get_by_role("button", name="Undo").click()

    expect(toast).to_contain_text("Reversed $300.00")
    expect(card(page, slug).locator(".paid")).to_have_text("$0.00")
    assert [line["entry"]["kind"] for line in api.entries(slug)] == ["payment", "reversal"]


def test_send_link_again_queues_the_party_link_for_the_patron(page: Page, api: BoardApi) -> None:
    event = api.book(DAY, "Sarah", email="sarah@example.org")
    open_board(page)

    card(page, event["slug"]).get_by_role("button", name="Send link again").click()

    expect(page.locator("#toast")).to_contain_text("on its way to sarah@example.org")
    [again] = api.mail("link")
    assert event["guest_link"] in again["text"]


def test_filters_narrow_the_agenda_to_unpaid_missing_waivers_conflicts_or_a_ship(page: Page, api: BoardApi) -> None:
    osprey = api.call("POST", "/api/ships", {"name": "Osprey", "capacity": 4})
    api.book(DAY, "Ann", "am", amount_due="900.00", party_size=6)
    api.book(DAY, "Bo", "pm", amount_due="100.00", party_size=2)
    api.pay(f"{DAY}-bo-pm", "100.00")
    api.call("PUT", f"/api/events/{DAY}-ann-am/assignment", {"ship": osprey["id"], "override_reason": "two trips"})
    open_board(page)
    shown = page.locator(".charter:visible")
    expect(shown).to_have_count(2)

    page.get_by_role("button", name="Unpaid").click()
    expect(shown).to_have_count(1)
    page.get_by_role("button", name="Unpaid").click()
    page.get_by_role("button", name="Conflicts").click()
    expect(shown.locator(".open")).to_have_text(["Ann Lopez"])
    page.get_by_role("button", name="Conflicts").click()
    page.get_by_label("Ship").select_option(label="No ship yet")
    expect(shown.locator(".open")).to_have_text(["Bo Lopez"])
    expect(page.locator(".day-count")).to_have_text("1 of 2 events")


def test_slash_focuses_the_search_n_opens_new_event_and_a_skip_link_leads_to_the_charters(page: Page) -> None:
    open_board(page)
    page.locator("#board").focus()

    page.keyboard.press("/")
    expect(page.get_by_label("Search by patron or slug")).to_be_focused()
    page.locator("#board").focus()
    page.keyboard.press("n")
    expect(page.locator("#event-modal")).to_have_class(ACTIVE)
    page.keyboard.press("Escape")

    page.reload()
    expect(page.get_by_label("Search by patron or slug")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    skip = page.get_by_role("link", name="Skip to the charters")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("#board")).to_be_focused()


def test_the_board_opens_on_today_with_no_dates_in_the_address(page: Page, api: BoardApi) -> None:
    today, later = date.today(), date.today() + timedelta(days=30)
    api.book(today.isoformat(), "Ada", "am")
    api.book(later.isoformat(), "Bea", "am")

    page.goto("/")
    sign_in(page)

    expect(page.locator("body[data-board=ready]")).to_be_attached()
    expect(page.get_by_role("heading", name=re.compile(r"^Today ·"))).to_be_visible()
    expect(row(page, f"{today.isoformat()}-ada-am")).to_be_visible()
    expect(row(page, f"{later.isoformat()}-bea-am")).to_have_count(0)
