"""At the dock on a phone: a crew member checks the party in from the day sheet, a walk-up signs on the crew's
phone, the charter departs, the shore contact gets the manifest, and the board shows it."""

from __future__ import annotations

import email
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.board import card, open_board
from tests.browser.board_api import BoardApi
from tests.browser.conftest import LAPTOP
from tests.browser.test_day_sheet import PHONE
from tests.browser.test_guest_waiver import fill_adult
from tests.builders import PASSWORD
from tests.live_server import live_server
from tests.security.conftest import Server, prepare
from tests.security.guests import sign

TODAY = datetime.now(UTC).date().isoformat()  # the server runs on the real clock, in UTC
SHORE = "harbour-office@example.org"
ALL_DAY = {"SCC_PERIODS": "day=00:00-23:59", "SCC_SHORE_EMAIL": SHORE}  # a walk-up can sign whatever the hour


@pytest.fixture
def dock(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A server whose charters last all day and whose shore contact is SHORE: its URL and its data folder."""
    prepare(tmp_path / "data")
    with live_server(tmp_path / "data", **ALL_DAY) as (url, _):
        yield url, tmp_path / "data"


@pytest.fixture
def phone(browser: Browser, dock: tuple[str, Path]) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, base_url=dock[0], is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"the page threw: {errors}"


def todays_charter(api: BoardApi, server: Server) -> tuple[dict[str, Any], dict[str, Any]]:
    """Today's charter for a party of 3 with a ship and a captain, one guest signed in advance."""
    ana = api.call("POST", "/api/people", {"name": "Ana Ruiz", "role": "captain"})
    osprey = api.call("POST", "/api/ships", {"name": "Osprey", "capacity": 6})
    event = api.book(TODAY, "Sarah", period="day", party_size=3)
    api.call("PUT", f"/api/events/{event['slug']}/assignment", {"ship": osprey["id"], "captain": ana["id"]})
    assert sign(server, event["guest_url"], name="Lia Costa").status == 303
    return event, ana


def manifests(data_dir: Path) -> list[email.message.Message]:
    """The messages the delivery process wrote for the shore contact (the `folder` transport)."""
    found = [email.message_from_bytes(path.read_bytes()) for path in sorted((data_dir / "outbox").glob("*.eml"))]
    return [message for message in found if message["To"] == SHORE]


def test_a_crew_member_checks_the_party_in_on_a_phone_and_departs(
    phone: Page, browser: Browser, dock: tuple[str, Path]
) -> None:
    url, data_dir = dock
    api = BoardApi.signed_in(url, PASSWORD)
    event, ana = todays_charter(api, Server(url, data_dir))
    charter = phone.locator(f"[id='{event['slug']}']")
    phone.goto(ana["day_sheet_url"])

    charter.get_by_role("button", name="Aboard: Lia Costa").click()
    expect(charter.locator(".headcount")).to_have_text("Aboard: 1 of a party of 3 · ship takes 6")
    charter.get_by_label("Walk-up guest's name").fill("Walker Pérez")
    charter.get_by_role("button", name="Add aboard").click()
    expect(charter.get_by_text("not signed", exact=True)).to_be_visible()
    expect(charter.locator(".warning")).to_contain_text("Not signed, aboard: Walker Pérez")
    charter.get_by_text("Or show the party's QR code").click()
    expect(charter.locator(".qr-box svg")).to_be_visible()
    charter.get_by_role("link", name="open the waiver").click()  # the phone is handed to the walk-up
    fill_adult(phone, "Walker Pérez")
    phone.get_by_role("button", name="Sign the waiver").click()
    expect(phone.get_by_role("heading", name="Signed liability waiver")).to_be_visible()
    phone.goto(ana["day_sheet_url"])  # and handed back
    expect(charter.locator(".headcount")).to_have_text("Aboard: 2 of a party of 3 · ship takes 6")
    expect(charter.get_by_text("not signed", exact=True)).to_have_count(0)

    charter.get_by_role("button", name="Depart with 2 aboard").click()

    expect(charter.locator(".state")).to_contain_text("with 2 aboard")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    deadline = time.monotonic() + 10
    while not manifests(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    (manifest,) = manifests(data_dir)
    text = manifest.get_payload(decode=True).decode()
    assert "1. Lia Costa - adult" in text and "2. Walker Pérez (walk-up) - adult" in text
    assert "Captain:  Ana Ruiz" in text and "Ship:     Osprey (capacity 6)" in text

    board = browser.new_context(viewport=LAPTOP, base_url=url, timezone_id="UTC").new_page()
    open_board(board, TODAY, TODAY)
    expect(card(board, event["slug"]).locator(".dock-badge")).to_have_text(
        f"Departed {charter.locator('.state').inner_text().split()[1]} · 2 aboard"
    )
    board.context.close()
