"""The dispatch board in a real browser: signing in, the cards, booking, search, safety and small screens."""

from __future__ import annotations

import base64
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from tests.browser.board import ACTIVE, DAY, FROM, TO, card, open_board, row, sign_in
from tests.browser.board_api import BoardApi
from tests.builders import PASSWORD, set_waiver
from tests.live_server import live_server

pytestmark = pytest.mark.fresh_server  # fixed days and whole-store views: a server of each test's own

README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "board.png"
MARKUP = "<img src=x onerror=alert(1)>"
SHOWN_HOST = "https://charters.example.com"


def test_signing_in_shows_the_board_and_a_wrong_password_is_said_so(page: Page, api: BoardApi) -> None:
    api.book(DAY, "Sarah", amount_due="900.00")
    page.goto(f"/?from={FROM}&to={TO}")

    sign_in(page, "not the password")
    expect(page.locator("#login .field-error")).to_have_text("wrong password")
    expect(page.locator("#app")).to_be_hidden()
    sign_in(page)

    expect(card(page, f"{DAY}-sarah-pm")).to_be_visible()
    expect(page.locator("#status")).to_have_text("1 event from Mon, 9 Jun 2031 to Sun, 22 Jun 2031.")
    expect(page.get_by_label("From")).to_have_value(FROM)


def test_signing_out_returns_to_the_sign_in_screen_and_forgets_the_token(page: Page, api: BoardApi) -> None:
    open_board(page)

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_label("Admin password")).to_be_focused()
    expect(page.locator("#login-note")).to_have_text("Signed out.")
    assert page.evaluate("localStorage.length") == 0


def test_a_card_shows_the_event_money_and_guest_link(page: Page, api: BoardApi) -> None:
    api.book(DAY, "José", "sunset", amount_due="650.00", party_size=10, title="Birthday cruise")
    api.pay(f"{DAY}-jose-sunset", "150.50")
    open_board(page)

    jose = card(page, f"{DAY}-jose-sunset")
    expect(jose.locator(".slug")).to_have_text(f"{DAY}-jose-sunset")
    expect(jose.locator(".when")).to_have_text("Sat, 14 Jun 2031 · Sunset, 18:00\u201321:00")
    expect(jose.locator(".patron")).to_have_text("José Lopez · 10 guests · waivers 0/10")
    expect(jose.locator(".title")).to_have_text("Birthday cruise")
    expect(jose.locator(".due")).to_have_text("$650.00")
    expect(jose.locator(".paid")).to_have_text("$150.50")
    expect(jose.locator(".balance")).to_have_text("$499.50")
    expect(jose.locator(".badge")).to_have_text("Part paid")
    guest = jose.locator(".guest-link")
    event = api.call("GET", f"/api/events/{DAY}-jose-sunset")
    link = event["guest_url"]
    assert link.startswith(f"/g/{DAY}-jose-sunset/") and len(link.rsplit("/", 1)[1]) == 24
    expect(guest).to_have_attribute("href", event["guest_link"])
    assert event["guest_link"].endswith(link)


def test_booking_an_event_previews_the_slug_as_you_type_and_adds_its_card(page: Page, api: BoardApi) -> None:
    open_board(page)
    page.get_by_role("button", name="New event").click()
    form = page.locator("#event-modal")
    preview = form.locator(".slug-preview")

    form.get_by_label("Date").fill(DAY)
    form.get_by_label("Period").select_option("sunset")
    form.get_by_label("First name").press_sequentially("Mary K")
    expect(preview).to_have_text(f"{DAY}-maryk-sunset")
    form.get_by_label("First name").press_sequentially("até")
    expect(preview).to_have_text(f"{DAY}-marykate-sunset")
    form.get_by_label("Last name").fill("O'Brien")
    form.get_by_label("Email").fill("mk@example.org")
    form.get_by_label("Party size").fill("12")
    form.get_by_label("Price ($)").fill("650")
    form.get_by_role("button", name="Save").click()

    expect(form).not_to_have_class(ACTIVE)
    expect(page.locator("#toast")).to_contain_text(f"Booked {DAY}-marykate-sunset. The confirmation goes to mk@")
    created = card(page, f"{DAY}-marykate-sunset")
    expect(created).to_be_visible()
    expect(created.locator(".patron-name")).to_have_text("Mary Katé O'Brien")
    expect(created.locator(".due")).to_have_text("$650.00")
    assert api.call("GET", f"/api/events/{DAY}-marykate-sunset")["party_size"] == 12


