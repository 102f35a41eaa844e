"""The dispatch board in a real browser: signing in, the cards, booking, search, safety and small screens."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tests.browser.board import ACTIVE, card, open_board, open_board_between, shown, sign_in
from tests.browser.board_api import BoardApi
from tests.builders import Days

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "board.png"
MARKUP = "<img src=x onerror=alert(1)>"
SHOWN_HOST = "https://dispatch.example.com"


@pytest.mark.fresh_server  # a failed sign-in counts against every later one on its server
def test_signing_in_shows_the_board_and_a_wrong_password_is_said_so(page: Page, api: BoardApi, days: Days) -> None:
    day = days.at(5)
    api.book(day, "Sarah", amount_due="900.00")
    page.goto(f"/?from={days.first}&to={days.last}")

    sign_in(page, "not the password")
    expect(page.locator("#login .field-error")).to_have_text("wrong password")
    expect(page.locator("#app")).to_be_hidden()
    sign_in(page)

    expect(card(page, f"{day}-sarah-pm")).to_be_visible()
    expect(page.locator("#status")).to_have_text(f"1 event from {shown(days.first)} to {shown(days.last)}.")
    expect(page.get_by_label("From")).to_have_value(days.first)


def test_signing_out_returns_to_the_sign_in_screen_and_forgets_the_token(page: Page, days: Days) -> None:
    open_board(page, days)

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_label("Admin password")).to_be_focused()
    expect(page.locator("#login-note")).to_have_text("Signed out.")
    assert page.evaluate("localStorage.length") == 0


def test_a_card_shows_the_event_money_and_guest_link(page: Page, api: BoardApi, days: Days) -> None:
    day = days.at(5)
    api.book(day, "José", "sunset", amount_due="650.00", party_size=10, title="Birthday cruise")
    api.pay(f"{day}-jose-sunset", "150.50")
    open_board(page, days)

    jose = card(page, f"{day}-jose-sunset")
    expect(jose.locator(".slug")).to_have_text(f"{day}-jose-sunset")
    expect(jose.locator(".when")).to_have_text(f"{shown(day)} · Sunset")
    expect(jose.locator(".patron")).to_have_text("José Lopez · 10 guests · waivers 0/10")
    expect(jose.locator(".title")).to_have_text("Birthday cruise")
    expect(jose.locator(".due")).to_have_text("$650.00")
    expect(jose.locator(".paid")).to_have_text("$150.50")
    expect(jose.locator(".balance")).to_have_text("$499.50")
    expect(jose.locator(".badge")).to_have_text("Part paid")
    guest = jose.locator(".guest-link")
    link = api.call("GET", f"/api/events/{day}-jose-sunset")["guest_url"]
    assert link.startswith(f"/g/{day}-jose-sunset/") and len(link.rsplit("/", 1)[1]) == 24
    expect(guest).to_have_attribute("href", f"{api.base_url}{link}")


def test_booking_an_event_previews_the_slug_as_you_type_and_adds_its_card(
    page: Page, api: BoardApi, days: Days
) -> None:
    day = days.at(5)
    open_board(page, days)
    page.get_by_role("button", name="New event").click()
    form = page.locator("#event-modal")
    preview = form.locator(".slug-preview")

    form.get_by_label("Date").fill(day)
    form.get_by_label("Period").select_option("sunset")
    form.get_by_label("First name").press_sequentially("Mary K")
    expect(preview).to_have_text(f"{day}-maryk-sunset")
    form.get_by_label("First name").press_sequentially("até")
    expect(preview).to_have_text(f"{day}-marykate-sunset")
    form.get_by_label("Last name").fill("O'Brien")
    form.get_by_label("Email").fill("mk@example.org")
    form.get_by_label("Party size").fill("12")
    form.get_by_label("Price").fill("650")
    form.get_by_role("button", name="Save").click()

    expect(form).not_to_have_class(ACTIVE)
    created = card(page, f"{day}-marykate-sunset")
    expect(created).to_be_visible()
    expect(created.locator(".patron-name")).to_have_text("Mary Katé O'Brien")
    expect(created.locator(".due")).to_have_text("$650.00")
    assert api.call("GET", f"/api/events/{day}-marykate-sunset")["party_size"] == 12


def test_the_booking_form_shows_missing_fields_and_a_taken_slug_where_they_belong(
    page: Page, api: BoardApi, days: Days
) -> None:
    day = days.at(5)
    api.book(day, "Sarah", "pm")
    open_board(page, days)
    page.get_by_role("button", name="New event").click()
    form = page.locator("#event-modal")

    form.get_by_role("button", name="Save").click()
    expect(form.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Party size")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("First name")).to_be_focused()

    form.get_by_label("Date").fill(day)
    form.get_by_label("Period").select_option("pm")
    form.get_by_label("First name").fill("Sarah")
    form.get_by_label("Party size").fill("4")
    form.get_by_role("button", name="Save").click()

    slug_error = form.locator(".slug-preview + .field-error")
    expect(slug_error).to_contain_text(f"{day}-sarah-pm")
    expect(form).to_have_class(ACTIVE)


def test_a_patron_named_like_markup_shows_as_text_and_runs_nothing(page: Page, api: BoardApi, days: Days) -> None:
    event = api.book(days.at(5), MARKUP, last_name=MARKUP, title=MARKUP, notes=MARKUP)
    api.pay(event["slug"], "10.00", reference=MARKUP, note=MARKUP, patron_name=MARKUP)
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    open_board(page, days)
    shown = card(page, event["slug"])
    shown.get_by_role("button", name="Payments").click()
    expect(page.locator("#history-modal .entry")).to_have_count(1)

    expect(shown.locator(".patron-name")).to_have_text(f"{MARKUP} {MARKUP}")
    expect(shown.locator(".title")).to_have_text(MARKUP)
    expect(page.locator("#history-modal .entry-what")).to_contain_text(MARKUP)
    assert page.locator("img").count() == 0
    assert dialogs == []


def test_search_narrows_the_board_to_matching_patrons_and_slugs(page: Page, api: BoardApi, days: Days) -> None:
    day, sunday = days.at(5), days.at(6)
    api.book(day, "Sarah", "am", last_name="Lopez")
    api.book(day, "Liam", "pm", last_name="Okafor")
    api.book(sunday, "Noor", "sunset", last_name="Haddad")
    open_board(page, days)
    search = page.get_by_label("Search by patron or slug")

    search.fill("okafor")
    expect(page.locator(".card:visible")).to_have_count(1)
    expect(card(page, f"{day}-liam-pm")).to_be_visible()
    search.fill(sunday)
    expect(page.locator(".card:visible")).to_have_count(1)
    expect(page.locator(".day:visible")).to_have_count(1)
    expect(page.locator("#status")).to_have_text(f"1 of 3 events match “{sunday}”.")
    search.fill("")
    expect(page.locator(".card:visible")).to_have_count(3)


@pytest.mark.fresh_server  # its ten years of board would show every other test's charters
def test_days_are_grouped_upcoming_first_then_earlier_days_latest_first(page: Page, api: BoardApi) -> None:
    for day, name in (("2021-06-14", "Ada"), ("2021-07-01", "Bea"), ("2031-06-14", "Cy"), ("2031-05-01", "Di")):
        api.book(day, name)

    open_board_between(page, "2021-06-01", "2031-06-30")

    days = page.locator(".day").evaluate_all("sections => sections.map(s => s.dataset.date)")
    assert days == ["2031-05-01", "2031-06-14", "2021-07-01", "2021-06-14"]
    expect(page.locator(".past-heading")).to_have_text("Earlier days")


def test_a_modal_keeps_focus_inside_and_escape_closes_it(page: Page, api: BoardApi, days: Days) -> None:
    api.book(days.at(5), "Sarah", amount_due="900.00")
    open_board(page, days)
    opener = card(page, f"{days.at(5)}-sarah-pm").get_by_role("button", name="Log Payment")
    opener.click()
    modal = page.locator("#payment-modal")
    expect(modal).to_have_class(ACTIVE)
    expect(modal.get_by_label("Amount")).to_be_focused()

    for _ in range(12):
        page.keyboard.press("Tab")
        assert modal.evaluate("(m) => m.contains(document.activeElement)")
    page.keyboard.press("Shift+Tab")
    assert modal.evaluate("(m) => m.contains(document.activeElement)")

    page.keyboard.press("Escape")
    expect(modal).not_to_have_class(ACTIVE)
    expect(opener).to_be_focused()


def test_the_board_is_usable_375_px_wide_without_sideways_scrolling(browser: Browser, server: str,
                                                                     api: BoardApi, days: Days) -> None:  # fmt: skip
    day = days.at(5)
    api.book(day, "Maximiliano-Alejandro", "full", last_name="Fitzgerald-Montgomery", amount_due="1800.00")
    api.book(day, "Sarah", "sunset", title="A rather long title for a sunset cruise around the whole bay")
    context = browser.new_context(viewport={"width": 375, "height": 740}, base_url=server, is_mobile=True)
    page = context.new_page()
    open_board(page, days)
    wide = "document.documentElement.scrollWidth"

    assert page.evaluate(wide) <= 375
    slug = f"{day}-maximilianoalejandro-full"
    card(page, slug).locator("summary").click()
    card(page, slug).get_by_role("button", name="Log Payment").click()
    box = page.locator("#payment-modal .modal-box").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.keyboard.press("Escape")
    page.get_by_role("button", name="New event").click()
    expect(page.locator("#event-modal")).to_have_class(ACTIVE)
    assert page.evaluate(wide) <= 375
    context.close()


@pytest.mark.fresh_server  # the same days in the picture every time
def test_the_board_with_several_events_is_saved_as_the_readme_screenshot(page: Page, api: BoardApi) -> None:
    bookings = [
        ("2031-06-13", "Sarah", "am", "900.00", "900.00", "Birthday cruise"),
        ("2031-06-13", "José", "sunset", "650.00", "200.00", "Sunset proposal"),
        ("2031-06-14", "Mary Kate", "full", "1800.00", None, "Company outing"),
        ("2031-06-14", "Noor", "pm", "900.00", "900.00", "Fishing trip"),
        ("2031-06-15", "Liam", "am", "900.00", "450.00", "Family reunion"),
    ]
    for day, name, period, price, paid, title in bookings:
        event = api.book(day, name, period, amount_due=price, title=title, party_size=8)
        if paid:
            api.pay(event["slug"], paid)
    # Served as if from a real host, so the guest links in the picture are stable and look like production.
    page.route(f"{SHOWN_HOST}/**", lambda route: route.fulfill(
        response=route.fetch(url=route.request.url.replace(SHOWN_HOST, api.base_url))))  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{SHOWN_HOST}/?from=2031-06-13&to=2031-06-15")
    sign_in(page)
    card(page, "2031-06-13-jose-sunset").locator("summary").click()
    expect(card(page, "2031-06-13-jose-sunset").locator(".qr-box svg")).to_be_visible()
    sarah = api.call("GET", "/api/events/2031-06-13-sarah-am")["guest_url"]
    expect(page.locator(".guest-link").first).to_have_text(f"{SHOWN_HOST}{sarah}")

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
