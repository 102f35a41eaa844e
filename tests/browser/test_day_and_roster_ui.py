"""The day view (a lane per ship), a person's schedule, and the roster panel, each loaded on first use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.board import ACTIVE, open_board
from tests.browser.board_api import BoardApi
from tests.builders import Days

pytestmark = pytest.mark.fresh_server  # the roster panel and a person's schedule show the whole store

BOARD = Days(date(2031, 6, 9))

# Within the schedule's next 90 days of the server's real clock.
DAY = (date.today() + timedelta(days=10)).isoformat()
MORNING, FULL_DAY = f"{DAY}-ann-am", f"{DAY}-bo-full"


def test_the_day_view_puts_each_charter_in_its_ships_lane_with_its_conflict_and_opens_a_persons_schedule(
    page: Page, api: BoardApi
) -> None:
    maria = api.call("POST", "/api/people", {"name": "Maria Santos", "role": "captain"})
    osprey = api.call("POST", "/api/ships", {"name": "Osprey", "capacity": 12})
    api.call("POST", "/api/ships", {"name": "Tern", "capacity": 6})
    api.book(DAY, "Ann", "am")
    api.book(DAY, "Bo", "full")
    api.call("PUT", f"/api/events/{MORNING}/assignment", {"ship": osprey["id"], "captain": maria["id"]})
    api.call("PUT", f"/api/events/{FULL_DAY}/assignment", {"captain": maria["id"], "override_reason": "Leo at noon"})
    open_board(page, BOARD)

    page.get_by_role("button", name="Day view").click()
    modal = page.locator("#day-modal")
    modal.get_by_label("Day").fill(DAY)

    expect(modal).to_have_class(ACTIVE)
    lanes = modal.locator(".lane")
    expect(lanes.locator("h3")).to_have_text(["Osprey (12)", "Tern (6)", "No ship yet"])
    expect(lanes.nth(0).locator(".slug")).to_have_text([MORNING])
    expect(lanes.nth(1)).to_contain_text("Free")
    expect(lanes.nth(0).locator(".conflict-badge")).to_have_text("⚠ 1 conflict")
    expect(lanes.nth(2).locator(".conflict-badge")).to_have_text("⚠ 1 conflict · overridden")
    lanes.nth(0).get_by_role("button", name="Captain Maria Santos").click()
    schedule = page.locator("#schedule-modal")
    expect(schedule.locator("h2")).to_have_text("Maria Santos · the next 90 days")
    expect(schedule.locator(".slug")).to_have_text([MORNING, FULL_DAY])
    expect(schedule.locator(".lane-event").nth(1)).to_contain_text("as captain")
    expect(schedule.locator(".conflict-badge").nth(1)).to_be_visible()


def test_the_roster_panel_adds_and_edits_ships_and_people_and_shows_the_servers_error_on_its_field(
    page: Page, api: BoardApi
) -> None:
    open_board(page, BOARD)

    page.get_by_role("button", name="Roster").click()
    modal = page.locator("#roster-modal")
    ship_form = modal.locator(".ship-form")
    ship_form.get_by_label("Ship name").fill("Osprey")
    ship_form.get_by_label("Capacity").fill("0")
    ship_form.get_by_role("button", name="Add ship").click()
    expect(ship_form.get_by_label("Capacity")).to_have_attribute("aria-invalid", "true")
    expect(ship_form.locator(".field-error").nth(1)).to_contain_text("capacity")
    ship_form.get_by_label("Capacity").fill("12")
    ship_form.get_by_role("button", name="Add ship").click()
    expect(modal.locator(".roster-list").first.locator("span")).to_have_text(["Osprey · 12 passengers"])

    person_form = modal.locator(".person-form")
    person_form.get_by_label("Name").fill("Maria <b>Santos</b>")
    person_form.get_by_label("Email").fill("not-an-address")
    person_form.get_by_role("button", name="Add person").click()
    expect(person_form.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    person_form.get_by_label("Email").fill("maria@example.org")
    person_form.get_by_label("Licence expires").fill("2031-01-31")
    person_form.get_by_role("button", name="Add person").click()
    people = modal.locator(".roster-list").nth(1)
    expect(people).to_contain_text("Maria <b>Santos</b> · captain · maria@example.org · licence to 2031-01-31")

    people.get_by_role("button", name="Edit").click()
    person_form.get_by_label("Role").select_option("crew")
    person_form.get_by_role("button", name="Save person").click()
    expect(people).to_contain_text("Maria <b>Santos</b> · crew")
    [maria] = api.call("GET", "/api/roster")["people"]
    assert (maria["role"], maria["licence_expires"]) == ("crew", "2031-01-31")


def test_retiring_from_the_roster_panel_asks_first_and_says_which_upcoming_charter_holds_it(
    page: Page, api: BoardApi
) -> None:
    osprey = api.call("POST", "/api/ships", {"name": "Osprey", "capacity": 12})
    api.call("POST", "/api/ships", {"name": "Tern", "capacity": 6})
    api.book(DAY, "Ann", "am")
    api.call("PUT", f"/api/events/{MORNING}/assignment", {"ship": osprey["id"]})
    open_board(page, BOARD)
    page.get_by_role("button", name="Roster").click()
    ships = page.locator("#roster-modal .roster-list").first
    expect(ships.locator("span")).to_have_text(["Osprey · 12 passengers", "Tern · 6 passengers"])

    page.once("dialog", lambda dialog: dialog.dismiss())
    ships.locator("li", has_text="Tern").get_by_role("button", name="Retire").click()
    expect(ships.locator("span")).to_have_text(["Osprey · 12 passengers", "Tern · 6 passengers"])

    page.once("dialog", lambda dialog: dialog.accept())
    ships.locator("li", has_text="Osprey").get_by_role("button", name="Retire").click()
    expect(page.locator("#roster-modal .form-error")).to_contain_text(f"assigned to upcoming charters: {MORNING}")

    page.once("dialog", lambda dialog: dialog.accept())
    ships.locator("li", has_text="Tern").get_by_role("button", name="Retire").click()
    expect(ships.locator("span")).to_have_text(["Osprey · 12 passengers"])
    expect(page.locator("#roster-modal .form-error")).to_be_hidden()
    assert [ship["name"] for ship in api.call("GET", "/api/roster")["ships"]] == ["Osprey"]


def test_a_new_calendar_link_from_the_roster_panel_is_shown_and_the_old_one_stops_working(
    page: Page, api: BoardApi, days: Days
) -> None:
    maria = api.call("POST", "/api/people", {"name": "Maria Santos", "role": "captain"})
    open_board(page, days)
    page.get_by_role("button", name="Roster").click()
    people = page.locator("#roster-modal .roster-list").nth(1)

    page.once("dialog", lambda dialog: dialog.accept())
    people.locator("li", has_text="Maria Santos").get_by_role("button", name="New calendar link").click()

    shown = page.locator("#roster-modal .calendar-link")
    expect(shown).to_contain_text("Maria Santos's new calendar link: http")
    [now] = api.call("GET", "/api/roster")["people"]
    assert now["calendar_url"] != maria["calendar_url"]
    expect(shown).to_contain_text(now["calendar_url"])
