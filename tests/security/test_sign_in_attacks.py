"""Guessing the admin password, and keeping the real admin out by guessing, against a live server."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.builders import PASSWORD
from tests.security.conftest import Server


def test_sixty_wrong_guesses_from_sixty_addresses_then_the_right_password_from_a_new_one_signs_in(
    proxied_server: Server,
) -> None:
    with ThreadPoolExecutor(max_workers=20) as pool:
        guesses = list(pool.map(lambda n: proxied_server.log_in(f"guess {n}", f"198.51.100.{n}"), range(60)))

    assert Counter(answer.status for answer in guesses) == {401: 60}
    answer = proxied_server.log_in(PASSWORD, "203.0.113.200")
    assert answer.status == 200, answer.body
    assert answer.json()["token"]


def test_thirty_concurrent_wrong_guesses_from_one_client_yield_at_most_five_401s(server: Server) -> None:
    with ThreadPoolExecutor(max_workers=30) as pool:
        guesses = list(pool.map(lambda n: server.log_in(f"guess {n}"), range(30)))

    statuses = Counter(answer.status for answer in guesses)
    assert statuses[401] <= 5, statuses
    assert statuses[401] + statuses[429] == 30, statuses
    assert all(int(answer.headers["retry-after"]) > 0 for answer in guesses if answer.status == 429)


def test_the_right_password_sent_by_another_sites_form_is_refused_with_415(server: Server) -> None:
    body = json.dumps({"password": PASSWORD}).encode()
    # A form or a no-cors fetch on another site can send text/plain, or no Content-Type at all, without a preflight.
    for headers in ({"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"}, {}):
        answer = server.send("POST", "/api/login", body, headers)

        assert answer.status == 415, (headers, answer.body)
        assert answer.json()["error"]["code"] == "unsupported_media_type"  # type: ignore[index]
        assert b"token" not in answer.body
