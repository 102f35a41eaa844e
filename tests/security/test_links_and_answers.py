"""Links that must stop working, answers that must not be cached, redirects and dates an attacker shapes."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.builders import event_body
from tests.security.conftest import Server
from tests.web.test_guest_pages import adult, book, sign


def add_captain(server: Server) -> dict[str, object]:
    answer = server.api("POST", "/api/people", {"name": "Ana Ruiz", "role": "captain"})
    assert answer.status == 201, answer.body
    return answer.json()


def test_a_rotated_calendar_link_answers_404_and_the_new_one_serves_the_feed(server: Server) -> None:
    person = add_captain(server)
    old = str(person["calendar_url"])
    assert server.send("GET", old).status == 200

    rotated = server.api("POST", f"/api/people/{person['id']}/calendar/rotate")

    assert rotated.status == 200, rotated.body
    new = str(rotated.json()["calendar_url"])
    assert new != old
    assert server.send("GET", old).status == 404
    assert server.send("GET", new).status == 200


def test_a_retired_persons_calendar_link_answers_404(server: Server) -> None:
    person = add_captain(server)
    feed = str(person["calendar_url"])

    assert server.api("DELETE", f"/api/people/{person['id']}").status == 204

    assert server.send("GET", feed).status == 404


def test_a_hostile_host_header_never_reaches_a_redirect(server: Server) -> None:
    for path in ("/api/events/", "/healthz/", "/api/roster/", "/api/events/?from=2026-05-01"):
        answer = server.send("GET", path, headers={"Host": "evil.example"})

        location = answer.headers.get("location", "")
        assert "evil.example" not in location, (path, location)
        assert answer.status in (307, 404), (path, answer.status)
        assert location == "" or location.startswith("/"), (path, location)


def test_dates_out_of_range_are_400s_naming_the_field_never_500s(server: Server) -> None:
    booked = server.api("POST", "/api/events", event_body())
    assert booked.status == 201, booked.body
    slug = booked.json()["slug"]
    attempts = {
        "from": ("GET", "/api/events?from=9999-12-31", None),
        "to": ("GET", "/api/events?to=9999-12-31", None),
        "from ": ("GET", "/api/events?from=0001-01-01&to=2026-01-01", None),
        "date": ("POST", "/api/events", event_body(date="9999-12-31")),
        "received_on": ("POST", "/api/payment-log", {"event_id": slug, "patron_name": "Sarah", "amount": "10",
                                                     "payment_method": "cash", "received_on": "9999-12-31"}),
        "licence_expires": ("POST", "/api/people", {"name": "Ana", "role": "captain", "licence_expires": "0001-01-01"}),
    }  # fmt: skip
    for field, (method, path, body) in attempts.items():
        answer = server.api(method, path, body)

        assert answer.status == 400, (field, answer.status, answer.body)
        assert answer.json()["error"]["field"] == field.strip(), (field, answer.body)  # type: ignore[index]


def test_no_answer_carrying_a_guests_or_crews_data_may_be_kept_by_a_cache(client: TestClient) -> None:
    book(client)
    copy = sign(client, adult()).headers["location"]
    feed = client.post("/api/people", json={"name": "Ana Ruiz", "role": "captain"}).json()["calendar_url"]

    for path in [copy, f"{copy}.pdf", feed, "/api/roster", "/g/nope"]:
        answer = client.get(path)

        assert answer.status_code in (200, 404), (path, answer.status_code)
        assert answer.headers["cache-control"] == "no-store", path
