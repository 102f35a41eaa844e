"""Log Payment, the payment history and reversal, driven through the page as a dispatcher would."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from tests.browser.board import ACTIVE, card, log_payment, open_board
from tests.browser.board_api import BoardApi
from tests.builders import Days


def book_sarah(api: BoardApi, days: Days) -> str:
    """A 900.00 charter on the test's Saturday; its slug."""
    return str(api.book(days.at(5), "Sarah", amount_due="900.00")["slug"])


def test_a_partial_payment_shows_the_balance_and_keeps_the_log_payment_button(
    page: Page, api: BoardApi, days: Days
) -> None:
    slug = book_sarah(api, days)
    open_board(page, days)

    log_payment(page, slug, "400", "venmo")

    sarah = card(page, slug)
    expect(sarah.locator(".paid")).to_have_text("$400.00")
    expect(sarah.locator(".balance")).to_have_text("$500.00")
    expect(sarah.locator(".badge")).to_have_text("Part paid")
    expect(sarah.get_by_role("button", name="Log Payment")).to_be_visible()
    assert [line["entry"]["amount_cents"] for line in api.entries(slug)] == [40000]


def test_paying_the_rest_clears_the_card_and_hides_the_log_payment_button(
    page: Page, api: BoardApi, days: Days
) -> None:
    slug = book_sarah(api, days)
    api.pay(slug, "400.00")
    open_board(page, days)

    log_payment(page, slug, "500.00", "zelle")

    sarah = card(page, slug)
    expect(sarah.locator(".balance")).to_have_text("$0.00")
    expect(sarah.locator(".badge")).to_have_text("Paid")
    expect(sarah.get_by_role("button", name="Log Payment")).to_be_hidden()
    expect(page.locator("#toast")).to_contain_text("paid in full")


def test_reversing_a_payment_reopens_the_balance_and_brings_the_button_back(
    page: Page, api: BoardApi, days: Days
) -> None:
    slug = book_sarah(api, days)
    api.pay(slug, "900.00", reference="@sarah")
    open_board(page, days)
    sarah = card(page, slug)
    expect(sarah.get_by_role("button", name="Log Payment")).to_be_hidden()

    sarah.get_by_role("button", name="Payments").click()
    history = page.locator("#history-modal")
    expect(history.locator(".entry")).to_have_count(1)
    history.get_by_role("button", name="Reverse…").click()
    history.get_by_role("button", name="Reverse payment").click()
    expect(history.locator(".field-error")).to_have_text("Say why it is reversed.")
    history.get_by_label("Reason for the reversal").fill("Venmo payment bounced")
    history.get_by_role("button", name="Reverse payment").click()

    expect(history.locator(".entry")).to_have_count(2)
    expect(history.locator(".entry.reversal")).to_contain_text("Venmo payment bounced")
    expect(history.get_by_role("button", name="Reverse…")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(sarah.locator(".balance")).to_have_text("$900.00")
    expect(sarah.get_by_role("button", name="Log Payment")).to_be_visible()


def test_double_clicking_save_logs_one_payment(page: Page, api: BoardApi, days: Days) -> None:
    slug = book_sarah(api, days)
    open_board(page, days)
    card(page, slug).get_by_role("button", name="Log Payment").click()
    modal = page.locator("#payment-modal")
    modal.get_by_label("Amount").fill("250.00")
    modal.get_by_label("Method").select_option("cash")

    modal.get_by_role("button", name="Save").dblclick()

    expect(card(page, slug).locator(".paid")).to_have_text("$250.00")
    assert len(api.entries(slug)) == 1


def test_a_retry_after_a_lost_answer_sends_the_same_key_and_logs_one_payment(
    page: Page, api: BoardApi, days: Days
) -> None:
    slug = book_sarah(api, days)
    open_board(page, days)
    keys: list[str] = []

    def lose_the_first_answer(route: Route) -> None:
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            route.fetch()  # the server records the payment; the answer never reaches the page
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/payment-log", lose_the_first_answer)
    card(page, slug).get_by_role("button", name="Log Payment").click()
    modal = page.locator("#payment-modal")
    modal.get_by_label("Amount").fill("300")
    modal.get_by_label("Method").select_option("check")
    modal.get_by_role("button", name="Save").click()
    expect(modal.locator(".form-error")).to_contain_text("could not be reached")
    modal.get_by_role("button", name="Save").click()

    expect(card(page, slug).locator(".paid")).to_have_text("$300.00")
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(api.entries(slug)) == 1


def test_the_payment_form_checks_amount_and_method_and_shows_the_servers_field_errors(
    page: Page, api: BoardApi, days: Days
) -> None:
    slug = book_sarah(api, days)
    open_board(page, days)
    card(page, slug).get_by_role("button", name="Log Payment").click()
    modal = page.locator("#payment-modal")
    amount, method = modal.get_by_label("Amount"), modal.get_by_label("Method")

    amount.fill("12.345")
    modal.get_by_role("button", name="Save").click()
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(modal.locator(".field-error").first).to_contain_text("at most two decimals")
    expect(method).to_have_attribute("aria-invalid", "true")
    expect(amount).to_be_focused()

    amount.fill("0")
    method.select_option("cash")
    modal.get_by_role("button", name="Save").click()
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(modal.locator(".field-error").first).to_have_text("The amount must be more than zero.")

    page.route(
        "**/api/payment-log",
        lambda route: route.continue_(post_data=route.request.post_data.replace('"cash"', '"barter"')),
    )
    amount.fill("10")
    modal.get_by_role("button", name="Save").click()
    expect(method).to_have_attribute("aria-invalid", "true")
    expect(method.locator("xpath=..").locator(".field-error")).to_contain_text("payment_method must be one of")
    assert api.entries(slug) == []


def test_an_amount_over_ten_times_the_balance_is_logged_on_a_second_save(page: Page, api: BoardApi, days: Days) -> None:
    slug = book_sarah(api, days)
    open_board(page, days)
    card(page, slug).get_by_role("button", name="Log Payment").click()
    modal = page.locator("#payment-modal")
    modal.get_by_label("Amount").fill("100000")
    modal.get_by_label("Method").select_option("cash")

    modal.get_by_role("button", name="Save").click()
    expect(modal.get_by_label("Amount")).to_have_attribute("aria-invalid", "true")
    expect(modal.locator(".field-error").first).to_have_text(
        "The amount $100,000.00 is more than 10 times the $900.00 due. If it is right, press Save again to log it."
    )
    assert api.entries(slug) == []

    modal.get_by_role("button", name="Save").click()
    expect(modal).not_to_have_class(ACTIVE)
    expect(page.locator("#toast")).to_contain_text("Logged $100,000.00")
    assert [line["entry"]["amount_cents"] for line in api.entries(slug)] == [10_000_000]
