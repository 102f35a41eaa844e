"""The roster API and event assignment: every conflict kind, the override, and what the board's cache sees."""

from __future__ import annotations

import logging
from typing import Any

import icalendar
from starlette.testclient import TestClient

from shipcaptaincrew.services import outbox
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.logs import RedactSecrets
from tests.builders import event_body

DAY = "2026-05-23"


def ship(client: TestClient, name: str = "Osprey", capacity: int = 8) -> dict[str, Any]:
    response = client.post("/api/ships", json={"name": name, "capacity": capacity})
    assert response.status_code == 201, response.text
    return dict(response.json())


def person(client: TestClient, name: str, role: str = "captain", **fields: Any) -> dict[str, Any]:
    response = client.post("/api/people", json={"name": name, "role": role, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def book(client: TestClient, first_name: str, period: str = "pm", **fields: Any) -> str:
    response = client.post(
        "/api/events", json=event_body(date=DAY, period=period, patron={"first_name": first_name}, **fields)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["slug"])


def assign(client: TestClient, slug: str, **body: Any) -> Any:
    return client.put(f"/api/events/{slug}/assignment", json=body)


def test_an_assignment_without_conflicts_is_saved_and_shown_by_name_and_id(client: TestClient) -> None:
    osprey, maria, joe = ship(client), person(client, "Maria Santos"), person(client, "Joe", "crew")
    slug = book(client, "Sarah")

    response = assign(client, slug, ship=osprey["id"], captain=maria["id"], crew=[joe["id"]])

    assert response.status_code == 200, response.text
    event = client.get(f"/api/events/{slug}").json()
    assert (event["ship"], event["captain"], event["crew"]) == ("Osprey", "Maria Santos", ["Joe"])
    assert (event["ship_id"], event["captain_id"], event["crew_ids"]) == (osprey["id"], maria["id"], [joe["id"]])
    assert (event["conflicts"], event["override_reason"]) == ([], "")


def test_a_double_booked_captain_is_a_409_listing_the_conflict_and_nothing_is_saved(client: TestClient) -> None:
    maria = person(client, "Maria Santos")
    morning, day = book(client, "Ann", "am"), book(client, "Bo", "full")
    assign(client, morning, captain=maria["id"])

    response = assign(client, day, captain=maria["id"])

    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "assignment_conflicts" and body["error"]["field"] == "override_reason"
    assert [(c["kind"], c["other"]) for c in body["conflicts"]] == [("person_double_booked", morning)]
    assert client.get(f"/api/events/{day}").json()["captain"] is None


def test_an_override_with_a_reason_saves_the_conflict_audits_it_and_marks_both_events(
    client: TestClient, ctx: Context
) -> None:
    maria = person(client, "Maria Santos")
    morning, day = book(client, "Ann", "am"), book(client, "Bo", "full")
    assign(client, morning, captain=maria["id"])

    response = assign(client, day, captain=maria["id"], override_reason="Leo takes over at noon")

    assert response.status_code == 200
    saved = response.json()
    assert saved["override_reason"] == "Leo takes over at noon"
    assert [c["kind"] for c in saved["conflicts"]] == ["person_double_booked"]
    listed = {e["slug"]: e for e in client.get("/api/events", params={"from": DAY, "to": DAY}).json()["events"]}
    assert [c["other"] for c in listed[morning]["conflicts"]] == [day]
    assert listed[day]["override_reason"] == "Leo takes over at noon"
    with ctx.store.reading() as uow:
        row = uow.events._connection.execute(  # type: ignore[attr-defined]
            "SELECT data FROM audit WHERE action = 'event.assigned' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert "Leo takes over at noon" in row[0] and "person_double_booked" in row[0]


def test_the_same_ship_on_overlapping_charters_is_a_conflict(client: TestClient) -> None:
    osprey = ship(client)
    first, second = book(client, "Ann", "pm"), book(client, "Bo", "full")
    assign(client, first, ship=osprey["id"])

    response = assign(client, second, ship=osprey["id"])

    assert [c["kind"] for c in response.json()["conflicts"]] == ["ship_double_booked"]


def test_a_cancelled_charter_does_not_hold_its_ship(client: TestClient) -> None:
    osprey = ship(client)
    first, second = book(client, "Ann", "pm"), book(client, "Bo", "pm")
    assign(client, first, ship=osprey["id"])
    client.patch(f"/api/events/{first}", json={"version": 1, "status": "cancelled"})

    assert assign(client, second, ship=osprey["id"]).status_code == 200


def test_a_party_over_the_ships_capacity_is_a_conflict(client: TestClient) -> None:
    dinghy = ship(client, "Dinghy", 4)
    slug = book(client, "Sarah", party_size=6)

    response = assign(client, slug, ship=dinghy["id"])

    assert [c["kind"] for c in response.json()["conflicts"]] == ["over_capacity"]


def test_an_expired_licence_or_medical_is_a_conflict(client: TestClient) -> None:
    lapsed = person(client, "Maria Santos", licence_expires="2026-05-01")
    unfit = person(client, "Joe", "crew", medical_expires="2026-05-22")
    slug = book(client, "Sarah")

    response = assign(client, slug, captain=lapsed["id"], crew=[unfit["id"]])

    assert [c["kind"] for c in response.json()["conflicts"]] == ["licence_expired", "medical_expired"]


def test_bad_roster_input_is_a_400_naming_the_field_never_a_500(client: TestClient) -> None:
    joe = person(client, "Joe", "crew")
    slug = book(client, "Sarah")
    cases = [
        ("/api/ships", {"name": "", "capacity": 8}, "name"),
        ("/api/ships", {"name": "Osprey", "capacity": 0}, "capacity"),
        ("/api/people", {"name": "Al", "role": "cook"}, "role"),
        ("/api/people", {"name": "Al", "role": "crew", "email": "nope"}, "email"),
        ("/api/people", {"name": "Al", "role": "crew", "licence_expires": "2026-02-30"}, "licence_expires"),
    ]
    for path, body, field in cases:
        response = client.post(path, json=body)
        assert (response.status_code, response.json()["error"]["field"]) == (400, field), response.text
    for body, field in (
        ({"captain": joe["id"]}, "captain"),
        ({"ship": "shp_nope"}, "ship"),
        ({"crew": [joe["id"], joe["id"]]}, "crew"),
        ({"crew": "x"}, "crew"),
    ):
        response = assign(client, slug, **body)
        assert (response.status_code, response.json()["error"]["field"]) == (400, field), response.text


def test_a_ship_name_is_unique_and_a_renamed_ship_shows_its_new_name_on_the_cached_list(client: TestClient) -> None:
    osprey = ship(client)
    slug = book(client, "Sarah")
    assign(client, slug, ship=osprey["id"])
    window = {"from": DAY, "to": DAY}
    assert client.get("/api/events", params=window).json()["events"][0]["ship"] == "Osprey"

    assert client.post("/api/ships", json={"name": "Osprey", "capacity": 4}).status_code == 409
    assert client.patch(f"/api/ships/{osprey['id']}", json={"name": "Sea Osprey"}).status_code == 200

    assert client.get("/api/events", params=window).json()["events"][0]["ship"] == "Sea Osprey"


def test_an_assignment_is_seen_at_once_by_the_cached_list(client: TestClient) -> None:
    maria = person(client, "Maria Santos")
    slug = book(client, "Sarah")
    window = {"from": DAY, "to": DAY}
    assert client.get("/api/events", params=window).json()["events"][0]["captain"] is None

    assign(client, slug, captain=maria["id"])

    assert client.get("/api/events", params=window).json()["events"][0]["captain"] == "Maria Santos"


def test_newly_assigned_people_with_an_email_get_the_assignment_through_the_outbox(
    client: TestClient, ctx: Context
) -> None:
    maria = person(client, "Maria Santos", email="maria@example.org")
    joe = person(client, "Joe", "crew")
    slug = book(client, "Sarah")

    assign(client, slug, captain=maria["id"], crew=[joe["id"]])
    assign(client, slug, captain=maria["id"], crew=[joe["id"]])

    queued = [m for m in outbox.recent(ctx, 20) if m.kind == "assignment"]
    assert [m.email.to for m in queued] == ["maria@example.org"]
    assert "as captain on the charter of 2026-05-23 (pm, 13:00-17:00)" in queued[0].email.text


def test_the_assignment_email_links_to_the_persons_calendar_feed_at_the_public_address(
    client: TestClient, ctx: Context
) -> None:
    ctx.public_url = "https://charters.example.com"
    maria = person(client, "Maria Santos", email="maria@example.org")
    assign(client, book(client, "Sarah"), captain=maria["id"])

    [queued] = [m for m in outbox.recent(ctx, 20) if m.kind == "assignment"]

    feed = f"https://charters.example.com{maria['calendar_url']}"
    assert f"add to your phone once: {feed}\n" in queued.email.text
    assert queued.email.facts["calendar_url"] == feed


def test_a_persons_calendar_feed_parses_back_with_their_charters(client: TestClient, anonymous: TestClient) -> None:
    maria = person(client, "Maria Santos")
    osprey = ship(client)
    slug = book(client, "Sarah")
    assign(client, slug, ship=osprey["id"], captain=maria["id"])
    del anonymous.headers["Authorization"]

    response = anonymous.get(maria["calendar_url"])

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Captain: Osprey - pm charter"]
    assert events[0].decoded("dtstart").isoformat() == "2026-05-23T13:00:00"
    assert anonymous.get("/cal/not-a-token.ics").status_code == 404


def test_the_calendar_token_is_long_and_redacted_from_access_logs(client: TestClient) -> None:
    url = person(client, "Maria Santos")["calendar_url"]
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, '%s - "GET %s HTTP/1.1" 200', ("1.2.3.4", url), None
    )

    RedactSecrets().filter(record)

    assert len(url.removeprefix("/cal/").removesuffix(".ics")) >= 32
    assert record.args == ("1.2.3.4", "/cal/[redacted].ics")


def test_a_persons_schedule_lists_their_upcoming_charters(client: TestClient) -> None:
    maria = person(client, "Maria Santos")
    slug = book(client, "Sarah")
    assign(client, slug, captain=maria["id"])

    schedule = client.get(f"/api/people/{maria['id']}/schedule").json()

    assert [e["slug"] for e in schedule["events"]] == [slug]
    assert client.get("/api/people/per_nope/schedule").status_code == 404


def test_rotating_a_calendar_link_is_audited_and_needs_a_known_person_and_a_token(
    client: TestClient, ctx: Context
) -> None:
    maria = person(client, "Maria Santos")

    rotated = client.post(f"/api/people/{maria['id']}/calendar/rotate")

    assert rotated.status_code == 200 and rotated.json()["calendar_url"] != maria["calendar_url"]
    with ctx.store.reading() as uow:
        actions = [row[0] for row in uow._connection.execute("SELECT action FROM audit")]  # type: ignore[attr-defined]
    assert "person.calendar_rotated" in actions
    assert client.post("/api/people/per_nope/calendar/rotate").status_code == 404
    client.headers.pop("Authorization")
    assert client.post(f"/api/people/{maria['id']}/calendar/rotate").status_code == 401
