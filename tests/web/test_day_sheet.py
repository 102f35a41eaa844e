"""The day sheet page: a person's private link from the roster, what the phone shows, and a link that is dead."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from starlette.testclient import TestClient

from shipcaptaincrew.domain.signing import ChildDraft
from shipcaptaincrew.domain.waivers import SignatureDraft
from shipcaptaincrew.services import waivers
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.logs import RedactSecrets
from tests.builders import event_body, set_waiver, sign_waiver

TODAY = "2026-05-01"  # FakeClock's day


def post(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def crewed_charter(client: TestClient, day: str = TODAY) -> tuple[dict[str, Any], dict[str, Any]]:
    """A charter with a ship and a captain, and the captain as the roster lists them."""
    ana = post(client, "/api/people", {"name": "Ana Ruiz", "role": "captain"})
    osprey = post(client, "/api/ships", {"name": "Osprey", "capacity": 12})
    patron = {"first_name": "Sarah", "last_name": "Lopez", "phone": "+1 (555) 010-0100"}
    event = post(client, "/api/events", event_body(date=day, patron=patron, party_size=6))
    assigned = client.put(f"/api/events/{event['slug']}/assignment", json={"ship": osprey["id"], "captain": ana["id"]})
    assert assigned.status_code == 200, assigned.text
    (listed,) = [p for p in client.get("/api/roster").json()["people"] if p["id"] == ana["id"]]
    return assigned.json(), listed


def sign(ctx: Context, slug: str, name: str, born: date, children: tuple[ChildDraft, ...] = ()) -> None:
    version = waivers.current_waiver(ctx) or set_waiver(ctx)
    relationship = "parent" if children else ""
    sign_waiver(
        ctx,
        slug,
        SignatureDraft(
            name,
            "",
            "",
            born,
            "Rui Lima",
            "+1 555 0112",
            name,
            True,
            True,
            version.id,
            version.sha256,
            children=children,
            relationship=relationship,
        ),
    )


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_each_person_on_the_roster_has_a_day_sheet_link_that_needs_no_sign_in(client: TestClient) -> None:
    event, ana = crewed_charter(client)
    client.headers.pop("Authorization")

    page = client.get(ana["day_sheet_url"])

    assert re.fullmatch(rf"/day/{ana['id']}/[A-Za-z0-9_-]{{24}}", ana["day_sheet_url"])
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    shown = text(page.text)
    assert "Ana Ruiz" in shown and "Today, 1 May" in shown and event["slug"] in shown
    assert "13:00\u201317:00 · Osprey" in shown and "The dock — your captain will confirm the berth" in shown
    assert 'href="tel:+15550100100"' in page.text and "Party 6 · ship takes 12" in shown


def test_the_sheet_shows_each_guest_who_signed_with_their_emergency_contact_and_how_many_have_not(
    client: TestClient, ctx: Context
) -> None:
    event, ana = crewed_charter(client)
    sign(ctx, event["slug"], "Ana Lima", date(1990, 4, 23))
    sign(ctx, event["slug"], "Ana Costa", date(1985, 2, 1), children=(ChildDraft("Tom Lima", date(2015, 6, 1)),))

    shown = text(client.get(ana["day_sheet_url"]).text)

    assert "Signed: 3 · not signed yet: 3" in shown
    assert "Ana Lima Emergency: Rui Lima, +1 555 0112" in shown
    assert "Tom Lima minor Emergency: Rui Lima, +1 555 0112" in shown


def test_the_roster_gives_the_day_sheet_at_the_public_address_to_send_to_a_phone(
    client: TestClient, ctx: Context
) -> None:
    _, ana = crewed_charter(client)

    assert ana["day_sheet_link"] == f"{ctx.public_url}{ana['day_sheet_url']}"
    assert ana["day_sheet_link"].startswith(("http://", "https://"))


def test_a_name_typed_by_a_guest_is_escaped_on_the_sheet(client: TestClient, ctx: Context) -> None:
    event, ana = crewed_charter(client)
    sign(ctx, event["slug"], "<script>alert(1)</script>", date(1990, 4, 23))

    page = client.get(ana["day_sheet_url"]).text

    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_rotated_link_answers_exactly_as_a_link_that_never_was(client: TestClient, ctx: Context) -> None:
    _, ana = crewed_charter(client)

    rotated = client.post(f"/api/people/{ana['id']}/day-sheet/rotate")

    assert rotated.status_code == 200 and rotated.json()["day_sheet_url"] != ana["day_sheet_url"]
    assert rotated.json()["calendar_url"] == ana["calendar_url"]
    old, never = client.get(ana["day_sheet_url"]), client.get(f"/day/per_nobody/{'A' * 24}")
    assert (old.status_code, never.status_code) == (404, 404) and old.text == never.text
    assert client.get(rotated.json()["day_sheet_url"]).status_code == 200
    with ctx.store.reading() as uow:
        actions = [row[0] for row in uow._connection.execute("SELECT action FROM audit")]  # type: ignore[attr-defined]
    assert "person.day_sheet_rotated" in actions


def test_rotating_needs_the_admin_and_a_known_person(client: TestClient) -> None:
    _, ana = crewed_charter(client)

    assert client.post("/api/people/per_nope/day-sheet/rotate").status_code == 404
    client.headers.pop("Authorization")
    assert client.post(f"/api/people/{ana['id']}/day-sheet/rotate").status_code == 401


def test_a_retired_persons_sheet_answers_404(client: TestClient) -> None:
    ana = post(client, "/api/people", {"name": "Ana Ruiz", "role": "captain"})

    assert client.delete(f"/api/people/{ana['id']}").status_code == 204

    assert client.get(ana["day_sheet_url"]).status_code == 404


def test_the_day_sheet_secret_is_redacted_from_access_logs(client: TestClient) -> None:
    url = post(client, "/api/people", {"name": "Ana Ruiz", "role": "captain"})["day_sheet_url"]
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "GET %s HTTP/1.1" 200',
        ("1.2.3.4", f"{url}/2026-05-01-sarah-pm/depart"),
        None,
    )

    RedactSecrets().filter(record)

    person_id = url.split("/")[2]
    assert record.args == ("1.2.3.4", f"/day/{person_id}/[redacted]/2026-05-01-sarah-pm/depart")


def test_the_offline_worker_is_served_at_the_root_of_the_day_sheets(anonymous: TestClient) -> None:
    worker = anonymous.get("/day/sw.js")

    assert worker.status_code == 200 and worker.headers["content-type"].startswith("text/javascript")
    assert "caches.open" in worker.text
    assert anonymous.get("/day/_static/sheet.js").status_code == 200
