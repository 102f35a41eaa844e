"""Guests on a phone at the dock: the party page and the waiver, in Chromium against a real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.board import card, open_board, row
from tests.browser.board_api import BoardApi
from tests.builders import PASSWORD, Days
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
    """A charter for six on the test's Saturday (signing is open: it is years ahead)."""
    return str(api.book(days.at(5), "Sarah", party_size=6)["slug"])


def party(api: BoardApi, slug: str) -> str:
    """The party page's path, secret included, as the board's Copy link gives it."""
    return str(api.call("GET", f"/api/events/{slug}")["guest_url"])


def fill_adult(page: Page, name: str = "Ana Lima") -> None:
    page.get_by_label("Full name", exact=True).fill(name)
    page.get_by_label("Email (for your copy)").fill("ana@example.org")
    page.get_by_label("Date of birth", exact=True).fill("1990-04-23")
    page.locator("#emergency_name").fill("Rui Lima")
    page.locator("#emergency_phone").fill("+1 555 0112")
    page.locator("#typed_signature").fill(name)
    page.locator("#consent").check()
    page.locator("#agreement").check()


def test_an_adult_signs_on_a_phone_and_the_progress_goes_up(phone: Page, api: BoardApi, slug: str) -> None:
    phone.goto(party(api, slug))
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


