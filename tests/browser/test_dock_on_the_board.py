"""The dock on the dispatcher's board: each of today's rows says where its charter stands (boarding x of y,
departed with how many aboard, returned), and follows the crew's taps on the day sheet by itself."""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.board import POLL, open_board, row
from tests.browser.board_api import BoardApi
from tests.browser.test_day_sheet import PHONE
from tests.browser.test_dock import TODAY, dock  # noqa: F401 (the fixture)
from tests.builders import PASSWORD


@pytest.fixture
def board(browser: Browser, dock: tuple[str, Path]) -> Iterator[Page]:  # noqa: F811
    """The board on a phone, in UTC as the server is, so the times it shows are the server's."""
    context = browser.new_context(viewport=PHONE, base_url=dock[0], is_mobile=True, has_touch=True, timezone_id="UTC")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    opened.clock.install()  # the page's timers, run forward by the test: a poll without waiting for it
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"the page threw: {errors}"


def tap(sheet: str, slug: str, what: str, **fields: str) -> None:
    """A tap on the crew's day sheet: the form's POST, as the crew's phone sends it."""
    request = urllib.request.Request(f"{sheet}/{slug}/{what}", urllib.parse.urlencode(fields).encode(), method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("Sec-Fetch-Site", "same-origin")
    with urllib.request.urlopen(request, timeout=10) as answer:  # follows the 303 back to the sheet
        assert answer.status == 200, answer.status


def crewed_charter(api: BoardApi) -> tuple[str, str]:
    """Today's charter for a party of 3 with a captain: its slug and the captain's day sheet's full address."""
    ana = api.call("POST", "/api/people", {"name": "Ana Ruiz", "role": "captain"})
    slug: str = api.book(TODAY, "Sarah", period="day", party_size=3)["slug"]
    api.call("PUT", f"/api/events/{slug}/assignment", {"captain": ana["id"]})
    return slug, api.base_url + ana["day_sheet_url"]


def hh_mm(event: dict[str, Any], field: str) -> str:
    return datetime.fromisoformat(event[field]).strftime("%H:%M")


def test_a_row_follows_the_dock_from_boarding_to_departed_to_returned(board: Page, dock: tuple[str, Path]) -> None:  # noqa: F811
    api = BoardApi.signed_in(dock[0], PASSWORD)
    slug, sheet = crewed_charter(api)
    open_board(board, TODAY, TODAY)
    sarah = row(board, slug)
    expect(sarah.locator(".tag")).to_have_text(["Unpaid", "Waivers missing"])

    tap(sheet, slug, "walk-up", name="Walker Pérez")
    board.clock.run_for(POLL)
    expect(sarah.locator(".tag.dock")).to_have_text("Boarding 1/3")

    tap(sheet, slug, "depart", override_reason="Walker signs at the first stop")
    departed = hh_mm(api.call("GET", f"/api/events/{slug}"), "departed_at")
    board.clock.run_for(POLL)
    expect(sarah.locator(".tag.dock")).to_have_text(f"Departed {departed} · 1 aboard")

    tap(sheet, slug, "return")
    returned = api.call("GET", f"/api/events/{slug}")
    board.clock.run_for(POLL)
    expect(sarah.locator(".tag.dock")).to_have_text(f"Returned {hh_mm(returned, 'returned_at')}")
    assert board.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(board)
