"""Guests on a phone at the dock: the party page and the waiver, in Chromium against a real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.board import card, open_board
from tests.browser.board_api import BoardApi
from tests.builders import Days
from tests.live_server import LiveServerFactory

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, base_url=server, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"


@pytest.fixture
def slug(api: BoardApi, days: Days) -> str:
    """A charter for six on the test's Saturday."""
    return str(api.book(days.at(5), "Sarah", party_size=6)["slug"])


def fill_adult(page: Page, name: str = "Ana Lima") -> None:
    page.get_by_label("Full name", exact=True).fill(name)
    page.get_by_label("Email (for your copy)").fill("ana@example.org")
    page.get_by_label("Date of birth").fill("1990-04-23")
    page.locator("#emergency_name").fill("Rui Lima")
    page.locator("#emergency_phone").fill("+1 555 0112")
    page.locator("#typed_signature").fill(name)
    page.locator("#consent").check()
    page.locator("#agreement").check()


def test_an_adult_signs_on_a_phone_and_the_progress_goes_up(phone: Page, api: BoardApi, slug: str) -> None:
    phone.goto(f"/g/{slug}")
    expect(phone.get_by_text("0 of 6")).to_be_visible()
    phone.get_by_role("link", name="Sign the waiver").click()
    fill_adult(phone)
    pad = phone.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    phone.mouse.move(box["x"] + 20, box["y"] + 30)
    phone.mouse.down()
    phone.mouse.move(box["x"] + 120, box["y"] + 60, steps=8)
    phone.mouse.up()

    phone.get_by_role("button", name="Sign the waiver").click()

    expect(phone.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    expect(phone.locator("img.drawn")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("link", name="Back to your charter").click()
    expect(phone.get_by_text("1 of 6")).to_be_visible()
    assert api.call("GET", f"/api/events/{slug}")["waivers_signed"] == 1


def test_a_guardian_signs_for_a_minor(phone: Page, api: BoardApi, slug: str) -> None:
    phone.goto(f"/g/{slug}/waiver")
    fill_adult(phone, "Leo Lima")
    phone.get_by_label("Date of birth").fill("2016-02-10")
    phone.get_by_role("button", name="Sign the waiver").click()
    expect(phone.locator("#guardian_name-error")).to_be_visible()
    expect(phone.get_by_label("Full name", exact=True)).to_have_value("Leo Lima")

    phone.locator("#guardian_name").fill("Ana Lima")
    phone.locator("#guardian_relationship").fill("mother")
    phone.locator("#guardian_signature").fill("Ana Lima")
    phone.locator("#consent").check()
    phone.locator("#agreement").check()
    phone.get_by_role("button", name="Sign the waiver").click()

    expect(phone.get_by_text("a minor")).to_be_visible()
    [signature] = api.call("GET", f"/api/events/{slug}/waivers")["signatures"]
    assert (signature["minor"], signature["guardian_name"]) == (True, "Ana Lima")


def test_the_form_works_with_javascript_disabled(browser: Browser, server: str, api: BoardApi, slug: str) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/g/{slug}/waiver")
    expect(page.locator("#signature-pad")).to_be_hidden()
    fill_adult(page)

    page.get_by_role("button", name="Sign the waiver").click()

    expect(page.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    context.close()
    assert api.call("GET", f"/api/events/{slug}")["waivers_signed"] == 1


def test_a_tampered_version_hash_is_refused(phone: Page, api: BoardApi, slug: str) -> None:
    phone.goto(f"/g/{slug}/waiver")
    fill_adult(phone)
    phone.evaluate("document.querySelector('input[name=version_hash]').value = '0'.repeat(64)")

    phone.get_by_role("button", name="Sign the waiver").click()

    expect(phone.get_by_role("alert")).to_contain_text("has changed")
    expect(phone.get_by_label("Full name", exact=True)).to_have_value("Ana Lima")
    assert api.call("GET", f"/api/events/{slug}/waivers")["signatures"] == []


def test_a_guest_named_with_an_xss_payload_is_inert_on_the_guest_pages(phone: Page, api: BoardApi, slug: str) -> None:
    payload = "<img src=x onerror=alert(1)>"
    phone.goto(f"/g/{slug}/waiver")
    fill_adult(phone, payload)

    phone.get_by_role("button", name="Sign the waiver").click()

    expect(phone.get_by_text(payload).first).to_be_visible()
    assert phone.locator("img[src=x]").count() == 0
    [signature] = api.call("GET", f"/api/events/{slug}/waivers")["signatures"]
    assert signature["guest_name"] == payload


def test_the_servers_log_never_shows_a_signers_copy_address(
    browser: Browser, live_server_factory: LiveServerFactory, days: Days
) -> None:
    server = live_server_factory.fresh(with_password=False)  # its log holds only this test's requests
    password = next(line.split()[-1] for line in server.printed().splitlines() if "shown once" in line)
    api = BoardApi.signed_in(server.url, password)
    slug = api.book(days.at(5), "Sarah", party_size=6)["slug"]
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.goto(f"/g/{slug}/waiver")
    fill_adult(page)
    page.get_by_role("button", name="Sign the waiver").click()
    expect(page.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    copy_token = page.url.rsplit("/", 1)[1]
    context.close()
    server.stop()

    log = server.printed()
    assert "/signed/[redacted]" in log
    assert copy_token not in log and api.token not in log


def test_a_hostile_guest_name_is_inert_in_the_boards_waiver_list(
    phone: Page, page: Page, api: BoardApi, slug: str, days: Days
) -> None:
    payload = "<img src=x onerror=alert(1)>"
    phone.goto(f"/g/{slug}/waiver")
    fill_adult(phone, payload)
    phone.get_by_role("button", name="Sign the waiver").click()
    expect(phone.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    open_board(page, days)
    expect(card(page, slug)).to_contain_text("waivers 1/6")
    card(page, slug).get_by_role("button", name="Waivers").click()

    signers = page.locator("#waivers-modal .signers li")
    expect(signers).to_have_count(1)
    expect(signers.locator("strong")).to_have_text(payload)
    expect(page.locator("#waivers-modal")).to_contain_text("1 of 6 guests signed")
    assert page.locator("img[src=x]").count() == 0 and not dialogs
