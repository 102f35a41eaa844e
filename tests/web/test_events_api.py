from __future__ import annotations

import re

from starlette.testclient import TestClient

from shipcaptaincrew.services import booking
from shipcaptaincrew.services.context import Context
from tests.builders import event_body, event_details, payment_body


def test_booking_builds_the_slug_from_date_first_name_and_period(client: TestClient) -> None:
    response = client.post("/api/events", json=event_body(patron={"first_name": "Mary Kate"}, period="sunset"))

    assert response.status_code == 201
    assert response.json()["slug"] == "2026-05-23-marykate-sunset"
    assert response.headers["location"] == "/api/events/2026-05-23-marykate-sunset"


def test_a_new_event_is_not_paid_and_owes_its_price(client: TestClient) -> None:
    event = client.post("/api/events", json=event_body(amount_due="125.5")).json()

    assert event["payment_cleared"] is False
    assert event["payment_cleared_at"] is None
    assert (event["amount_due_cents"], event["paid_cents"], event["balance_cents"]) == (12550, 0, 12550)
    assert re.fullmatch(r"/g/2026-05-23-sarah-pm/[A-Za-z0-9_-]{24}", event["guest_url"])


def test_a_json_number_amount_is_read_exactly_without_float(client: TestClient) -> None:
    response = client.post(
        "/api/events",
        content=b'{"date":"2026-05-23","period":"pm","patron":{"first_name":"Al"},"party_size":2,"amount_due":125.50}',
        headers={"content-type": "application/json"},
    )

    assert response.json()["amount_due_cents"] == 12550


def test_a_taken_slug_is_a_409_that_says_so(client: TestClient) -> None:
    client.post("/api/events", json=event_body())

    response = client.post("/api/events", json=event_body(patron={"first_name": "SARAH"}))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slug_taken"
    assert "2026-05-23-sarah-pm" in response.json()["error"]["message"]


def test_a_given_slug_must_match_the_date_and_period(client: TestClient) -> None:
    response = client.post("/api/events", json=event_body(slug="2026-05-24-sarah-pm"))

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "slug"


def test_a_given_conforming_slug_is_used(client: TestClient) -> None:
    response = client.post("/api/events", json=event_body(slug="2026-05-23-sally-pm"))

    assert response.json()["slug"] == "2026-05-23-sally-pm"


def test_every_bad_field_is_a_400_that_names_it(client: TestClient) -> None:
    cases = {
        "date": event_body(date="2026-02-30"),
        "period": event_body(period="noon"),
        "party_size": event_body(party_size=0),
        "amount_due": event_body(amount_due="12.345"),
        "patron.first_name": event_body(patron={"first_name": ""}),
        "patron.email": event_body(patron={"first_name": "Al", "email": "not-an-email"}),
        "patron.nickname": event_body(patron={"first_name": "Al", "nickname": "x"}),
        "title": event_body(title="line\nbreak"),
        "color": event_body(color="red"),
    }
    for field, body in cases.items():
        response = client.post("/api/events", json=body)
        assert response.status_code == 400, field
        assert response.json()["error"]["field"] == field, response.json()


def test_a_missing_field_is_named(client: TestClient) -> None:
    body = event_body()
    del body["party_size"]

    response = client.post("/api/events", json=body)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "party_size"


def test_a_refused_booking_writes_nothing(client: TestClient, ctx: Context) -> None:
    client.post("/api/events", json=event_body(amount_due="-1"))
    client.post("/api/events", json=event_body(patron={"first_name": "李"}))

    assert client.get("/api/events?from=2026-05-01&to=2026-05-31").json()["events"] == []


def test_the_list_is_ordered_by_date_then_period_start(client: TestClient) -> None:
    for day, period, name in [("2026-05-24", "am", "Cy"), ("2026-05-23", "sunset", "Bo"), ("2026-05-23", "am", "Al")]:
        client.post("/api/events", json=event_body(date=day, period=period, patron={"first_name": name}))

    events = client.get("/api/events?from=2026-05-23&to=2026-05-24").json()["events"]

    assert [event["slug"] for event in events] == ["2026-05-23-al-am", "2026-05-23-bo-sunset", "2026-05-24-cy-am"]


