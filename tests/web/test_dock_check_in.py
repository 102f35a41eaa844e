"""Check-in, departure and return from the day sheet's forms: each answered with a redirect back to the sheet, a
repeated tap answered the same, a refusal shown on the charter, and the board's snapshot following along."""

from __future__ import annotations

import re
from datetime import date

from starlette.testclient import TestClient

from shipcaptaincrew.services import outbox
from shipcaptaincrew.services.context import Context
from tests.web.test_day_sheet import crewed_charter, sign, text

SAME_SITE = {"Sec-Fetch-Site": "same-origin"}
SHORE = "harbour-office@example.org"


def tap(client: TestClient, sheet: str, slug: str, what: str, **fields: str) -> object:
    return client.post(f"{sheet}/{slug}/{what}", data=fields, headers=SAME_SITE, follow_redirects=False)


def keys(client: TestClient, sheet: str) -> dict[str, str]:
    """Each guest's key on the sheet's check-in forms, by the name on its button."""
    found = re.findall(
        r'name="guest" value="(\w+)">\s*<input[^>]+>\s*<button[^>]+aria-label="\w+: ([^"]+)"', client.get(sheet).text
    )
    return {name: key for key, name in found}


def snapshot(client: TestClient, slug: str) -> tuple[str, int, bool, bool]:
    event = client.get(f"/api/events/{slug}").json()
    return event["dock_status"], event["aboard"], event["departed_at"] is not None, event["returned_at"] is not None


def test_a_tap_checks_a_guest_in_and_lands_back_on_the_charter(client: TestClient, ctx: Context) -> None:
    event, ana = crewed_charter(client)
    sign(ctx, event["slug"], "Ana Lima", date(1990, 4, 23))
    sheet = ana["day_sheet_url"]

    answer = tap(client, sheet, event["slug"], "aboard", guest=keys(client, sheet)["Ana Lima"], aboard="yes")

    assert answer.status_code == 303 and answer.headers["location"] == f"{sheet}#{event['slug']}"  # type: ignore[attr-defined]
    assert "Aboard: 1 of a party of 6 · ship takes 12" in text(client.get(sheet).text)
    assert snapshot(client, event["slug"]) == ("boarding", 1, False, False)


def test_a_repeated_tap_is_answered_the_same_and_changes_nothing(client: TestClient, ctx: Context) -> None:
    event, ana = crewed_charter(client)
    sign(ctx, event["slug"], "Ana Lima", date(1990, 4, 23))
    sheet = ana["day_sheet_url"]
    key = keys(client, sheet)["Ana Lima"]

    first, again = (tap(client, sheet, event["slug"], "aboard", guest=key, aboard="yes") for _ in range(2))

    assert (first.status_code, first.headers["location"]) == (again.status_code, again.headers["location"])  # type: ignore[attr-defined]
    with ctx.store.reading() as uow:
        actions = [r[0] for r in uow._connection.execute("SELECT action FROM audit WHERE action LIKE 'charter.%'")]  # type: ignore[attr-defined]
    assert actions == ["charter.checked_in"]


def test_departing_with_an_unsigned_walk_up_asks_for_a_reason_and_the_manifest_shows_it(
    client: TestClient, ctx: Context
) -> None:
    ctx.shore_email = SHORE
    event, ana = crewed_charter(client)
    sheet, slug = ana["day_sheet_url"], event["slug"]
    assert tap(client, sheet, slug, "walk-up", name="Walker Pérez").status_code == 303  # type: ignore[attr-defined]

    refused = tap(client, sheet, slug, "depart")

    assert refused.status_code == 409  # type: ignore[attr-defined]
    shown = text(refused.text)  # type: ignore[attr-defined]
    assert "Not signed: Walker Pérez. Give a reason to depart anyway." in shown
    assert "Reason to depart anyway" in shown and snapshot(client, slug)[0] == "boarding"

    departed = tap(client, sheet, slug, "depart", override_reason="signs at the fuel dock")

    assert departed.status_code == 303 and snapshot(client, slug) == ("departed", 1, True, False)  # type: ignore[attr-defined]
    (manifest,) = [m for m in outbox.recent(ctx, 10) if m.email.to == SHORE]
    assert "Walker Pérez (walk-up) - age unknown, NOT SIGNED" in manifest.email.text
    assert "Departed with a reason given: signs at the fuel dock" in manifest.email.text
    assert "Departed" in text(client.get(sheet).text) and "Returned" in client.get(sheet).text


def test_the_return_closes_the_day_on_the_sheet_and_on_the_board(client: TestClient, ctx: Context) -> None:
    event, ana = crewed_charter(client)
    sign(ctx, event["slug"], "Ana Lima", date(1990, 4, 23))
    sheet, slug = ana["day_sheet_url"], event["slug"]
    tap(client, sheet, slug, "aboard", guest=keys(client, sheet)["Ana Lima"], aboard="yes")
    tap(client, sheet, slug, "depart")

    returned = [tap(client, sheet, slug, "return").status_code for _ in range(2)]  # type: ignore[attr-defined]

    assert returned == [303, 303] and snapshot(client, slug) == ("returned", 1, True, True)
    assert "Returned 09:00 · departed 09:00 with 1 aboard" in text(client.get(sheet).text)


def test_a_tap_sent_from_another_site_is_refused_and_changes_nothing(client: TestClient, ctx: Context) -> None:
    event, ana = crewed_charter(client)
    sign(ctx, event["slug"], "Ana Lima", date(1990, 4, 23))
    sheet = ana["day_sheet_url"]
    key = keys(client, sheet)["Ana Lima"]

    forged = client.post(
        f"{sheet}/{event['slug']}/aboard",
        data={"guest": key, "aboard": "yes"},
        headers={"Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )

    assert forged.status_code == 403 and snapshot(client, event["slug"]) == ("", 0, False, False)


def test_a_tap_on_a_dead_link_or_someone_elses_charter_is_a_404(client: TestClient) -> None:
    event, ana = crewed_charter(client)
    bo = client.post("/api/people", json={"name": "Bo Chen", "role": "crew"}).json()

    dead = tap(client, ana["day_sheet_url"][:-4] + "AAAA", event["slug"], "depart")
    not_on_it = tap(client, bo["day_sheet_url"], event["slug"], "depart")

    assert (dead.status_code, not_on_it.status_code) == (404, 404)  # type: ignore[attr-defined]


def test_bad_form_values_are_a_400_naming_what_is_wrong(client: TestClient) -> None:
    event, ana = crewed_charter(client)
    sheet, slug = ana["day_sheet_url"], event["slug"]

    answers = [
        tap(client, sheet, slug, "aboard", guest="s" + "0" * 20, aboard="maybe"),
        tap(client, sheet, slug, "aboard", guest="not-a-guest", aboard="yes"),
        tap(client, sheet, slug, "walk-up", name="   "),
    ]

    assert [a.status_code for a in answers] == [400, 400, 400]  # type: ignore[attr-defined]
    assert ["Aboard must be yes or no.", "Guest must be a guest of the check-in list.", "Name is required."] == [
        re.search(r'role="alert">([^<]+)<', a.text).group(1)
        for a in answers  # type: ignore[attr-defined, union-attr]
    ]
