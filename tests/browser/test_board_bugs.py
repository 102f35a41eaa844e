"""Ten things a dispatcher ran into on the board, each replayed in Chromium."""

from __future__ import annotations

import email
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest
import zxingcpp
from playwright.sync_api import Browser, Page, expect

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from tests.browser.board import ACTIVE, DAY, card, log_payment, open_board, row
from tests.browser.board_api import BoardApi
from tests.browser.test_qr import RASTERISE
from tests.builders import PASSWORD
from tests.live_server import free_port, live_server

pytestmark = pytest.mark.fresh_server  # fixed days and whole-store views: a server of each test's own

SOON = date.today() + timedelta(days=6)  # signing closes when the charter is over, on the server's real clock
PHONE = {"width": 375, "height": 740}
LONG_REFERENCE = "VENMO-TXN-" + "7" * 110


def prepared(data_dir: Path, **env: str) -> Path:
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir), **env}))
    admin.set_admin_password(ctx, PASSWORD, "test")
    ctx.store.close()
    return data_dir


def double_booked(api: BoardApi) -> str:
    """Two charters on DAY with one captain: the full day one has a conflict. Its slug."""
    maria = api.call("POST", "/api/people", {"name": "Maria Santos", "role": "captain"})
    api.book(DAY, "Ann", "am")
    api.book(DAY, "Maximiliano", "full")
    api.call("PUT", f"/api/events/{DAY}-ann-am/assignment", {"captain": maria["id"]})
    api.call(
        "PUT",
        f"/api/events/{DAY}-maximiliano-full/assignment",
        {"captain": maria["id"], "override_reason": "Leo takes the morning"},
    )
    return f"{DAY}-maximiliano-full"


def test_1_a_conflict_badge_leaves_the_slug_readable_on_the_card_and_in_the_day_view(
    browser: Browser, server: str, api: BoardApi
) -> None:
    slug = double_booked(api)
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, base_url=server)
        page = context.new_page()
        open_board(page)
        shown = card(page, slug).locator(".slug")
        expect(card(page, slug).locator(".conflict-badge")).to_be_visible()
        box = shown.bounding_box()
        assert box is not None and box["width"] > 150 and box["height"] < 60, (width, box)

        if width < 1000:
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Day view").click()
        page.locator("#day-modal").get_by_label("Day").fill(DAY)
        lane_slug = page.locator("#day-modal .lane-event .slug", has_text=slug)
        expect(lane_slug).to_be_visible()
        box = lane_slug.bounding_box()
        assert box is not None and box["width"] > 150 and box["height"] < 60, (width, box)
        context.close()


def test_2_the_day_view_says_the_period_without_a_number_after_it(page: Page, api: BoardApi) -> None:
    api.book(DAY, "Ann", "am")
    api.book(DAY, "Bo", "pm")
    open_board(page)

    page.get_by_role("button", name="Day view").click()
    page.locator("#day-modal").get_by_label("Day").fill(DAY)

    when = page.locator("#day-modal .lane-event > p").first
    expect(page.locator("#day-modal .lane-event")).to_have_count(2)
    expect(page.locator("#day-modal .lane-event").nth(1).locator("p").first).to_have_text(
        "Sat, 14 Jun 2031 · Afternoon"
    )
    expect(when).to_have_text("Sat, 14 Jun 2031 · Morning")


