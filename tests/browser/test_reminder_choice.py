"""The dispatcher turns a charter's reminders off (or on) from the board, when booking it or by editing it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.board import ACTIVE, card, open_board
from tests.browser.board_api import BoardApi
from tests.builders import Days


def test_a_charter_booked_or_edited_without_reminders_gets_none(page: Page, api: BoardApi, days: Days) -> None:
    edited = api.book(days.at(4), "Sarah", amount_due="900.00")["slug"]
    open_board(page, days)
    form = page.locator("#event-modal")

    card(page, edited).get_by_role("button", name="Edit").click()
    expect(form.get_by_label("Send the patron reminders before the charter")).to_be_checked()
    form.get_by_label("Send the patron reminders before the charter").uncheck()
    form.get_by_role("button", name="Save").click()
    expect(form).not_to_have_class(ACTIVE)

    page.get_by_role("button", name="New event").click()
    form.get_by_label("Date").fill(days.at(5))
    form.get_by_label("Period").select_option("pm")
    form.get_by_label("First name").fill("Ben")
    form.get_by_label("Party size").fill("4")
    form.get_by_label("Price ($)").fill("600.00")
    form.get_by_label("Send the patron reminders before the charter").uncheck()
    form.get_by_role("button", name="Save").click()
    expect(form).not_to_have_class(ACTIVE)

    assert api.call("GET", f"/api/events/{edited}")["reminders"] is False
    assert api.call("GET", f"/api/events/{days.at(5)}-ben-pm")["reminders"] is False
    card(page, edited).get_by_role("button", name="Edit").click()
    expect(form.get_by_label("Send the patron reminders before the charter")).not_to_be_checked()


def test_a_charter_whose_reminders_are_off_says_so_on_its_card_until_they_are_on_again(
    page: Page, api: BoardApi, days: Days
) -> None:
    quiet = api.book(days.at(6), "Sarah", reminders=False)["slug"]
    reminded = api.book(days.at(6), "Ben", "am")["slug"]
    open_board(page, days)

    expect(card(page, quiet).locator(".reminders-off")).to_have_text(
        "Reminders off: the patron is not emailed before the charter."
    )
    expect(card(page, reminded).locator(".reminders-off")).to_be_hidden()
    card(page, quiet).get_by_role("button", name="Edit").click()
    form = page.locator("#event-modal")
    form.get_by_label("Send the patron reminders before the charter").check()
    form.get_by_role("button", name="Save").click()
    expect(form).not_to_have_class(ACTIVE)
    expect(card(page, quiet).locator(".reminders-off")).to_be_hidden()
