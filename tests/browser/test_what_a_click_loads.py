"""The board's first visit stays small: what a click needs (the card, the modals, the weather call, refunds and rain
checks) loads on that click, never with the page. Bytes, not time: the same on any machine."""

from __future__ import annotations

import json

from playwright.sync_api import Browser, expect

from tests.browser.board_api import BoardApi
from tests.builders import Days

BUDGET = 60 * 1024  # uncompressed document, scripts and stylesheets
ON_A_CLICK = ("modals.html", "charter-day.html", "card.css", "card.js", "weather.js", "money-back.js", "history.js")


def test_the_first_visit_to_the_board_stays_under_60_kb_and_leaves_what_a_click_needs_for_the_click(
    browser: Browser, server: str, api: BoardApi, days: Days
) -> None:
    api.book(days.at(2), "Sarah")
    context = browser.new_context(base_url=server, viewport={"width": 375, "height": 740}, is_mobile=True)
    session = json.dumps({"token": api.token, "expires_at": "2999-01-01T00:00:00Z"})
    context.add_init_script(f"localStorage.setItem('scc.session', {json.dumps(session)});")
    page = context.new_page()
    fetched: list[tuple[str, str, int]] = []  # (resource type, file name, bytes)
    page.on(
        "response",
        lambda answer: fetched.append(
            (answer.request.resource_type, answer.url.rsplit("/", 1)[-1], len(answer.body()) if answer.ok else 0)
        ),
    )

    page.goto(f"/?from={days.first}&to={days.last}")
    expect(page.locator("body[data-board=ready]")).to_be_attached()
    page.wait_for_load_state("networkidle")

    page_bytes = sum(size for kind, _, size in fetched if kind in ("document", "script", "stylesheet"))
    assert page_bytes < BUDGET, f"{page_bytes:,} bytes: {sorted(fetched)}"
    assert not [name for _, name, _ in fetched if name in ON_A_CLICK]
    context.close()
