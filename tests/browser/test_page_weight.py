"""The dispatch page's first visit stays within its budget on a phone's signal: 60 KB of HTML, JS and CSS, every
file from our own origin. `bench/board_render.py` reports the same figure with its render time."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, Response, expect

from tests.browser.board import open_board, row
from tests.browser.board_api import BoardApi
from tests.builders import Days

BUDGET_BYTES = 60 * 1024
PAGE_TYPES = ("document", "script", "stylesheet")


def test_a_first_visit_to_the_board_downloads_under_60_kb_all_from_our_own_origin(
    page: Page, api: BoardApi, days: Days, server: str
) -> None:
    slug = api.book(days.at(1), "Sarah", amount_due="900.00")["slug"]
    seen: list[tuple[str, str, int]] = []

    def count(response: Response) -> None:
        if response.request.resource_type in PAGE_TYPES:
            seen.append((response.request.resource_type, response.url, len(response.body()) if response.ok else 0))

    page.on("response", count)
    open_board(page, days)
    expect(row(page, slug)).to_be_visible()
    page.wait_for_load_state("networkidle")

    total = sum(size for _, _, size in seen)
    assert total < BUDGET_BYTES, sorted(seen, key=lambda seen_file: -seen_file[2])
    assert {urlsplit(address).netloc for _, address, _ in seen} == {urlsplit(server).netloc}