def test_a_parent_signs_for_two_children_in_one_pass(phone: Page, api: BoardApi, slug: str) -> None:
    phone.goto(f"{party(api, slug)}/waiver")
    fill_adult(phone)
    phone.get_by_label("Yes, I also sign for children under 18").check()
    phone.get_by_label("You are their").select_option("parent")
    phone.get_by_label("Full name of child 1").fill("Leo Lima")
    phone.get_by_label("Date of birth of child 1").fill("2016-02-10")
    phone.get_by_role("button", name="Add another child").click()
    phone.get_by_label("Full name of child 2").fill("Mia Lima")
    phone.get_by_label("Date of birth of child 2").fill("2019-07-01")

    phone.get_by_role("button", name="Sign the waiver").click()

    expect(phone.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    expect(phone.get_by_role("link", name="Mia Lima")).to_be_visible()
    signatures = api.call("GET", f"/api/events/{slug}/waivers")["signatures"]
    assert [(s["guest_name"], s["minor"], s["guardian_name"]) for s in signatures] == [
        ("Ana Lima", False, ""),
        ("Leo Lima", True, "Ana Lima"),
        ("Mia Lima", True, "Ana Lima"),
    ]
    phone.get_by_role("link", name="Back to your charter").click()
    expect(phone.get_by_text("3 of 6")).to_be_visible()
    expect(phone.locator(".signers li")).to_have_text(["Ana L.", "Leo L.", "Mia L."])


def test_the_form_works_with_javascript_disabled(browser: Browser, server: str, api: BoardApi, slug: str) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{party(api, slug)}/waiver")
    expect(page.locator("#signature-pad")).to_be_hidden()
    fill_adult(page)

    page.get_by_role("button", name="Sign the waiver").click()

    expect(page.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    context.close()
    assert api.call("GET", f"/api/events/{slug}")["waivers_signed"] == 1


def test_a_tampered_version_hash_is_refused(phone: Page, api: BoardApi, slug: str) -> None:
    phone.goto(f"{party(api, slug)}/waiver")
    fill_adult(phone)
    phone.evaluate("document.querySelector('input[name=version_hash]').value = '0'.repeat(64)")

    phone.get_by_role("button", name="Sign the waiver").click()

    expect(phone.get_by_role("alert")).to_contain_text("has changed")
    expect(phone.get_by_label("Full name", exact=True)).to_have_value("Ana Lima")
    assert api.call("GET", f"/api/events/{slug}/waivers")["signatures"] == []


def test_a_guest_named_with_an_xss_payload_is_inert_on_the_guest_pages(phone: Page, api: BoardApi, slug: str) -> None:
    payload = "<img src=x onerror=alert(1)>"
    phone.goto(f"{party(api, slug)}/waiver")
    fill_adult(phone, payload)

    phone.get_by_role("button", name="Sign the waiver").click()

    expect(phone.get_by_text(payload).first).to_be_visible()
    assert phone.locator("img[src=x]").count() == 0
    [signature] = api.call("GET", f"/api/events/{slug}/waivers")["signatures"]
    assert signature["guest_name"] == payload


def test_the_servers_log_never_shows_a_signers_copy_address_or_a_guest_links_secret(
    browser: Browser, live_server_factory: LiveServerFactory, days: Days
) -> None:
    server = live_server_factory.fresh()  # its log holds only this test's requests
    api = BoardApi.signed_in(server.url, PASSWORD)
    slug = str(api.book(days.at(5), "Sarah", party_size=6)["slug"])
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.goto(f"{party(api, slug)}/waiver")
    fill_adult(page)
    page.get_by_role("button", name="Sign the waiver").click()
    expect(page.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    link_secret = party(api, slug).rsplit("/", 1)[1]
    copy_token = page.url.rsplit("/", 1)[1]
    context.close()
    server.stop()

    log = server.printed()
    assert "/signed/[redacted]" in log
    assert copy_token not in log and api.token not in log and link_secret not in log


def test_a_hostile_guest_name_is_inert_in_the_boards_waiver_list(
    phone: Page, page: Page, api: BoardApi, slug: str, days: Days
) -> None:
    payload = "<img src=x onerror=alert(1)>"
    phone.goto(f"{party(api, slug)}/waiver")
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


def test_the_dispatcher_voids_a_stranger_and_makes_a_new_link_from_the_board(
    phone: Page, page: Page, api: BoardApi, slug: str, days: Days
) -> None:
    for name in ("Ana Lima", "Mallory Forger"):
        phone.goto(f"{party(api, slug)}/waiver")
        fill_adult(phone, name)
        phone.get_by_role("button", name="Sign the waiver").click()
        expect(phone.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    old_link = party(api, slug)
    answers = iter(["not in this party"])
    page.on("dialog", lambda dialog: dialog.accept(next(answers, "")))

    open_board(page, days)
    expect(card(page, slug)).to_contain_text("waivers 2/6")
    card(page, slug).get_by_role("button", name="Waivers").click()
    modal = page.locator("#waivers-modal")
    modal.locator(".signers li", has_text="Mallory Forger").get_by_role("button", name="Void…").click()

    expect(modal.locator(".signers li")).to_have_count(1)
    expect(modal).to_contain_text("1 of 6 guests signed. 1 voided or signed again")
    expect(card(page, slug)).to_contain_text("waivers 1/6")
    modal.get_by_role("button", name="New guest link…").click()
    expect(modal.get_by_role("status")).to_contain_text("New guest link made")
    assert party(api, slug) != old_link
    link = api.call("GET", f"/api/events/{slug}")["guest_link"]
    expect(card(page, slug).locator(".guest-link")).to_have_attribute("href", link)
    phone.goto(old_link)
    expect(phone.get_by_role("heading", name="Charter not found")).to_be_visible()


def test_a_third_signer_on_a_party_of_two_is_kept_and_flagged_on_the_board(
    phone: Page, page: Page, api: BoardApi, days: Days
) -> None:
    pair = str(api.book(days.at(6), "Noor", party_size=2)["slug"])
    for name in ("Ana Lima", "Rui Lima", "Leo Costa"):
        phone.goto(f"{party(api, pair)}/waiver")
        fill_adult(phone, name)
        phone.get_by_role("button", name="Sign the waiver").click()
        expect(phone.get_by_role("heading", name="Signed liability waiver")).to_be_visible()

    open_board(page, days)

    expect(row(page, pair).locator(".waivers")).to_have_text("waivers 3/2 over")
    expect(card(page, pair).locator(".party")).to_have_text("2 guests · waivers 3/2 — over party size")
