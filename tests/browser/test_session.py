"""A 401 at any time returns to sign-in, and what was typed in the open form is still there afterwards."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.board import ACTIVE, card, open_board, sign_in
from tests.browser.board_api import BoardApi
from tests.builders import Days


def expire_the_pages_token(page: Page, api: BoardApi) -> None:
    """Sign the page's own token out through the API, as an expiry or a sign-out elsewhere would."""
    session = page.evaluate("JSON.parse(localStorage.getItem('scc.session'))")
    api.sign_out(session["token"])


def test_an_expired_session_returns_to_sign_in_and_keeps_the_typed_booking(
    page: Page, api: BoardApi, days: Days
) -> None:
    open_board(page, days)
    page.get_by_role("button", name="New event").click()
    form = page.locator("#event-modal")
    form.get_by_label("Date").fill(days.at(5))
    form.get_by_label("First name").fill("Ingrid")
    form.get_by_label("Party size").fill("6")
    form.get_by_label("Price ($)").fill("600")
    form.get_by_label("Notes").fill("Bring the big cooler")
    expire_the_pages_token(page, api)

    form.get_by_role("button", name="Save").click()

    expect(page.get_by_label("Admin password")).to_be_focused()
    expect(page.locator("#login-note")).to_contain_text("what you typed is kept")
    expect(form).not_to_have_class(ACTIVE)
    sign_in(page)
    expect(form).to_have_class(ACTIVE)
    expect(form.get_by_label("First name")).to_have_value("Ingrid")
    expect(form.get_by_label("Notes")).to_have_value("Bring the big cooler")
    form.get_by_role("button", name="Save").click()
    expect(card(page, f"{days.at(5)}-ingrid-am")).to_be_visible()


def test_an_expired_session_during_log_payment_keeps_the_amount_and_logs_it_once(
    page: Page, api: BoardApi, days: Days
) -> None:
    slug = api.book(days.at(5), "Sarah", amount_due="900.00")["slug"]
    open_board(page, days)
    card(page, slug).get_by_role("button", name="Log Payment").click()
    modal = page.locator("#payment-modal")
    modal.get_by_label("Amount").fill("123.45")
    modal.get_by_label("Method").select_option("zelle")
    modal.get_by_label("Reference").fill("ZL-778")
    expire_the_pages_token(page, api)

    modal.get_by_role("button", name="Save").click()
    expect(page.locator("#login")).to_be_visible()
    sign_in(page)

    expect(modal).to_have_class(ACTIVE)
    expect(modal.get_by_label("Amount")).to_have_value("123.45")
    expect(modal.get_by_label("Reference")).to_have_value("ZL-778")
    modal.get_by_role("button", name="Save").click()
    expect(card(page, slug).locator(".paid")).to_have_text("$123.45")
    assert len(api.entries(slug)) == 1


def test_a_token_that_is_no_longer_valid_on_arrival_asks_to_sign_in(page: Page, api: BoardApi, days: Days) -> None:
    open_board(page, days)
    expire_the_pages_token(page, api)

    page.reload()

    expect(page.locator("#login")).to_be_visible()
    sign_in(page)
    expect(page.locator("body[data-board=ready]")).to_be_attached()
