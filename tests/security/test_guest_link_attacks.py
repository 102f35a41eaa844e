"""A stranger who knows how slugs are made (date, first name, period) tries to find and use a party's pages."""

from __future__ import annotations

from datetime import date, timedelta

from tests.security.conftest import Server
from tests.security.guests import FORM, answers, book, open_form, post_form, sign, signed_count

NAMES = ["sarah", "james", "maria", "david", "emma", "john", "olivia", "michael"]
PERIODS = ["am", "pm", "sunset", "full"]


def test_guessing_a_season_of_slugs_finds_nothing(server: Server) -> None:
    first = date.today() + timedelta(days=10)
    booked = {
        book(server, first + timedelta(days=days), name.title(), period)["slug"]
        for days, name, period in [
            (0, "sarah", "pm"),
            (3, "james", "am"),
            (9, "maria", "sunset"),
            (14, "emma", "full"),
            (20, "olivia", "pm"),
        ]
    }
    guesses = [
        f"{first + timedelta(days=days)}-{name}-{period}" for days in range(31) for name in NAMES for period in PERIODS
    ]
    assert booked <= set(guesses)

    statuses = [server.send("GET", f"/g/{slug}{suffix}").status for slug in guesses for suffix in ("", "/waiver")]

    assert 200 not in statuses and set(statuses) <= {404, 429}
    assert statuses.count(429) > 0.95 * len(statuses), "a guesser is stopped after a handful of misses"


def test_a_link_without_its_secret_answers_exactly_as_an_unknown_charter(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5))
    slug, party = event["slug"], event["guest_url"]
    wrong = party[:-4] + ("AAAA" if not party.endswith("AAAA") else "BBBB")

    answers_ = [
        server.send("GET", path)
        for path in (
            f"/g/{slug}",
            f"/g/{slug}/waiver",
            wrong,
            f"{wrong}/waiver",
            f"/g/{slug[:-2]}xx/{party[-24:]}",
            "/g/2030-01-01-nobody-pm/AAAAAAAAAAAAAAAAAAAAAAAA",
        )
    ]

    assert {answer.status for answer in answers_} == {404}
    assert len({answer.body for answer in answers_}) == 1, "the pages must be no oracle for which slugs exist"
    assert server.send("GET", party).status == 200


def test_a_stranger_without_the_secret_cannot_read_or_sign(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5))
    slug, party = event["slug"], event["guest_url"]
    form = open_form(server, party)
    copy = sign(server, party).headers["location"]

    for guess in (f"/g/{slug}", f"/g/{slug}/{'A' * 24}"):
        assert post_form(server, guess, {**form, **answers("Mallory Stranger")}).status == 404
        assert server.send("GET", copy.replace(party, guess)).status == 404
        assert server.send("GET", copy.replace(party, guess) + ".pdf").status == 404
    assert signed_count(server, slug) == 1


def test_a_rotated_link_is_dead_and_the_new_one_works(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5))
    old = event["guest_url"]
    copy = sign(server, old).headers["location"]

    rotated = server.api("POST", f"/api/events/{event['slug']}/guest-link/rotate").json()

    assert rotated["guest_url"] != old and rotated["slug"] == event["slug"]
    assert [server.send("GET", path).status for path in (old, f"{old}/waiver", copy)] == [404, 404, 404]
    assert server.send("GET", str(rotated["guest_url"])).status == 200
    assert server.send("GET", copy.replace(old, str(rotated["guest_url"]))).status == 200


def test_a_cross_site_post_is_refused_and_stores_nothing(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5))
    party = event["guest_url"]

    refused = [
        post_form(server, party, {**open_form(server, party), **answers()}, **{"Sec-Fetch-Site": "cross-site"}),
        post_form(server, party, {**open_form(server, party), **answers()}, **{"Sec-Fetch-Site": "same-site"}),
        server.send(
            "POST",
            f"{party}/waiver",
            _body(open_form(server, party)),
            {"Content-Type": FORM["Content-Type"], "Origin": "https://evil.example"},
        ),
        server.send(
            "POST",
            f"{party}/waiver",
            _body(open_form(server, party)),
            {"Content-Type": FORM["Content-Type"], "Origin": "null"},
        ),
    ]

    assert [answer.status for answer in refused] == [403, 403, 403, 403]
    assert signed_count(server, event["slug"]) == 0


def test_a_reused_form_token_is_refused(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5))
    party = event["guest_url"]
    form = {**open_form(server, party), **answers()}

    first = post_form(server, party, form)
    replayed = post_form(server, party, form)
    another_name = post_form(server, party, {**form, **answers("Someone Else", "1980-01-01")})

    assert first.status == 303
    assert (replayed.status, another_name.status) == (409, 409)
    assert b"was sent already" in replayed.body
    assert signed_count(server, event["slug"]) == 1


def _body(fields: dict[str, str]) -> bytes:
    import urllib.parse

    return urllib.parse.urlencode({**fields, **answers()}).encode()
