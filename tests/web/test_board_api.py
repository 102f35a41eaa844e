"""What the board asks of the API: a poll that costs nothing while nothing changed, a search over every date,
absolute guest links, and the emails a patron expects (booked, the link again, a payment reversed)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.testclient import TestClient

from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import outbox
from shipcaptaincrew.services.context import Context
from tests.builders import WAIVER_TEXT, event_body, payment_body
from tests.fakes import FakeClock

SLUG = "2026-05-23-sarah-pm"


def book(client: TestClient, **fields: object) -> dict[str, object]:
    answer = client.post("/api/events", json=event_body(**fields))
    assert answer.status_code == 201, answer.text
    created: dict[str, object] = answer.json()
    return created


def queued(ctx: Context, kind: str) -> list[str]:
    return [message.email.text for message in outbox.recent(ctx, 50) if message.kind == kind]


def test_a_poll_with_the_etag_it_was_given_is_a_304_until_something_changes(client: TestClient) -> None:
    book(client)
    first = client.get("/api/events?from=2026-05-01&to=2026-05-31")
    etag = first.headers["etag"]

    again = client.get("/api/events?from=2026-05-01&to=2026-05-31", headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)

    client.post("/api/payment-log", json=payment_body(amount="100"))
    changed = client.get("/api/events?from=2026-05-01&to=2026-05-31", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["events"][0]["paid_cents"] == 10000


def test_the_cached_fast_path_answers_304_too(client: TestClient) -> None:
    book(client)
    url = "/api/events?from=2026-05-01&to=2026-05-31"
    etag = client.get(url).headers["etag"]
    client.get(url)  # now cached: the next answer comes from the fast path

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": 'W/"0-2000-01-01"'}).status_code == 200


def test_an_open_events_detail_is_a_304_while_nothing_changed(client: TestClient) -> None:
    book(client)
    etag = client.get(f"/api/events/{SLUG}").headers["etag"]

    assert client.get(f"/api/events/{SLUG}", headers={"If-None-Match": etag}).status_code == 304
    client.patch(f"/api/events/{SLUG}", json={"version": 1, "party_size": 9})
    changed = client.get(f"/api/events/{SLUG}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["party_size"] == 9


def test_search_finds_a_patron_on_any_date_by_name_email_phone_or_slug(client: TestClient) -> None:
    book(client)
    book(client, date="2027-01-12", patron={"first_name": "Kwame", "last_name": "Mensah", "phone": "+1 555 0177"})
    book(client, date="2025-03-02", patron={"first_name": "José", "email": "jose@boats.example"})

    def found(text: str) -> list[str]:
        answer = client.get("/api/events", params={"q": text})
        assert answer.status_code == 200, answer.text
        return [event["slug"] for event in answer.json()["events"]]

    assert found("KWAME") == ["2027-01-12-kwame-pm"]
    assert found("555-0177") == found("5550177") == ["2027-01-12-kwame-pm"]
    assert found("josé boats") == ["2025-03-02-jose-pm"]
    assert found("2026-05-23") == [SLUG]
    assert found("pm") == ["2025-03-02-jose-pm", SLUG, "2027-01-12-kwame-pm"]
    assert found("nobody") == []


def test_a_search_too_long_or_of_nothing_is_a_400_naming_q(client: TestClient) -> None:
    for text in (" ", "x" * 101, " ".join("abcdefghi")):
        answer = client.get("/api/events", params={"q": text})
        assert (answer.status_code, answer.json()["error"]["field"]) == (400, "q")


def test_every_event_carries_its_guest_link_at_the_public_address(client: TestClient, ctx: Context) -> None:
    ctx.public_url = "https://charters.example.com/_staging"

    event = book(client)

    assert event["guest_link"] == f"https://charters.example.com/_staging{event['guest_url']}"
    assert (
        client.get("/api/events?from=2026-05-23&to=2026-05-23").json()["events"][0]["guest_link"] == event["guest_link"]
    )


def test_the_port_served_is_the_default_public_address() -> None:
    assert Settings.from_env({}, port=8765).public_url == "http://localhost:8765"
    assert Settings.from_env({"SCC_PORT": "8123"}, port=8765).port == 8765
    given = {"SCC_PUBLIC_URL": "https://charters.example.com"}
    assert Settings.from_env(given, port=8765).public_url == "https://charters.example.com"


def test_booking_emails_the_patron_the_party_link_and_asks_every_guest_to_sign(
    client: TestClient, ctx: Context
) -> None:
    ctx.operator = "Blue Heron Charters"
    event = book(client, period="am", party_size=6)

    [told] = queued(ctx, "confirmation")

    assert "Saturday 23 May 2026, Morning, 8:00\u201312:00" in told and "party of 6" in told
    assert f"\n{event['guest_link']}\n" in told and "each guest signs the waiver" in told
    assert told.endswith("Blue Heron Charters\n") and "Price: $900.00" in told


def test_no_confirmation_goes_to_a_patron_without_an_email(client: TestClient, ctx: Context) -> None:
    book(client, patron={"first_name": "Sarah"})

    assert queued(ctx, "confirmation") == []


def test_send_link_again_emails_the_same_link_and_says_so_when_there_is_no_email(
    client: TestClient, ctx: Context
) -> None:
    event = book(client)
    book(client, period="am", patron={"first_name": "Noemail"})

    sent = client.post(f"/api/events/{SLUG}/send-link")
    refused = client.post("/api/events/2026-05-23-noemail-am/send-link")

    assert sent.status_code == 200
    [again] = queued(ctx, "link")
    assert "your party's link again" in again and event["guest_link"] in again
    assert (refused.status_code, refused.json()["error"]["field"]) == (400, "patron.email")


def test_a_reversed_payment_tells_the_patron_it_no_longer_counts(client: TestClient, ctx: Context) -> None:
    book(client)
    payment = client.post("/api/payment-log", json=payment_body(amount="400.00")).json()["payment"]

    client.post(f"/api/payments/{payment['id']}/reverse", json={"reason": "Venmo payment bounced"})

    [told] = queued(ctx, "reversal")
    assert "payment of $400.00 by Venmo" in told and "Venmo payment bounced" in told
    assert "Balance: $900.00" in told and "Saturday 23 May 2026, Afternoon, 13:00\u201317:00" in told


def test_a_parameter_the_list_does_not_take_is_a_400_naming_it(client: TestClient) -> None:
    answer = client.get("/api/events", params={"form": "2026-05-01"})

    assert (answer.status_code, answer.json()["error"]["field"]) == (400, "form")
    assert client.get("/api/outbox", params={"status": "sent"}).json()["error"]["field"] == "status"


def test_the_polls_answers_say_how_the_mail_and_the_waiver_stand_read_again_after_a_minute(
    client: TestClient, clock: FakeClock
) -> None:
    url = "/api/events?from=2026-05-01&to=2026-05-31"
    etag = client.get(url).headers["etag"]
    first = client.get(url, headers={"If-None-Match": etag})
    assert _health(first.headers) == ("0", "folder", "false")  # no waiver text yet: guests cannot sign

    assert client.put("/api/waiver", json={"text": WAIVER_TEXT}).status_code == 200
    soon = client.get(url, headers={"If-None-Match": etag})
    clock.advance(seconds=61)
    later = client.get(url, headers={"If-None-Match": etag})

    assert (soon.status_code, _health(soon.headers)[2]) == (304, "false")  # read less than a minute ago
    assert (later.status_code, _health(later.headers)[2]) == (304, "true")


def test_a_health_check_brings_the_polls_news_up_to_date_at_once(client: TestClient) -> None:
    url = "/api/events?from=2026-05-01&to=2026-05-31"
    etag = client.get(url).headers["etag"]
    assert client.put("/api/waiver", json={"text": WAIVER_TEXT}).status_code == 200

    assert client.get("/healthz").json()["waiver_ready"] is True
    assert _health(client.get(url, headers={"If-None-Match": etag}).headers)[2] == "true"


def _health(headers: Mapping[str, str]) -> tuple[str | None, ...]:
    return tuple(headers.get(name) for name in ("SCC-Mail-Waiting", "SCC-Mail-Transport", "SCC-Waiver-Ready"))
