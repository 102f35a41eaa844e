"""Stored conflicts follow every change they depend on, in the same transaction, and the cached list shows it."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.web.test_roster_api import DAY, assign, book, person, ship


def listed(client: TestClient, day: str = DAY) -> dict[str, Any]:
    """The events of a day as the board's cached list answers them, by slug."""
    return {e["slug"]: e for e in client.get("/api/events", params={"from": day, "to": day}).json()["events"]}


def kinds(event: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(c["kind"], c["overridden"]) for c in event["conflicts"]]


def double_booked(client: TestClient) -> tuple[str, str]:
    """Maria captains Ann's morning and, overridden, Bo's full day; the list has been read (and cached)."""
    maria = person(client, "Maria Santos")
    morning, day = book(client, "Ann", "am"), book(client, "Bo", "full")
    assign(client, morning, captain=maria["id"])
    assert assign(client, day, captain=maria["id"], override_reason="Leo takes over at noon").status_code == 200
    assert kinds(listed(client)[morning]) == [("person_double_booked", False)]
    return morning, day


def patch(client: TestClient, slug: str, **fields: Any) -> dict[str, Any]:
    version = client.get(f"/api/events/{slug}").json()["version"]
    response = client.patch(f"/api/events/{slug}", json={"version": version, **fields})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_cancelling_a_charter_clears_the_clash_on_both_events(client: TestClient) -> None:
    morning, day = double_booked(client)

    answer = patch(client, day, status="cancelled")

    assert answer["conflicts"] == [] and answer["override_reason"] == ""
    assert listed(client)[morning]["conflicts"] == []


def test_moving_a_charter_away_clears_the_clash_and_moving_it_back_shows_it_again_unreviewed(
    client: TestClient,
) -> None:
    morning, day = double_booked(client)

    moved = patch(client, day, date="2026-05-24")

    assert moved["slug"] == "2026-05-24-bo-full" and moved["conflicts"] == []
    assert listed(client)[morning]["conflicts"] == []
    back = patch(client, moved["slug"], date=DAY, period="am")
    assert kinds(back) == [("person_double_booked", False)]
    assert [c["other"] for c in listed(client)[morning]["conflicts"]] == [back["slug"]]


def test_a_rescheduled_period_that_now_overlaps_brings_the_conflict_with_its_new_slug(client: TestClient) -> None:
    maria = person(client, "Maria Santos")
    morning, evening = book(client, "Ann", "am"), book(client, "Bo", "sunset")
    assign(client, morning, captain=maria["id"])
    assign(client, evening, captain=maria["id"])
    listed(client)

    moved = patch(client, evening, period="full")

    assert moved["slug"] == f"{DAY}-bo-full" and kinds(moved) == [("person_double_booked", False)]
    assert [c["other"] for c in listed(client)[morning]["conflicts"]] == [moved["slug"]]


def test_a_bigger_party_is_over_capacity_and_a_smaller_one_no_longer(client: TestClient) -> None:
    dinghy = ship(client, "Dinghy", 4)
    slug = book(client, "Sarah", party_size=4)
    assign(client, slug, ship=dinghy["id"])
    listed(client)

    assert kinds(patch(client, slug, party_size=6)) == [("over_capacity", False)]
    assert kinds(listed(client)[slug]) == [("over_capacity", False)]
    assert patch(client, slug, party_size=3)["conflicts"] == []


def test_an_overridden_conflict_stays_overridden_and_a_new_one_after_the_override_is_shown_as_new(
    client: TestClient,
) -> None:
    dinghy = ship(client, "Dinghy", 4)
    slug = book(client, "Sarah", party_size=6)
    assign(client, slug, ship=dinghy["id"], override_reason="two are infants")
    maria = person(client, "Maria Santos", licence_expires="2026-06-30")
    assign(client, slug, ship=dinghy["id"], captain=maria["id"], override_reason="two are infants")

    client.patch(f"/api/people/{maria['id']}", json={"licence_expires": "2026-05-01"})

    event = listed(client)[slug]
    assert kinds(event) == [("over_capacity", True), ("licence_expired", False)]
    assert event["override_reason"] == "two are infants"


def test_a_smaller_ship_capacity_shows_the_conflict_on_its_upcoming_charters(client: TestClient) -> None:
    osprey = ship(client, "Osprey", 8)
    slug = book(client, "Sarah", party_size=6)
    assign(client, slug, ship=osprey["id"])
    listed(client)

    assert client.patch(f"/api/ships/{osprey['id']}", json={"capacity": 5}).status_code == 200

    assert kinds(listed(client)[slug]) == [("over_capacity", False)]
    client.patch(f"/api/ships/{osprey['id']}", json={"capacity": 10})
    assert listed(client)[slug]["conflicts"] == []


def test_a_renewed_medical_clears_the_conflict_and_a_lapsed_one_shows_it(client: TestClient) -> None:
    joe = person(client, "Joe", "crew", medical_expires="2026-05-22")
    slug = book(client, "Sarah")
    assign(client, slug, crew=[joe["id"]], override_reason="renewal booked")
    assert kinds(listed(client)[slug]) == [("medical_expired", True)]

    client.patch(f"/api/people/{joe['id']}", json={"medical_expires": "2027-05-22"})

    assert listed(client)[slug]["conflicts"] == [] and listed(client)[slug]["override_reason"] == ""
    client.patch(f"/api/people/{joe['id']}", json={"medical_expires": "2026-05-20"})
    assert kinds(listed(client)[slug]) == [("medical_expired", False)]


def test_a_past_charter_keeps_the_conflicts_it_had_when_a_licence_is_renewed(client: TestClient) -> None:
    maria = person(client, "Maria Santos", licence_expires="2026-04-01")
    response = client.post(
        "/api/events", json={"date": "2026-04-20", "period": "pm", "party_size": 2, "patron": {"first_name": "Old"}}
    )
    past = response.json()["slug"]
    assign(client, past, captain=maria["id"], override_reason="sailed before the rule")

    client.patch(f"/api/people/{maria['id']}", json={"licence_expires": "2027-04-01"})

    assert kinds(client.get(f"/api/events/{past}").json()) == [("licence_expired", True)]
