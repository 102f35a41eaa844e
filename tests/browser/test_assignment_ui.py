"""Assigning ship and crew from the board: a double-booked captain is warned about, overridden with a reason,
and the conflict stays on the card."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.board import ACTIVE, card, open_board
from tests.browser.board_api import BoardApi
from tests.builders import Days

pytestmark = pytest.mark.fresh_server  # the assignment form lists every captain and ship of the store

DAYS = Days(date(2031, 6, 9))
DAY = DAYS.at(5)
MORNING, FULL_DAY = f"{DAY}-ann-am", f"{DAY}-bo-full"


def test_a_double_booked_captain_is_warned_about_overridden_with_a_reason_and_badged(page: Page, api: BoardApi) -> None:
    maria = api.call("POST", "/api/people", {"name": "Maria Santos", "role": "captain"})
    api.call("POST", "/api/ships", {"name": "Osprey", "capacity": 12})
    api.book(DAY, "Ann", "am")
    api.book(DAY, "Bo", "full")
    api.call("PUT", f"/api/events/{MORNING}/assignment", {"captain": maria["id"]})
    open_board(page, DAYS)

    card(page, FULL_DAY).get_by_role("button", name="Assign").click()
    modal = page.locator("#assign-modal")
    modal.get_by_label("Ship").select_option(label="Osprey (12)")
    modal.get_by_label("Captain").select_option(label="Maria Santos")
    modal.get_by_role("button", name="Save").click()

    expect(modal.locator(".conflict-warning")).to_contain_text(f"Maria Santos is also on {MORNING}")
    expect(modal).to_have_class(ACTIVE)
    modal.get_by_label("Override reason").fill("Leo takes the morning charter")
    modal.get_by_role("button", name="Save").click()

    expect(modal).not_to_have_class(ACTIVE)
    day = card(page, FULL_DAY)
    expect(day.locator(".conflict-badge")).to_have_text("⚠ 1 conflict · overridden")
    expect(day.locator(".conflict-note")).to_contain_text("Override: Leo takes the morning charter")
    expect(day.locator(".crew")).to_have_text("Ship Osprey · Captain Maria Santos")
    saved = api.call("GET", f"/api/events/{FULL_DAY}")
    assert (saved["captain"], saved["override_reason"]) == ("Maria Santos", "Leo takes the morning charter")
    page.reload()
    expect(card(page, MORNING).locator(".conflict-badge")).to_have_text("⚠ 1 conflict")
