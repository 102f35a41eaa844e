"""The dispatcher hands each captain and crew member their day sheet link from the roster panel, on a phone, and
replaces it when a phone is lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.board import open_board
from tests.browser.board_api import BoardApi
from tests.browser.test_weather_call_ui import fits, phone  # noqa: F401 (the fixture)
from tests.builders import Days

pytestmark = pytest.mark.fresh_server  # the roster panel shows the whole store


def open_roster(page: Page) -> None:
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Roster").click()


def test_the_roster_shows_a_persons_day_sheet_link_on_demand_and_a_new_one_kills_the_old(
    phone: Page,  # noqa: F811 (the fixture)
    api: BoardApi,
    days: Days,
) -> None:
    ana = api.call("POST", "/api/people", {"name": "Ana Ruiz", "role": "captain"})
    open_board(phone, days)
    open_roster(phone)
    roster = phone.locator("#roster-modal")
    toggle = roster.get_by_role("button", name="Day sheet link for Ana Ruiz")
    expect(roster.locator(".sheet-address")).to_have_count(0)  # the secret stays folded away until asked for

    toggle.click()

    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(roster.locator(".sheet-address")).to_have_text(ana["day_sheet_link"])
    assert phone.request.get(ana["day_sheet_url"]).status == 200
    assert fits(phone)
    assert_accessible(phone)

    phone.once("dialog", lambda dialog: dialog.accept())
    roster.get_by_role("button", name="New day sheet link").click()

    expect(roster.locator(".day-sheet-link .status")).to_contain_text("the old one no longer opens")
    [renewed] = api.call("GET", "/api/roster")["people"]
    assert renewed["day_sheet_url"] != ana["day_sheet_url"]
    expect(roster.locator(".sheet-address")).to_have_text(renewed["day_sheet_link"])
    assert phone.request.get(ana["day_sheet_url"]).status == 404
    assert phone.request.get(renewed["day_sheet_url"]).status == 200


def test_copy_link_copies_the_day_sheet_address_or_selects_it_where_the_clipboard_is_refused(
    phone: Page,  # noqa: F811 (the fixture)
    api: BoardApi,
    days: Days,
) -> None:
    ana = api.call("POST", "/api/people", {"name": "Ana Ruiz", "role": "captain"})
    open_board(phone, days)
    open_roster(phone)
    roster = phone.locator("#roster-modal")
    roster.get_by_role("button", name="Day sheet link for Ana Ruiz").click()
    copy = roster.locator(".sheet-actions button").first
    expect(copy).to_have_text("Copy link")

    phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy.click()
    expect(copy).to_have_text("Copied")
    assert phone.evaluate("navigator.clipboard.readText()") == ana["day_sheet_link"]

    # A browser that refuses the clipboard (Chromium cannot be told to refuse it, so the page's is replaced)
    phone.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused')); }")
    copy.click()
    expect(copy).to_have_text("Press Ctrl+C")
    assert phone.evaluate("String(window.getSelection())") == ana["day_sheet_link"]
