"""Guessing the admin password, and keeping the real admin out by guessing, against a live server."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from tests.builders import PASSWORD
from tests.live_server import live_server
from tests.security.conftest import LOOPBACK_IS_OUR_PROXY, Answer, Server

KEY_BEFORE = "the-key-the-password-was-set-under-0123"
KEY_AFTER = "the-key-that-replaced-it-0123456789abcd"
NETWORKS = [f"2001:db8:{n:x}::{n % 9 + 1}" for n in range(200)]
"""200 IPv6 /64s: a /48 holds 65,536 of them, each with its own allowance of failed sign-ins."""


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


def set_password_as_in_production(data_dir: Path, secret_key: str) -> None:
    """The admin password PASSWORD hashed at argon2id's full cost, as `scc admin set-password` does: each wrong
    guess that reaches argon2 costs the server what it would in production."""
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir), "SCC_SECRET_KEY": secret_key}))
    try:
        admin.set_admin_password(ctx, PASSWORD, "test")
    finally:
        ctx.store.close()


@pytest.fixture
def server_after_a_key_change(tmp_path: Path) -> Iterator[Server]:
    """Behind a proxy on loopback; the password was set under one secret key, the server runs with another."""
    set_password_as_in_production(tmp_path / "data", KEY_BEFORE)
    env = {**LOOPBACK_IS_OUR_PROXY, "SCC_SECRET_KEY": KEY_AFTER}
    with live_server(tmp_path / "data", **env) as (url, printed):
        yield Server(url, tmp_path / "data", printed, env)


@pytest.fixture
def production_hashed_server(tmp_path: Path) -> Iterator[Server]:
    """Behind a proxy on loopback, the password hashed at full cost."""
    set_password_as_in_production(tmp_path / "data", KEY_AFTER)
    env = {**LOOPBACK_IS_OUR_PROXY, "SCC_SECRET_KEY": KEY_AFTER}
    with live_server(tmp_path / "data", **env) as (url, printed):
        yield Server(url, tmp_path / "data", printed, env)


def right_password_during_a_flood(server: Server) -> tuple[int, Counter[int]]:
    """A wrong guess from each of 200 /64s at once: far more than two argon2 checks at a time get through in the 5
    seconds a capped check may wait. Sent with them, a moment behind, the right password from a new network."""
    together = threading.Barrier(len(NETWORKS) + 1)

    def guess(n: int) -> Answer:
        together.wait(timeout=60)
        return server.log_in(f"guess {n}", NETWORKS[n])

    with ThreadPoolExecutor(max_workers=len(NETWORKS)) as pool:
        flood = [pool.submit(guess, n) for n in range(len(NETWORKS))]
        together.wait(timeout=60)
        time.sleep(0.05)  # behind the flood
        admin_answer = server.log_in(PASSWORD, "2001:db8:ffff::1")
        statuses = Counter(answer.result(timeout=300).status for answer in flood)
    return admin_answer.status, statuses


def test_a_flood_of_wrong_guesses_from_two_hundred_ipv6_networks_cannot_keep_the_right_password_out(
    production_hashed_server: Server,
) -> None:
    admin_status, flood = right_password_during_a_flood(production_hashed_server)

    assert admin_status == 200
    assert flood == {401: len(NETWORKS)}


def test_after_the_secret_key_changes_the_admin_signs_in_and_a_flood_then_cannot_keep_them_out(
    server_after_a_key_change: Server,
) -> None:
    answer = server_after_a_key_change.log_in(PASSWORD, "2001:db8:fffe::1")
    assert answer.status == 200, answer.body

    admin_status, flood = right_password_during_a_flood(server_after_a_key_change)

    assert admin_status == 200
    assert flood == {401: len(NETWORKS)}
