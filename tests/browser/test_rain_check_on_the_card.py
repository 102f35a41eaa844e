"""A rain check shows on the card of the booking it went to: what is paid there was paid for a cancelled charter."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.board import card, open_board
from tests.browser.board_api import BoardApi
from tests.browser.test_money_back_ui import cancelled_after_paying
from tests.browser.test_weather_call_ui import fits, phone  # noqa: F401 (the fixture)
from tests.builders import Days


def test_the_booking_a_rain_check_went_to_says_on_its_card_that_paid_includes_it(
    phone: Page,  # noqa: F811 (the fixture)
    api: BoardApi,
    days: Days,
) -> None:
    slug = cancelled_after_paying(api, days.at(4))
    later = api.book(days.at(11), "Sarah", "pm", email="sarah@example.org", amount_due="900.00")["slug"]
    paid_only = api.book(days.at(12), "Sarah", "am", email="sarah@example.org", amount_due="900.00")["slug"]
    api.pay(paid_only, "100.00")
    api.call("POST", f"/api/events/{slug}/rain-check", {"to_event": later})
    open_board(phone, days)

    opened = card(phone, later)

    expect(opened.locator(".credit-note")).to_have_text(f"Paid includes $400.00 kept as a rain check from {slug}.")
    expect(opened.locator(".paid")).to_have_text("$400.00")
    assert fits(phone)
    assert_accessible(phone)
    expect(card(phone, paid_only).locator(".credit-note")).to_be_hidden()
