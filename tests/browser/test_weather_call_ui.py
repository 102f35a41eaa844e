"""The weather call from the dispatcher's board, on a phone: pick a day and its periods, see each charter, who would
be emailed and the money, then send; nothing changes before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.board import ACTIVE, open_board, row, shown
from tests.browser.board_api import BoardApi
from tests.browser.test_day_sheet import PHONE
from tests.builders import Days


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, base_url=server, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"the page threw: {errors}"


def fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def a_stormy_day(api: BoardApi, day: str) -> dict[str, str]:
    """Morning (part paid), afternoon and sunset charters on `day`, each patron with an email."""
    slugs = {}
    for period, name in (("am", "Ana"), ("pm", "Ben"), ("sunset", "Cora")):
        email = f"{name.lower()}@example.org"
        slugs[period] = api.book(day, name, period, email=email, amount_due="600.00")["slug"]
    api.pay(slugs["am"], "200.00")
    return slugs


def open_weather_call(page: Page, day: str, *periods: str) -> None:
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Weather call").click()
    modal = page.locator("#weather-modal")
    expect(modal).to_have_class(ACTIVE)
    modal.get_by_label("Day", exact=True).fill(day)
    for period in periods:
        modal.get_by_role("checkbox", name=period).check()
    modal.get_by_label("Reason, for the patrons").fill("Gale warning for the bay")


def status(api: BoardApi, slug: str) -> str:
    return str(api.call("GET", f"/api/events/{slug}")["status"])


def test_a_weather_call_shows_who_would_be_told_and_cancels_only_when_sent(
    phone: Page, api: BoardApi, days: Days
) -> None:
    day = days.at(5)
    slugs = a_stormy_day(api, day)
    open_board(phone, days)
    open_weather_call(phone, day, "Morning", "Afternoon")
    modal = phone.locator("#weather-modal")

    modal.get_by_role("button", name="Preview").click()

    outcome = modal.locator(".wx-outcome")
    expect(outcome.get_by_role("heading")).to_have_text(
        f"2 charters on {shown(day)}, Morning, 8:00–12:00 and Afternoon, 13:00–17:00 would be cancelled. "  # noqa: RUF001
        "Nothing has changed yet."
    )
    expect(outcome.locator(".wx-charter")).to_have_count(2)
    expect(outcome.locator(".wx-charter").first).to_contain_text(f"{slugs['am']} · Ana Lopez, 8 guests · would cancel")
    expect(outcome.locator(".wx-charter").first).to_contain_text("Paid $200.00, refund due $200.00.")
    expect(outcome.locator(".wx-charter").first).to_contain_text("Emails ana@example.org.")
    totals = "2 charters · 2 emails · $200.00 to refund or keep as rain checks"
    expect(outcome.locator(".wx-totals")).to_have_text(totals)
    assert [status(api, slug) for slug in slugs.values()] == ["booked", "booked", "booked"]
    assert fits(phone)
    assert_accessible(phone)

    modal.get_by_role("button", name="Cancel 2 charters and send 2 emails").click()

    expect(outcome.get_by_role("heading")).to_have_text("2 cancelled; 2 emails queued.")
    assert [status(api, slug) for slug in slugs.values()] == ["cancelled", "cancelled", "booked"]
    assert len([mail for mail in api.mail("cancellation") if mail["to"] in ("ana@example.org", "ben@example.org")]) == 2
    phone.keyboard.press("Escape")
    expect(row(phone, slugs["am"]).locator(".money-state")).to_have_text("Refund due $200.00")
    expect(row(phone, slugs["sunset"]).locator(".tag.cancelled")).to_have_count(0)


def test_changing_a_previewed_weather_call_takes_its_send_button_away_until_the_next_preview(
    phone: Page, api: BoardApi, days: Days
) -> None:
    day = days.at(6)
    a_stormy_day(api, day)
    open_board(phone, days)
    open_weather_call(phone, day, "Morning", "Afternoon")
    modal = phone.locator("#weather-modal")
    modal.get_by_role("button", name="Preview").click()
    expect(modal.get_by_role("button", name="Cancel 2 charters and send 2 emails")).to_be_visible()

    modal.get_by_role("checkbox", name="Afternoon").uncheck()

    expect(modal.locator(".wx-send")).to_be_hidden()
    modal.get_by_role("button", name="Preview").click()
    expect(modal.get_by_role("button", name="Cancel 1 charter and send 1 email")).to_be_visible()


def test_a_weather_call_without_a_period_or_a_reason_says_so_on_the_fields_and_asks_nothing(
    phone: Page, days: Days
) -> None:
    open_board(phone, days)
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("button", name="Weather call").click()
    modal = phone.locator("#weather-modal")

    modal.get_by_role("button", name="Preview").click()

    expect(modal.locator("#wx-periods-error")).to_have_text("Choose at least one period.")
    expect(modal.get_by_role("checkbox", name="Morning")).to_be_focused()
    expect(modal.get_by_label("Reason, for the patrons")).to_have_attribute("aria-invalid", "true")
    expect(modal.locator(".wx-outcome")).to_be_hidden()
    assert_accessible(phone)
