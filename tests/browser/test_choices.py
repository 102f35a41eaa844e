"""What the operator configured shows on the board: periods, payment methods, and mail that cannot go out."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

from playwright.sync_api import Browser, expect

from tests.browser.axe import assert_accessible
from tests.browser.board import POLL, card, sign_in
from tests.browser.board_api import BoardApi
from tests.builders import PASSWORD, event_body
from tests.live_server import LiveServerFactory, free_port

PHONE = {"width": 390, "height": 760}
SETTINGS = {"SCC_PAYMENT_METHODS": "cash,square", "SCC_PERIODS": "morning=07:00-11:00,evening=17:00-20:00"}


def test_the_forms_offer_the_periods_and_methods_the_operator_configured(
    browser: Browser, live_server_factory: LiveServerFactory
) -> None:
    server = live_server_factory.fresh(**SETTINGS)
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    api = BoardApi.signed_in(server.url, PASSWORD)
    slug = api.call("POST", "/api/events", event_body(date="2031-06-14", period="morning"))["slug"]
    page.goto("/?from=2031-06-14&to=2031-06-14")
    sign_in(page)
    expect(page.locator(".charter .time")).to_have_text("7:00Morning")
    card(page, slug).get_by_role("button", name="Log Payment").click()

    methods = page.locator("#pay-method option")
    expect(methods).to_have_count(3)
    assert methods.all_text_contents() == ["Choose…", "Cash", "Square"]
    page.keyboard.press("Escape")
    page.get_by_role("button", name="New event").click()
    periods = page.locator("#ev-period option")
    expect(periods).to_have_count(2)
    assert periods.all_text_contents() == ["Morning (7:00\u201311:00)", "Evening (17:00\u201320:00)"]
    context.close()


def test_the_board_warns_while_mail_waits_for_gmail_credentials(
    browser: Browser, live_server_factory: LiveServerFactory
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens: no request can leave this machine
    mail = {"SCC_MAIL_TRANSPORT": "gmail", "SCC_GMAIL_TOKEN_URL": closed, "SCC_GMAIL_API_URL": closed}
    server = live_server_factory.fresh(**mail)  # its mail warning counts every waiting email of the store
    api = BoardApi.signed_in(server.url, PASSWORD)
    slug = api.call("POST", "/api/events", event_body(date="2031-06-14"))["slug"]  # the patron has an email
    api.pay(slug, "100")
    wait_until_mail_waits(server.url, 2)  # the server's delivery process tries them after the answers
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.goto("/")
    sign_in(page)

    expect(page.locator("#mail-warning")).to_contain_text("2 emails are waiting")  # the confirmation, the receipt
    expect(page.locator("#mail-warning")).to_contain_text("scc mail gmail-auth")
    context.close()


def wait_until_mail_waits(base_url: str, emails: int) -> None:
    """Until `emails` messages wait for credentials: the delivery process takes them one round at a time, so the
    booking's confirmation may wait before the payment's receipt does."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=10) as answer:
            if json.loads(answer.read())["mail"]["waiting_for_credentials"] >= emails:
                return
        time.sleep(0.1)
    raise AssertionError(f"{emails} emails never came to wait for credentials")


def test_an_open_board_hears_of_waiting_mail_from_its_poll_without_asking_healthz_again(
    browser: Browser, live_server_factory: LiveServerFactory
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens: no request can leave this machine
    server = live_server_factory.fresh(SCC_MAIL_TRANSPORT="gmail", SCC_GMAIL_TOKEN_URL=closed, SCC_GMAIL_API_URL=closed)
    context = browser.new_context(viewport=PHONE, is_mobile=True, base_url=server.url)
    page = context.new_page()
    page.clock.install()  # the page's timers, run on by the test: the next poll without waiting for it
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urllib.parse.urlsplit(request.url).path))
    page.goto("/?from=2031-06-14&to=2031-06-14")
    sign_in(page)
    expect(page.locator("body[data-board=ready]")).to_be_attached()
    expect(page.locator("#mail-warning")).to_be_hidden()

    api = BoardApi.signed_in(server.url, PASSWORD)
    api.pay(api.call("POST", "/api/events", event_body(date="2031-06-14"))["slug"], "100")
    wait_until_mail_waits(server.url, 2)
    page.clock.run_for(POLL)

    expect(page.locator("#mail-warning")).to_contain_text("2 emails are waiting")
    assert asked.count("/healthz") == 1, asked  # once as the board opened; the polls said the rest
    assert_accessible(page)
    context.close()
