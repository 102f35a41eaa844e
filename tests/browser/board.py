"""Steps the browser tests share: open the board on a date range and sign in."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Locator, Page, expect

from tests.builders import PASSWORD, Days

ACTIVE = re.compile(r"\bactive\b")

# Far enough ahead that these days are always "upcoming", so the board's order never depends on today. Tests on a
# server of their own (`fresh_server`) book here; tests on the shared server book on `unique_days()`.
FROM, TO = "2031-06-09", "2031-06-22"
DAY = "2031-06-14"
POLL = 10_000
"""The board polls every 10 s while in use: a test runs the page's clock on by that much instead of waiting."""


def sign_in(page: Page, password: str = PASSWORD) -> None:
    page.get_by_label("Admin password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def open_board(page: Page, days: Days | str = FROM, end: str = TO) -> None:
    """The board signed in, on the test's own days, or from a day to another (default the fixed fortnight)."""
    if isinstance(days, Days):
        open_board_between(page, days.first, days.last)
    else:
        open_board_between(page, days, end)


def open_board_between(page: Page, start: str, end: str) -> None:
    page.goto(f"/?from={start}&to={end}")
    sign_in(page)
    expect(page.locator("body[data-board=ready]")).to_be_attached()


def shown(day: str) -> str:
    """A day as the board writes it: Sat, 14 Jun 2031."""
    when = date.fromisoformat(day)
    return f"{when:%a}, {when.day} {when:%b %Y}"


def row(page: Page, slug: str) -> Locator:
    """The charter's row on the board's agenda."""
    return page.locator(f'.charter[data-slug="{slug}"]')


def card(page: Page, slug: str) -> Locator:
    """The charter's full card, opened from its row if it is not open yet."""
    expect(page.locator("body[data-board=ready]")).to_be_attached()
    opener = row(page, slug).locator(".open")
    if opener.get_attribute("aria-expanded") != "true":
        opener.click()
    return page.locator(f'.card[data-slug="{slug}"]')


def log_payment(page: Page, slug: str, amount: str, method: str = "cash") -> None:
    card(page, slug).get_by_role("button", name="Log Payment").click()
    modal = page.locator("#payment-modal")
    modal.get_by_label("Amount").fill(amount)
    modal.get_by_label("Method").select_option(method)
    modal.get_by_role("button", name="Save").click()
    expect(modal).not_to_have_class(ACTIVE)
