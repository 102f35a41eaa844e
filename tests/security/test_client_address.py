"""Choosing one's own address: forged forwarding headers, with and without a proxy, and behind CloudFront."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

import pytest

from tests.deploy.conftest import handler as handler  # the fixture: a fresh Lambda container
from tests.deploy.function_urls import json_event
from tests.deploy.handler_calls import call
from tests.deploy.test_lambda_handler import ORIGIN_SECRET
from tests.security.conftest import Server
from tests.security.guests import answers, book, open_form, post_form

SPOOFED = {"X-Forwarded-For": "198.51.100.23", "X-Real-IP": "198.51.100.23", "Forwarded": "for=198.51.100.23"}


def clients_counted(server: Server) -> set[str]:
    with sqlite3.connect(server.data_dir / "scc.sqlite3") as database:
        return {row[0] for row in database.execute("SELECT client FROM sign_in_failures")}


def test_a_spoofed_x_forwarded_for_is_not_the_recorded_address_without_a_proxy(server: Server) -> None:
    for n in range(5):
        assert server.log_in("guess", f"198.51.100.{n}").status == 401

    answer = server.log_in("guess", "198.51.100.99")

    assert answer.status == 429
    assert clients_counted(server) == {"127.0.0.1"}
    assert not any("198.51.100." in line for line in server.printed)  # nor in uvicorn's access log


def test_a_signature_records_the_address_it_came_from_not_the_one_a_header_claims(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5))
    party = event["guest_url"]

    assert post_form(server, party, {**open_form(server, party), **answers()}, **SPOOFED).status == 303

    [signature] = server.api("GET", f"/api/events/{event['slug']}/waivers").json()["signatures"]  # type: ignore[index]
    assert signature["ip"] == "127.0.0.1"


def test_behind_a_trusted_proxy_a_client_cannot_pick_its_address_by_writing_x_forwarded_for(
    proxied_server: Server,
) -> None:
    # The proxy appends the address it saw (203.0.113.7); whatever the client wrote stays on the left.
    for n in range(5):
        assert proxied_server.log_in("guess", f"10.9.9.{n}, 203.0.113.7").status == 401

    assert proxied_server.log_in("guess", "10.9.9.99, 203.0.113.7").status == 429
    assert proxied_server.log_in("guess", "203.0.113.8").status == 401
    assert clients_counted(proxied_server) == {"203.0.113.7", "203.0.113.8"}


def guess_on_lambda(handler: Any, viewer: str, **headers: str) -> int:
    event = json_event(
        "POST", "/api/login", {"password": "guess"}, headers={"cloudfront-viewer-address": viewer, **headers}
    )
    return call(handler, event)[0]


def test_on_lambda_each_viewer_cloudfront_saw_is_its_own_client(handler: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_ORIGIN_SECRET", ORIGIN_SECRET)
    through_cloudfront = {"x-origin-secret": ORIGIN_SECRET}
    for n in range(5):
        assert guess_on_lambda(handler, f"198.51.100.7:{40000 + n}", **through_cloudfront) == 401

    assert guess_on_lambda(handler, "198.51.100.7:41000", **through_cloudfront) == 429
    assert guess_on_lambda(handler, "198.51.100.8:41000", **through_cloudfront) == 401


def test_on_lambda_an_ipv6_viewer_is_counted_by_its_slash_64(handler: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCC_ORIGIN_SECRET", ORIGIN_SECRET)
    through_cloudfront = {"x-origin-secret": ORIGIN_SECRET}
    for n in range(5):
        assert guess_on_lambda(handler, f"2001:db8:1:2::{n + 1:x}:443", **through_cloudfront) == 401

    assert guess_on_lambda(handler, "2001:db8:1:2:ffff::1:443", **through_cloudfront) == 429
    assert guess_on_lambda(handler, "2001:db8:1:3::1:443", **through_cloudfront) == 401


def test_a_viewer_address_sent_straight_to_the_function_url_is_not_believed(handler: Any) -> None:
    # No origin secret configured: nothing proves the request came through CloudFront, so the header is the
    # caller's own word.
    for n in range(5):
        assert guess_on_lambda(handler, f"198.51.100.{n}:443") == 401

    assert guess_on_lambda(handler, "198.51.100.99:443") == 429