def test_the_booking_form_shows_missing_fields_and_a_taken_slug_where_they_belong(page: Page, api: BoardApi) -> None:
    api.book(DAY, "Sarah", "pm")
    open_board(page)
    page.get_by_role("button", name="New event").click()
    form = page.locator("#event-modal")

    form.get_by_role("button", name="Save").click()
    expect(form.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Party size")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("First name")).to_be_focused()

    form.get_by_label("Date").fill(DAY)
    form.get_by_label("Period").select_option("pm")
    form.get_by_label("First name").fill("Sarah")
    form.get_by_label("Party size").fill("4")
    form.get_by_label("No price yet").check()
    form.get_by_role("button", name="Save").click()

    slug_error = form.locator(".slug-preview + .field-error")
    expect(slug_error).to_contain_text(f"{DAY}-sarah-pm")
    expect(form).to_have_class(ACTIVE)


def test_a_patron_named_like_markup_shows_as_text_and_runs_nothing(page: Page, api: BoardApi) -> None:
    event = api.book(DAY, MARKUP, last_name=MARKUP, title=MARKUP, notes=MARKUP)
    api.pay(event["slug"], "10.00", reference=MARKUP, note=MARKUP, patron_name=MARKUP)
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    open_board(page)
    shown = card(page, event["slug"])
    shown.get_by_role("button", name="Payments").click()
    expect(page.locator("#history-modal .entry")).to_have_count(1)

    expect(shown.locator(".patron-name")).to_have_text(f"{MARKUP} {MARKUP}")
    expect(shown.locator(".title")).to_have_text(MARKUP)
    expect(page.locator("#history-modal .entry-what")).to_contain_text(MARKUP)
    assert page.locator("img").count() == 0
    assert dialogs == []


def test_search_narrows_the_board_to_matching_patrons_and_slugs(page: Page, api: BoardApi) -> None:
    api.book(DAY, "Sarah", "am", last_name="Lopez")
    api.book(DAY, "Liam", "pm", last_name="Okafor")
    api.book("2031-06-15", "Noor", "sunset", last_name="Haddad")
    open_board(page)
    search = page.get_by_label("Search by patron or slug")

    search.fill("okafor")
    expect(page.locator(".charter:visible")).to_have_count(1)
    expect(row(page, f"{DAY}-liam-pm")).to_be_visible()
    search.fill("2031-06-15")
    expect(page.locator(".charter:visible")).to_have_count(1)
    expect(page.locator(".day:visible")).to_have_count(1)
    expect(page.locator("#status")).to_have_text("1 of 3 events match “2031-06-15”.")
    search.fill("")
    expect(page.locator(".charter:visible")).to_have_count(3)


def test_days_are_grouped_upcoming_first_then_earlier_days_latest_first(page: Page, api: BoardApi) -> None:
    for day, name in (("2021-06-14", "Ada"), ("2021-07-01", "Bea"), ("2031-06-14", "Cy"), ("2031-05-01", "Di")):
        api.book(day, name)

    open_board(page, "2021-06-01", "2031-06-30")

    days = page.locator(".day").evaluate_all("sections => sections.map(s => s.dataset.date)")
    assert days == ["2031-05-01", "2031-06-14", "2021-07-01", "2021-06-14"]
    expect(page.locator(".past-heading")).to_have_text("Earlier days")


def test_a_modal_keeps_focus_inside_and_escape_closes_it(page: Page, api: BoardApi) -> None:
    api.book(DAY, "Sarah", amount_due="900.00")
    open_board(page)
    opener = card(page, f"{DAY}-sarah-pm").get_by_role("button", name="Log Payment")
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


def test_the_board_is_usable_375_px_wide_without_sideways_scrolling(
    browser: Browser, server: str, api: BoardApi
) -> None:
    api.book(DAY, "Maximiliano-Alejandro", "full", last_name="Fitzgerald-Montgomery", amount_due="1800.00")
    api.book(DAY, "Sarah", "sunset", title="A rather long title for a sunset cruise around the whole bay")
    context = browser.new_context(viewport={"width": 375, "height": 740}, base_url=server, is_mobile=True)
    page = context.new_page()
    open_board(page)
    wide = "document.documentElement.scrollWidth"

    assert page.evaluate(wide) <= 375
    slug = f"{DAY}-maximilianoalejandro-full"
    card(page, slug).locator("summary").click()
    assert page.evaluate(wide) <= 375
    card(page, slug).get_by_role("button", name="Log Payment").click()
    box = page.locator("#payment-modal .modal-box").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.keyboard.press("Escape")
    page.get_by_role("button", name="New event").click()
    expect(page.locator("#event-modal")).to_have_class(ACTIVE)
    assert page.evaluate(wide) <= 375
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Day view")).to_be_visible()
    assert page.evaluate(wide) <= 375
    context.close()


def test_the_today_board_on_a_desk_and_a_phone_is_saved_as_the_readme_screenshot(
    browser: Browser, tmp_path: Path
) -> None:
    """Saved over docs/board.png by `make screenshot` (SCC_SAVE_SCREENSHOT=1), beside the test's data otherwise:
    a test run leaves the working tree as it found it."""
    screenshot = README_SCREENSHOT if os.environ.get("SCC_SAVE_SCREENSHOT") == "1" else tmp_path / "board.png"
    bookings = [
        ("Sarah", "am", "900.00", "900.00", "Birthday cruise", 8),
        ("José", "pm", "650.00", "200.00", "Sunset proposal", 2),
        ("Mary Kate", "full", "1800.00", None, "Company outing", 12),
        ("Noor", "sunset", "900.00", "900.00", "Fishing trip", 6),
        ("Liam", "am", "900.00", "450.00", "Family reunion", 10),
        ("Kwame", "pm", "700.00", None, "", 4),
        ("Ada", "sunset", "650.00", "650.00", "Anniversary", 2),
    ]
    public = {"SCC_PUBLIC_URL": SHOWN_HOST}
    data_dir = tmp_path / "data"
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir), **public}))
    admin.set_admin_password(ctx, PASSWORD, "test")
    set_waiver(ctx)
    ctx.store.close()
    today = date.today()
    with live_server(data_dir, **public) as (base_url, _):
        api = BoardApi.signed_in(base_url, PASSWORD)
        osprey = api.call("POST", "/api/ships", {"name": "Osprey", "capacity": 12})
        maria = api.call("POST", "/api/people", {"name": "Maria Santos", "role": "captain"})
        for number, (name, period, price, paid, title, party) in enumerate(bookings):
            day = (today + timedelta(days=number // 4)).isoformat()
            event = api.book(
                day, name, period, amount_due=price, title=title, party_size=party, phone=f"+1 555 01{20 + number}"
            )
            if paid:
                api.pay(event["slug"], paid)
            if number in (0, 2):
                api.call(
                    "PUT",
                    f"/api/events/{event['slug']}/assignment",
                    {"ship": osprey["id"], "captain": maria["id"], "override_reason": "Leo at noon"},
                )
        shots = []
        for viewport in ({"width": 1280, "height": 760}, {"width": 390, "height": 760}):
            context = browser.new_context(viewport=viewport, base_url=base_url, device_scale_factor=1)
            page = context.new_page()
            open_board(page, today.isoformat(), (today + timedelta(days=6)).isoformat())
            opened = card(page, f"{today.isoformat()}-jose-pm")
            if viewport["width"] > 1000:
                opened.locator("summary").click()
                expect(opened.locator(".qr-box svg")).to_be_visible()
            expect(opened.locator(".guest-link")).to_contain_text(SHOWN_HOST)
            page.get_by_label("Search by patron or slug").blur()
            shots.append(base64.b64encode(page.screenshot()).decode())
            context.close()
        side_by_side = browser.new_page(viewport={"width": 1720, "height": 780})
        side_by_side.set_content(
            '<body style="margin:0;padding:10px;background:#cfd8df;display:flex;gap:20px;align-items:start">'
            + "".join(f'<img src="data:image/png;base64,{shot}" style="border:1px solid #8896a3">' for shot in shots)
            + "</body>"
        )
        side_by_side.screenshot(path=str(screenshot), full_page=True)
        side_by_side.close()
    assert screenshot.stat().st_size > 10_000
