"""An open board nobody touches polls less: every 10 s in use, every 20 s after 5 minutes without input (still
within the 30 s a change made elsewhere must show in), and at once when someone is back."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.browser.axe import assert_accessible
from tests.browser.board import open_board

PHONE = {"width": 390, "height": 760}
MINUTE = 60_000


def test_a_board_left_alone_polls_every_20_seconds_and_an_input_polls_at_once_then_every_10(
    browser: Browser, server: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, base_url=server)
    page = context.new_page()
    page.clock.install()  # the page's timers and Date, run forward by the test
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "/api/events?" in request.url else None)
    open_board(page)  # signing in is an input
    assert_accessible(page)

    in_use = polls_during(page, polls, 2 * MINUTE)
    page.clock.run_for(4 * MINUTE)  # 6 minutes since the last input
    left_alone = polls_during(page, polls, 2 * MINUTE)
    before_input = len(polls)
    page.keyboard.press("Shift")
    polls_during(page, polls, MINUTE)
    back = len(polls) - before_input

    assert (in_use, left_alone, back) == (12, 6, 1 + 6)
    context.close()


def polls_during(page: Page, polls: list[str], milliseconds: int) -> int:
    """How many polls the board sent while its clock ran `milliseconds` on (their requests seen by the test)."""
    before = len(polls)
    page.clock.run_for(milliseconds)
    page.wait_for_timeout(500)  # real time: the requests made meanwhile reach the test's listener
    return len(polls) - before
