"""A stranger tries to open or keep using a crew member's day sheet: the link is the only credential."""

from __future__ import annotations

import secrets
import time

from tests.security.conftest import Server


def add_person(server: Server, name: str = "Ana Ruiz") -> dict[str, str]:
    created = server.api("POST", "/api/people", {"name": name, "role": "captain"})
    assert created.status == 201, created.body
    return created.json()  # type: ignore[return-value]


def test_guessing_a_day_sheet_link_finds_nothing_even_knowing_whose_it_is(server: Server) -> None:
    ana = add_person(server)
    guesses = [f"/day/{ana['id']}/{secrets.token_urlsafe(18)}" for _ in range(60)]

    statuses = [server.send("GET", path).status for path in guesses]

    assert 200 not in statuses and set(statuses) <= {404, 429}
    assert statuses.count(429) >= 25, "a guesser is stopped after a handful of misses"


def test_a_wrong_secret_answers_exactly_as_a_person_who_does_not_exist(server: Server) -> None:
    ana = add_person(server)
    link = ana["day_sheet_url"]
    wrong = link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")

    answers = [server.send("GET", path) for path in (wrong, f"/day/per_nobody/{link[-24:]}", f"/day/{ana['id']}")]

    assert [answer.status for answer in answers] == [404, 404, 404]
    assert len({answer.body for answer in answers}) == 1, "the page must be no oracle for who is on the roster"
    assert server.send("GET", link).status == 200


def test_a_rotated_link_is_dead_at_once(server: Server) -> None:
    ana = add_person(server)
    old = ana["day_sheet_url"]
    assert server.send("GET", old).status == 200

    rotated = server.api("POST", f"/api/people/{ana['id']}/day-sheet/rotate").json()

    assert server.send("GET", old).status == 404
    assert server.send("GET", str(rotated["day_sheet_url"])).status == 200


def test_the_secret_never_reaches_the_servers_log(server: Server) -> None:
    link = add_person(server)["day_sheet_url"]
    secret = link.rsplit("/", 1)[1]

    assert server.send("GET", link).status == 200
    time.sleep(0.3)  # the access log line is written after the answer

    logged = [line for line in server.printed if "/day/" in line]
    assert logged and all(secret not in line and "[redacted]" in line for line in logged)