@contextmanager
def served_with_port_flag(data_dir: Path) -> Iterator[str]:
    """`scc serve --port P` with neither SCC_PORT nor SCC_PUBLIC_URL set, as a dispatcher would start it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SCC_PORT", "SCC_PUBLIC_URL")}
    env["SCC_DATA_DIR"] = str(data_dir)
    command = [sys.executable, "-m", "shipcaptaincrew", "serve", "--port", str(port)]
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_3_with_serve_port_the_emails_link_to_that_port(browser: Browser, tmp_path: Path) -> None:
    with served_with_port_flag(prepared(tmp_path / "data")) as base_url:
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        open_board(page)
        page.get_by_role("button", name="New event").click()
        form = page.locator("#event-modal")
        form.get_by_label("Date").fill(DAY)
        form.get_by_label("First name").fill("Sarah")
        form.get_by_label("Email").fill("sarah@example.org")
        form.get_by_label("Party size").fill("4")
        form.get_by_label("Price ($)").fill("400")
        form.get_by_role("button", name="Save").click()
        expect(row(page, f"{DAY}-sarah-am")).to_be_visible()

        [confirmation] = BoardApi.signed_in(base_url, PASSWORD).mail("confirmation")
        port = base_url.rsplit(":", 1)[1]
        assert f"http://localhost:{port}/g/{DAY}-sarah-am/" in confirmation["text"]
        assert "localhost:8000" not in confirmation["text"]
        context.close()


def test_3_the_cards_link_copy_and_qr_give_the_public_address_not_the_browsers(
    browser: Browser, tmp_path: Path
) -> None:
    public = {"SCC_PUBLIC_URL": "https://charters.example.test"}
    with live_server(prepared(tmp_path / "data", **public), **public) as (base_url, _):
        api = BoardApi.signed_in(base_url, PASSWORD)
        slug = api.book(DAY, "Sarah")["slug"]
        context = browser.new_context(base_url=base_url)
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        open_board(page)
        sarah = card(page, slug)
        link = f"https://charters.example.test{api.call('GET', f'/api/events/{slug}')['guest_url']}"

        expect(sarah.locator(".guest-link")).to_have_attribute("href", link)
        sarah.get_by_role("button", name="Copy link").click()
        assert page.evaluate("navigator.clipboard.readText()") == link
        sarah.get_by_text("QR code").click()
        pixels = sarah.locator(".qr-box svg").evaluate(RASTERISE, 200)
        assert [found.text for found in zxingcpp.read_barcodes(memoryview(bytes(pixels)).cast("B", (200, 200)))] == [
            link
        ]
        context.close()


def test_4_the_confirmation_of_a_payment_low_on_the_board_shows_where_the_eye_is(
    browser: Browser, server: str, api: BoardApi
) -> None:
    for number in range(16):
        name, period = f"Guest{'abcdefghijklmnop'[number]}", ["am", "pm", "sunset"][number % 3]
        api.book(f"2031-06-{10 + number // 3}", name, period, amount_due="500.00")
    context = browser.new_context(viewport={"width": 390, "height": 700}, base_url=server, is_mobile=True)
    page = context.new_page()
    open_board(page)
    last = "2031-06-15-guestp-am"

    log_payment(page, last, "120")

    toast = page.locator("#toast")
    expect(toast).to_contain_text(f"Logged $120.00 for {last}")
    box = toast.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 700
    expect(row(page, last)).to_have_class("charter flash")
    context.close()


def test_5_a_new_event_error_goes_when_its_field_is_fixed_and_the_field_beside_it_keeps_its_height(
    page: Page,
) -> None:
    open_board(page)
    page.get_by_role("button", name="New event").click()
    form = page.locator("#event-modal")
    last_name = form.get_by_label("Last name")
    height = last_name.bounding_box()["height"]  # type: ignore[index]

    form.get_by_role("button", name="Save").click()
    expect(form.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    assert last_name.bounding_box()["height"] == height  # type: ignore[index]
    form.get_by_label("First name").fill("Sarah")

    expect(form.get_by_label("First name")).not_to_have_attribute("aria-invalid", "true")
    expect(form.locator("#ev-first ~ .field-error")).to_have_text("")
    expect(form.get_by_label("Party size")).to_have_attribute("aria-invalid", "true")


def test_6_the_waiver_count_on_the_board_follows_the_waiver_list(page: Page, api: BoardApi) -> None:
    slug = api.book(SOON.isoformat(), "Sarah", party_size=12)["slug"]
    for guest in ("Ana Lima", "Rui Lima", "Eva Lima", "Leo Lima"):
        api.sign(slug, guest)
    open_board(page, SOON.isoformat(), (SOON + timedelta(days=2)).isoformat())
    expect(row(page, slug).locator(".waivers")).to_have_text("waivers 4/12")

    api.sign(slug, "Noa Lima")
    card(page, slug).get_by_role("button", name="Waivers").click()

    expect(page.locator("#waivers-modal .waivers-state")).to_contain_text("5 of 12 guests signed")
    expect(row(page, slug).locator(".waivers")).to_have_text("waivers 5/12", timeout=2_000)
    expect(card(page, slug).locator(".party")).to_contain_text("waivers 5/12", timeout=2_000)


def test_7_an_event_without_a_price_says_so_and_is_not_saved_without_one_by_mistake(page: Page, api: BoardApi) -> None:
    slug = api.book(DAY, "Noor", amount_due=None)["slug"]
    open_board(page)

    expect(row(page, slug).locator(".money-state")).to_have_text("No price set")
    expect(row(page, slug).locator(".tag").first).to_have_text("No price")
    expect(card(page, slug).locator(".due")).to_have_text("No price set")
    expect(card(page, slug).locator(".balance")).to_have_text("—")
    expect(card(page, slug).locator(".badge")).to_have_text("No price")

    page.get_by_role("button", name="New event").click()
    form = page.locator("#event-modal")
    price = form.get_by_label("Price ($)")
    assert price.get_attribute("placeholder") is None
    form.get_by_label("Date").fill(DAY)
    form.get_by_label("First name").fill("Liam")
    form.get_by_label("Party size").fill("4")
    form.get_by_role("button", name="Save").click()
    expect(price).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#ev-price ~ .field-error")).to_have_text("Enter the price, or tick “No price yet”.")
    form.get_by_label("No price yet").check()
    form.get_by_role("button", name="Save").click()
    expect(form).not_to_have_class(ACTIVE)
    assert api.call("GET", f"/api/events/{DAY}-liam-am")["amount_due_cents"] is None


def test_8_roster_errors_are_in_words_and_a_capacity_of_lots_is_reported(page: Page) -> None:
    open_board(page)
    page.get_by_role("button", name="Roster").click()
    ships = page.locator("#roster-modal .ship-form")

    ships.get_by_label("Capacity").fill("lots")
    ships.get_by_role("button", name="Add ship").click()

    expect(ships.get_by_label("Ship name")).to_have_attribute("aria-invalid", "true")
    expect(ships.get_by_label("Capacity")).to_have_attribute("aria-invalid", "true")
    expect(ships.locator(".field-error").nth(0)).to_have_text("Enter the ship\u2019s name.")
    expect(ships.locator(".field-error").nth(1)).to_contain_text("a whole number like 12")
    expect(page.locator("#roster-modal")).not_to_contain_text("Expected")

    page.route("**/api/ships", lambda route: route.continue_(post_data='{"name": "", "capacity": "lots"}'))
    ships.get_by_label("Ship name").fill("Osprey")
    ships.get_by_label("Capacity").fill("12")
    ships.get_by_role("button", name="Add ship").click()
    expect(ships.locator(".field-error").nth(0)).to_have_text("name must not be empty")
    expect(page.locator("#roster-modal")).not_to_contain_text("Expected")


def test_9_search_says_when_a_match_is_outside_the_shown_days_and_day_counts_follow_it(
    page: Page, api: BoardApi
) -> None:
    api.book("2031-01-12", "Kwame", last_name="Mensah")
    api.book(DAY, "Sarah", "am")
    api.book(DAY, "Liam", "pm")
    api.book("2031-06-15", "Noor")
    open_board(page)
    search = page.get_by_label("Search by patron or slug")

    search.fill("kwame")

    expect(page.locator("#status")).to_have_text("0 of 3 events match “kwame”. 1 more on other days, below.")
    expect(row(page, "2031-01-12-kwame-pm")).to_be_visible()
    expect(page.locator(".elsewhere")).to_contain_text("Sun, 12 Jan 2031")
    search.fill("sarah")
    expect(page.locator(f'.day[data-date="{DAY}"] .day-count')).to_have_text("1 of 2 events")
    expect(row(page, "2031-01-12-kwame-pm")).to_be_hidden()


def test_10_receipts_speak_plainly_and_a_long_reference_stays_on_a_phone_screen(
    browser: Browser, tmp_path: Path
) -> None:
    data_dir = prepared(tmp_path / "data")
    with live_server(data_dir) as (base_url, _):
        api = BoardApi.signed_in(base_url, PASSWORD)
        slug = api.book("2026-12-07", "Sarah", "pm", email="sarah@example.org", amount_due="900.00")["slug"]
        context = browser.new_context(viewport=PHONE, base_url=base_url, is_mobile=True)
        page = context.new_page()
        open_board(page, "2026-12-01", "2026-12-10")
        card(page, slug).get_by_role("button", name="Log Payment").click()
        modal = page.locator("#payment-modal")
        modal.get_by_label("Amount").fill("400")
        modal.get_by_label("Method").select_option("venmo")
        modal.get_by_label("Reference").fill(LONG_REFERENCE)
        modal.get_by_role("button", name="Save").click()
        expect(modal).not_to_have_class(ACTIVE)
        card(page, slug).get_by_role("button", name="Payments").click()
        expect(page.locator("#history-modal .entry")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        box = page.locator("#history-modal .entry").bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]

        [receipt] = api.mail("receipt")
        text = receipt["text"]
        assert "$400.00 by Venmo" in text and "(venmo)" not in text
        assert "Monday 7 December 2026, Afternoon, 13:00\u201317:00" in text and "(pm)" not in text
        assert f"Reference: {LONG_REFERENCE}" in text
        reader = browser.new_page(viewport=PHONE, is_mobile=True)  # as a mail program shows it: no page's CSP
        reader.set_content(html_part(data_dir / "outbox", "Payment received"))
        assert reader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        expect(reader.locator("body")).to_contain_text("by Venmo")
        reader.close()
        context.close()


def html_part(folder: Path, subject: str) -> str:
    deadline = time.monotonic() + 30  # a bound for a loaded machine, not a measure of speed
    while time.monotonic() < deadline:
        for path in folder.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if subject in str(message["Subject"]):
                body = message.get_body(("html",))  # type: ignore[attr-defined]
                return str(body.get_content())
        time.sleep(0.1)
    raise AssertionError(f"no {subject!r} message was delivered")
