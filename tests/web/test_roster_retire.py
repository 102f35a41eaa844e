"""Retiring ships and people: refused while on an upcoming charter, and past charters keep the name."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.web.test_roster_api import assign, book, person, ship


def test_a_ship_or_person_on_an_upcoming_charter_cannot_be_retired_and_the_refusal_names_it(
    client: TestClient,
) -> None:
    osprey, maria = ship(client), person(client, "Maria Santos")
    slug = book(client, "Sarah")
    assign(client, slug, ship=osprey["id"], captain=maria["id"])

    for path in (f"/api/ships/{osprey['id']}", f"/api/people/{maria['id']}"):
        refused = client.delete(path)
        assert refused.status_code == 409 and slug in refused.json()["error"]["message"]
    roster = client.get("/api/roster").json()
    assert [s["name"] for s in roster["ships"]] == ["Osprey"] and [p["name"] for p in roster["people"]] == [
        "Maria Santos"
    ]


def test_a_retired_ship_leaves_the_roster_keeps_its_name_on_past_charters_and_cannot_be_assigned(
    client: TestClient,
) -> None:
    osprey, maria = ship(client), person(client, "Maria Santos")
    response = client.post(
        "/api/events", json={"date": "2026-04-20", "period": "pm", "party_size": 2, "patron": {"first_name": "Old"}}
    )
    past = response.json()["slug"]
    assign(client, past, ship=osprey["id"], captain=maria["id"])
    slug = book(client, "Sarah")
    assign(client, slug, captain=maria["id"])
    client.patch(f"/api/events/{slug}", json={"version": 1, "status": "cancelled"})

    assert client.delete(f"/api/ships/{osprey['id']}").status_code == 204
    assert client.delete(f"/api/people/{maria['id']}").status_code == 204
    assert client.delete(f"/api/people/{maria['id']}").status_code == 204

    assert client.get("/api/roster").json() == {"ships": [], "people": []}
    old = client.get(f"/api/events/{past}").json()
    assert (old["ship"], old["captain"]) == ("Osprey", "Maria Santos")
    refused = assign(client, book(client, "Tom"), ship=osprey["id"])
    assert (refused.status_code, refused.json()["error"]["field"]) == (400, "ship")
    assert "retired" in refused.json()["error"]["message"]
    assert client.delete("/api/ships/shp_nope").status_code == 404
