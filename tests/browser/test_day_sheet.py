"""A captain's day sheet on a phone at the dock: it keeps working without a signal once loaded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.board_api import BoardApi

pytestmark = pytest.mark.fresh_server  # today is a fixed day, and the roster names repeat
PHONE = {"width": 375, "height": 740}
TODAY = datetime.now(UTC).date()  # the server runs on the real clock, in UTC (SCC_TIMEZONE unset)


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, base_url=server, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


def crewed_today(api: BoardApi, party_size: int = 4) -> tuple[dict[str, Any], dict[str, Any]]:
    """Today's charter with a ship and a captain; the captain as the roster lists them."""
    ana = api.call("POST", "/api/people", {"name": "Ana Ruiz", "role": "captain"})
    osprey = api.call("POST", "/api/ships", {"name": "Osprey", "capacity": 6})
    event = api.book(TODAY.isoformat(), "Sarah", party_size=party_size)
    api.call("PUT", f"/api/events/{event['slug']}/assignment", {"ship": osprey["id"], "captain": ana["id"]})
    return event, ana


def wait_for_the_offline_copy(page: Page) -> None:
    page.wait_for_function(
        "caches.open('day-sheet-v1').then((cache) => cache.match(location.href)).then(Boolean)", polling=100
    )


def test_a_loaded_sheet_still_shows_without_a_signal_with_the_time_it_was_read(phone: Page, api: BoardApi) -> None:
    event, ana = crewed_today(api)
    phone.goto(ana["day_sheet_url"])
    expect(phone.get_by_role("heading", name="Ana Ruiz")).to_be_visible()
    read_at = phone.locator(".as-of time").inner_text()
    wait_for_the_offline_copy(phone)
    api.call("POST", f"/api/people/{ana['id']}/day-sheet/rotate")  # from now on the server answers 404 to this link

    phone.context.set_offline(True)
    phone.reload()

    expect(phone.get_by_role("heading", name="Ana Ruiz")).to_be_visible()
    expect(phone.get_by_text(f"Offline: this is the copy from {read_at}.")).to_be_visible()
    expect(phone.locator(f"[id='{event['slug']}']")).to_contain_text("Osprey")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_with_a_signal_again_a_rotated_link_is_dead_and_its_copy_gone(phone: Page, api: BoardApi) -> None:
    _, ana = crewed_today(api)
    phone.goto(ana["day_sheet_url"])
    wait_for_the_offline_copy(phone)
    api.call("POST", f"/api/people/{ana['id']}/day-sheet/rotate")

    phone.reload()

    expect(phone.get_by_role("heading", name="Day sheet not found")).to_be_visible()
    phone.context.set_offline(True)
    with pytest.raises(Exception, match=r"ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
        phone.reload()
