"""After a weather call the dispatcher finds every charter whose money is still owed back, on a phone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.board import open_board, row
from tests.browser.board_api import BoardApi
from tests.browser.test_weather_call_ui import fits, phone  # noqa: F401 (the fixture)
from tests.builders import Days


def test_the_refund_due_filter_shows_only_the_cancelled_charters_with_money_to_send_back(
    phone: Page,  # noqa: F811 (the fixture)
    api: BoardApi,
    days: Days,
) -> None:
    owed = api.book(days.at(1), "Ana", "am", amount_due="600.00")["slug"]
    api.pay(owed, "200.00")
    unpaid = api.book(days.at(1), "Ben", "pm", amount_due="600.00")["slug"]
    live = api.book(days.at(2), "Cora", "am", amount_due="600.00")["slug"]
    api.pay(live, "100.00")
    for slug in (owed, unpaid):
        api.call("POST", f"/api/events/{slug}/cancel", {"reason": "Gale warning"})
    open_board(phone, days)
    shown = phone.locator(".charter:visible")
    expect(shown).to_have_count(3)

    chip = phone.get_by_role("button", name="Refund due")
    chip.click()

    expect(chip).to_have_attribute("aria-pressed", "true")
    expect(shown).to_have_count(1)
    expect(row(phone, owed).locator(".money-state")).to_have_text("Refund due $200.00")
    assert fits(phone)
    assert_accessible(phone)
    chip.click()
    expect(shown).to_have_count(3)