def test_the_list_holds_only_the_window(client: TestClient) -> None:
    for day in ["2026-05-22", "2026-05-23", "2026-06-06", "2026-06-07"]:
        client.post("/api/events", json=event_body(date=day))

    events = client.get("/api/events?from=2026-05-23&to=2026-06-06").json()["events"]

    assert [event["date"] for event in events] == ["2026-05-23", "2026-06-06"]


def test_the_list_pages_with_a_cursor_without_gaps_or_repeats(client: TestClient, ctx: Context) -> None:
    names = ["Al", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"]
    for index, name in enumerate(names):
        booking.create_event(ctx, event_details(first_name=name, period=["am", "pm", "sunset"][index % 3]), "test")
    seen, cursor = [], None
    while True:
        query = "from=2026-05-23&to=2026-05-23&limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/events?{query}").json()
        seen += [event["slug"] for event in page["events"]]
        if not (cursor := page["next_cursor"]):
            break

    assert len(seen) == len(names) == len(set(seen))


def test_bad_query_parameters_are_named(client: TestClient) -> None:
    for query, field in [
        ("from=tomorrow", "from"),
        ("from=2026-05-23&to=2026-05-01", "to"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("cursor=%%%", "cursor"),
    ]:
        response = client.get(f"/api/events?{query}")
        assert response.status_code == 400, query
        assert response.json()["error"]["field"] == field, query


def test_a_date_the_calendar_lacks_is_named_as_not_a_date_in_bodies_and_queries(client: TestClient) -> None:
    client.post("/api/events", json=event_body())
    answers = {
        "date": client.post("/api/events", json=event_body(date="2026-02-30")),
        "from": client.get("/api/events?from=2026-02-30"),
        "received_on": client.post("/api/payment-log", json=payment_body(received_on="2026-02-30")),
        "to_date": client.post("/api/weather-call", json={"date": "2026-05-23", "periods": ["pm"],
                                                          "action": "reschedule", "reason": "gale",
                                                          "to_date": "2026-02-30", "to_period": "pm"}),
    }  # fmt: skip

    for field, response in answers.items():
        assert response.status_code == 400, field
        assert response.json()["error"]["field"] == field
        assert response.json()["error"]["message"] == f"{field.replace('_', ' ')}: 2026-02-30 is not a date"


def test_get_returns_the_event_and_a_missing_one_is_404(client: TestClient) -> None:
    client.post("/api/events", json=event_body())

    assert client.get("/api/events/2026-05-23-sarah-pm").json()["patron"]["last_name"] == "Lopez"
    missing = client.get("/api/events/2026-05-23-nobody-pm")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_patch_changes_fields_and_bumps_the_version(client: TestClient) -> None:
    client.post("/api/events", json=event_body())

    response = client.patch(
        "/api/events/2026-05-23-sarah-pm", json={"version": 1, "party_size": 10, "patron": {"phone": "+1 555 0199"}}
    )

    event = response.json()
    assert response.status_code == 200
    assert (event["party_size"], event["patron"]["phone"], event["version"]) == (10, "+1 555 0199", 2)
    assert event["patron"]["first_name"] == "Sarah"


def test_a_stale_version_is_a_409_and_changes_nothing(client: TestClient) -> None:
    client.post("/api/events", json=event_body())
    client.patch("/api/events/2026-05-23-sarah-pm", json={"version": 1, "party_size": 10})

    response = client.patch("/api/events/2026-05-23-sarah-pm", json={"version": 1, "party_size": 3})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_version"
    assert client.get("/api/events/2026-05-23-sarah-pm").json()["party_size"] == 10


def test_patch_can_remove_the_price(client: TestClient) -> None:
    client.post("/api/events", json=event_body())

    event = client.patch("/api/events/2026-05-23-sarah-pm", json={"version": 1, "amount_due": None}).json()

    assert (event["amount_due_cents"], event["balance_cents"]) == (None, 0)


def test_rescheduling_renames_the_slug_and_the_old_one_still_leads_there(client: TestClient) -> None:
    client.post("/api/events", json=event_body())

    moved = client.patch("/api/events/2026-05-23-sarah-pm", json={"version": 1, "date": "2026-05-30"}).json()

    assert moved["slug"] == "2026-05-30-sarah-pm"
    assert moved["aliases"] == ["2026-05-23-sarah-pm"]
    assert client.get("/api/events/2026-05-23-sarah-pm").json()["slug"] == "2026-05-30-sarah-pm"


def test_a_new_booking_cannot_take_an_old_slug_that_still_leads_elsewhere(client: TestClient) -> None:
    client.post("/api/events", json=event_body())
    client.patch("/api/events/2026-05-23-sarah-pm", json={"version": 1, "date": "2026-05-30"})

    response = client.post("/api/events", json=event_body())

    assert response.status_code == 409
    assert "old name" in response.json()["error"]["message"]


def test_a_legacy_slug_stays_readable_and_is_flagged(client: TestClient, ctx: Context) -> None:
    booking.import_legacy_event(ctx, event_details(), "2026-05-23", "test")

    event = client.get("/api/events/2026-05-23").json()

    assert (event["slug"], event["slug_conforming"]) == ("2026-05-23", False)
    assert client.get("/api/events?from=2026-05-23&to=2026-05-23").json()["events"][0]["slug_conforming"] is False


def test_the_list_shows_changes_made_behind_the_servers_back(client: TestClient, ctx: Context) -> None:
    window = "/api/events?from=2026-05-23&to=2026-05-23"
    assert client.get(window).json()["events"] == []  # now cached

    booking.create_event(ctx, event_details(), "another-process")

    assert [event["slug"] for event in client.get(window).json()["events"]] == ["2026-05-23-sarah-pm"]


def test_the_config_offers_the_operators_periods_and_methods(client: TestClient) -> None:
    choices = client.get("/api/config").json()

    assert [period["name"] for period in choices["periods"]] == ["am", "pm", "sunset", "full"]
    assert choices["periods"][1] == {"name": "pm", "starts": "13:00", "ends": "17:00"}
    assert "venmo" in choices["payment_methods"]


def test_a_cached_page_is_the_same_answer_as_the_full_one(client: TestClient, ctx: Context) -> None:
    booking.create_event(ctx, event_details(), "test")
    window = "/api/events?from=2026-05-23&to=2026-05-23"

    first, cached = client.get(window), client.get(window)

    assert (cached.status_code, cached.content) == (first.status_code, first.content)
    for name in ("content-type", "content-security-policy", "cache-control", "x-content-type-options"):
        assert cached.headers[name] == first.headers[name], name


def test_a_signed_out_token_never_gets_a_cached_page(client: TestClient) -> None:
    window = "/api/events?from=2026-05-23&to=2026-05-23"
    assert client.get(window).status_code == 200  # now cached

    client.post("/api/logout")

    assert client.get(window).status_code == 401


def test_a_charter_moved_and_moved_back_takes_its_old_slug_again(client: TestClient) -> None:
    client.post("/api/events", json=event_body())
    client.patch("/api/events/2026-05-23-sarah-pm", json={"version": 1, "date": "2026-05-30"})

    back = client.patch("/api/events/2026-05-30-sarah-pm", json={"version": 2, "date": "2026-05-23"})

    assert back.status_code == 200, back.json()
    assert (back.json()["slug"], back.json()["aliases"]) == ("2026-05-23-sarah-pm", ["2026-05-30-sarah-pm"])
    assert client.get("/api/events/2026-05-30-sarah-pm").json()["slug"] == "2026-05-23-sarah-pm"
