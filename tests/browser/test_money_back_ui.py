"""A cancelled charter's money settled from its payments on the dispatcher's board, on a phone: a refund sent back,
or a rain check moved onto the patron's next booking."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.board import card, open_board, row
from tests.browser.board_api import BoardApi
from tests.browser.test_weather_call_ui import fits, phone  # noqa: F401 (the fixture)
from tests.builders import Days


def cancelled_after_paying(api: BoardApi, day: str, period: str = "am") -> str:
    slug = api.book(day, "Sarah", period, email="sarah@example.org", amount_due="900.00")["slug"]
    api.pay(slug, "400.00")
    api.call("POST", f"/api/events/{slug}/cancel", {"reason": "Small craft advisory"})
    return slug


def test_a_refund_from_the_payments_asks_once_more_then_logs_it_and_queues_the_receipt(
    phone: Page,  # noqa: F811 (the fixture)
    api: BoardApi,
    days: Days,
) -> None:
    slug = cancelled_after_paying(api, days.at(2))
    open_board(phone, days)
    expect(row(phone, slug).locator(".money-state")).to_have_text("Refund due $400.00")
    card(phone, slug).get_by_role("button", name="Payments").click()
    history = phone.locator("#history-modal")
    history.get_by_role("button", name="Log refund…").click()
    expect(history.get_by_label("Amount sent back ($)")).to_have_value("400.00")
    history.get_by_label("Sent back by").select_option("venmo")

    history.get_by_role("button", name="Log refund", exact=True).click()

    expect(history.locator(".refund-form .confirm")).to_have_text(
        "Send back $400.00 to Sarah Lopez by Venmo? A refund cannot be reversed; "
        "sarah@example.org is emailed a receipt."
    )
    assert [line["entry"]["kind"] for line in api.entries(slug)] == ["payment"]
    assert fits(phone)
    assert_accessible(phone)
    history.get_by_role("button", name="Yes, log the $400.00 refund").click()

    expect(history.locator(".entry.refund .entry-what")).to_have_text("refund · venmo · Sarah Lopez")
    assert [line["entry"]["kind"] for line in api.entries(slug)] == ["payment", "refund"]
    assert [mail["to"] for mail in api.mail("refund")].count("sarah@example.org") >= 1
    expect(history.get_by_role("button", name="Log refund…")).to_be_hidden()  # nothing paid is left to send back
    expect(row(phone, slug).locator(".money-state")).to_have_text("Nothing due")


def test_a_rain_check_moves_the_refund_due_onto_the_patrons_next_booking_whose_payments_show_it(
    phone: Page,  # noqa: F811 (the fixture)
    api: BoardApi,
    days: Days,
) -> None:
    slug = cancelled_after_paying(api, days.at(1))
    later = api.book(days.at(8), "Sarah", "pm", email="sarah@example.org", amount_due="900.00")["slug"]
    api.book(days.at(9), "Sarah", "pm", email="another.sarah@example.org", amount_due="900.00")  # not the same patron
    open_board(phone, days)
    card(phone, slug).get_by_role("button", name="Payments").click()
    history = phone.locator("#history-modal")
    history.get_by_role("button", name="Rain check…").click()
    booking = history.get_by_label("Later booking")
    expect(booking.locator("option")).to_have_count(1)
    expect(booking.locator("option")).to_contain_text(f"{later} · $900.00 due")

    history.get_by_role("button", name="Move the credit").click()
    expect(history.locator(".rain-check-form .confirm")).to_have_text(
        f"Move $400.00 from {slug} to {later}? It cannot be reversed; {later} then owes $500.00."
    )
    assert_accessible(phone)
    history.get_by_role("button", name="Yes, move $400.00").click()

    expect(history.locator(".entry.rain_check .entry-what")).to_have_text(f"credit on {later} · Sarah Lopez")
    expect(row(phone, later).locator(".money-state")).to_have_text("$500.00 due")
    phone.keyboard.press("Escape")
    card(phone, later).get_by_role("button", name="Payments").click()
    expect(history.locator(".entry.credit .entry-amount")).to_have_text("+$400.00")
    expect(history.locator(".entry.credit .entry-what")).to_have_text(f"rain check from {slug} · Sarah Lopez")


def test_a_rain_check_made_elsewhere_shows_on_each_ledger_as_money_moved_not_as_a_reversal(
    phone: Page,  # noqa: F811 (the fixture)
    api: BoardApi,
    days: Days,
) -> None:
    slug = cancelled_after_paying(api, days.at(3))
    later = api.book(days.at(10), "Sarah", "pm", email="sarah@example.org", amount_due="900.00")["slug"]
    api.call("POST", f"/api/events/{slug}/rain-check", {"to_event": later})
    open_board(phone, days)

    card(phone, later).get_by_role("button", name="Payments").click()

    history = phone.locator("#history-modal")
    expect(history.locator(".entry-amount")).to_have_text(["+$400.00"])
    expect(history.locator(".entry-what")).to_have_text([f"rain check from {slug} · Sarah Lopez"])
    phone.keyboard.press("Escape")
    card(phone, slug).get_by_role("button", name="Payments").click()
    expect(history.locator(".entry-what")).to_have_text(["venmo · Sarah Lopez", f"credit on {later} · Sarah Lopez"])
