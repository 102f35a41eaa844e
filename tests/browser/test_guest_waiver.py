"""Guests on a phone at the dock: the party page and the waiver, in Chromium against a real server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.board import card, open_board
from tests.browser.board_api import BoardApi
from tests.live_server import live_server

PHONE = {"width": 375, "height": 740}
DAY = date.today() + timedelta(days=30)  # signing closes when a charter is over, and these run on the real clock
SLUG = f"{DAY}-sarah-pm"


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
def booked(api: BoardApi) -> BoardApi:
    api.book(DAY.isoformat(), "Sarah", party_size=6)
    return api


def party(api: BoardApi) -> str:
    """The party page's path, secret included, as the board's Copy link gives it."""
    return str(api.call("GET", f"/api/events/{SLUG}")["guest_url"])


def fill_adult(page: Page, name: str = "Ana Lima") -> None:
    page.get_by_label("Full name", exact=True).fill(name)
    page.get_by_label("Email (for your copy)").fill("ana@example.org")
    page.get_by_label("Date of birth").fill("1990-04-23")
    page.locator("#emergency_name").fill("Rui Lima")
    page.locator("#emergency_phone").fill("+1 555 0112")
    page.locator("#typed_signature").fill(name)
    page.locator("#consent").check()
    page.locator("#agreement").check()


def test_an_adult_signs_on_a_phone_and_the_progress_goes_up(phone: Page, booked: BoardApi) -> None:
    phone.goto(party(booked))
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
    assert booked.call("GET", f"/api/events/{SLUG}")["waivers_signed"] == 1


def test_a_guardian_signs_for_a_minor(phone: Page, booked: BoardApi) -> None:
    phone.goto(f"{party(booked)}/waiver")
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
    [signature] = booked.call("GET", f"/api/events/{SLUG}/waivers")["signatures"]
    assert (signature["minor"], signature["guardian_name"]) == (True, "Ana Lima")


def test_the_form_works_with_javascript_disabled(browser: Browser, server: str, booked: BoardApi) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{party(booked)}/waiver")
    expect(page.locator("#signature-pad")).to_be_hidden()
    fill_adult(page)

    page.get_by_role("button", name="Sign the waiver").click()

    expect(page.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    context.close()
    assert booked.call("GET", f"/api/events/{SLUG}")["waivers_signed"] == 1


def test_a_tampered_version_hash_is_refused(phone: Page, booked: BoardApi) -> None:
    phone.goto(f"{party(booked)}/waiver")
    fill_adult(phone)
    phone.evaluate("document.querySelector('input[name=version_hash]').value = '0'.repeat(64)")

    phone.get_by_role("button", name="Sign the waiver").click()

    expect(phone.get_by_role("alert")).to_contain_text("has changed")
    expect(phone.get_by_label("Full name", exact=True)).to_have_value("Ana Lima")
    assert booked.call("GET", f"/api/events/{SLUG}/waivers")["signatures"] == []


def test_a_guest_named_with_an_xss_payload_is_inert_on_the_guest_pages(phone: Page, booked: BoardApi) -> None:
    payload = "<img src=x onerror=alert(1)>"
    phone.goto(f"{party(booked)}/waiver")
    fill_adult(phone, payload)

    phone.get_by_role("button", name="Sign the waiver").click()

    expect(phone.get_by_text(payload).first).to_be_visible()
    assert phone.locator("img[src=x]").count() == 0
    [signature] = booked.call("GET", f"/api/events/{SLUG}/waivers")["signatures"]
    assert signature["guest_name"] == payload


def test_the_servers_log_never_shows_a_signers_copy_address_or_a_guest_links_secret(
    browser: Browser, tmp_path: Path
) -> None:
    data_dir = tmp_path / "logged"
    with live_server(data_dir) as (base_url, printed):
        api = BoardApi.signed_in(base_url, next(line.split()[-1] for line in printed if "shown once" in line))
        api.book(DAY.isoformat(), "Sarah", party_size=6)
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        page.goto(f"{party(api)}/waiver")
        fill_adult(page)
        page.get_by_role("button", name="Sign the waiver").click()
        expect(page.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
        link_secret = party(api).rsplit("/", 1)[1]
        copy_token = page.url.rsplit("/", 1)[1]
        context.close()

    log = "".join(printed)
    assert "/signed/[redacted]" in log
    assert copy_token not in log and api.token not in log and link_secret not in log


def test_a_hostile_guest_name_is_inert_in_the_boards_waiver_list(phone: Page, page: Page, booked: BoardApi) -> None:
    payload = "<img src=x onerror=alert(1)>"
    phone.goto(f"{party(booked)}/waiver")
    fill_adult(phone, payload)
    phone.get_by_role("button", name="Sign the waiver").click()
    expect(phone.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    open_board(page, (DAY - timedelta(days=3)).isoformat(), (DAY + timedelta(days=6)).isoformat())
    expect(card(page, SLUG)).to_contain_text("waivers 1/6")
    card(page, SLUG).get_by_role("button", name="Waivers").click()

    signers = page.locator("#waivers-modal .signers li")
    expect(signers).to_have_count(1)
    expect(signers.locator("strong")).to_have_text(payload)
    expect(page.locator("#waivers-modal")).to_contain_text("1 of 6 guests signed")
    assert page.locator("img[src=x]").count() == 0 and not dialogs


def test_the_dispatcher_voids_a_stranger_and_makes_a_new_link_from_the_board(
    phone: Page, page: Page, booked: BoardApi
) -> None:
    for name in ("Ana Lima", "Mallory Forger"):
        phone.goto(f"{party(booked)}/waiver")
        fill_adult(phone, name)
        phone.get_by_role("button", name="Sign the waiver").click()
        expect(phone.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    old_link = party(booked)
    answers = iter(["not in this party"])
    page.on("dialog", lambda dialog: dialog.accept(next(answers, "")))

    open_board(page, (DAY - timedelta(days=3)).isoformat(), (DAY + timedelta(days=6)).isoformat())
    expect(card(page, SLUG)).to_contain_text("waivers 2/6")
    card(page, SLUG).get_by_role("button", name="Waivers").click()
    modal = page.locator("#waivers-modal")
    modal.locator(".signers li", has_text="Mallory Forger").get_by_role("button", name="Void…").click()

    expect(modal.locator(".signers li")).to_have_count(1)
    expect(modal).to_contain_text("1 of 6 guests signed. 1 voided or signed again")
    expect(card(page, SLUG)).to_contain_text("waivers 1/6")
    modal.get_by_role("button", name="New guest link…").click()
    expect(modal.get_by_role("status")).to_contain_text("New guest link made")
    assert party(booked) != old_link
    link = booked.call("GET", f"/api/events/{SLUG}")["guest_link"]
    expect(card(page, SLUG).locator(".guest-link")).to_have_attribute("href", link)
    phone.goto(old_link)
    expect(phone.get_by_role("heading", name="Charter not found")).to_be_visible()
