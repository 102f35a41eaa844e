"""Steps the browser tests share: open the board on a date range and sign in."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Locator, Page, expect

from tests.builders import PASSWORD, Days

ACTIVE = re.compile(r"\bactive\b")


def sign_in(page: Page, password: str = PASSWORD) -> None:
    page.get_by_label("Admin password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def open_board(page: Page, days: Days) -> None:
    """The board on the test's own days, signed in."""
    open_board_between(page, days.first, days.last)


def open_board_between(page: Page, start: str, end: str) -> None:
    page.goto(f"/?from={start}&to={end}")
    sign_in(page)
    expect(page.locator("body[data-board=ready]")).to_be_attached()


def shown(day: str) -> str:
    """A day as the board writes it: Sat, 14 Jun 2031."""
    when = date.fromisoformat(day)
    return f"{when:%a}, {when.day} {when:%b %Y}"


def card(page: Page, slug: str) -> Locator:
    return page.locator(f'.card[data-slug="{slug}"]')


def log_payment(page: Page, slug: str, amount: str, method: str = "cash") -> None:
    card(page, slug).get_by_role("button", name="Log Payment").click()
    modal = page.locator("#payment-modal")
    modal.get_by_label("Amount").fill(amount)
    modal.get_by_label("Method").select_option(method)
    modal.get_by_role("button", name="Save").click()
    expect(modal).not_to_have_class(ACTIVE)
