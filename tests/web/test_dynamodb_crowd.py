"""A crowd at once on the production store: `scc serve` with SCC_STORE=dynamodb on a moto server on loopback.

A party signing at the dock together, or two dispatchers paying at the same moment, are honest writers: each must
succeed, as it does on SQLite, and only a real conflict (a stale version the client sent) may answer 409.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from shipcaptaincrew.adapters.dynamodb_table import create_table
from tests.live_server import live_server
from tests.moto_server import CREDENTIALS, REGION, moto_server
from tests.security.conftest import Answer, Server, prepare
from tests.security.guests import answers, book, open_form, post_form, signed_count

T = TypeVar("T")
PARTY = 12
PAYMENTS, AT_A_TIME = 20, 10


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture
def server(moto: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """`scc serve` on a fresh table of its own in the moto server."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    table = f"scc-crowd-{uuid.uuid4().hex[:8]}"
    import boto3

    create_table(boto3.client("dynamodb", region_name=REGION, endpoint_url=moto), table)
    env = {"SCC_STORE": "dynamodb", "SCC_DYNAMODB_TABLE": table, "SCC_AWS_ENDPOINT_URL": moto, **CREDENTIALS}
    prepare(tmp_path / "data", **env)
    with live_server(tmp_path / "data", **env) as (url, printed):
        yield Server(url, tmp_path / "data", printed, env)


def at_once(calls: list[Callable[[], T]], workers: int) -> list[T]:
    """Run the calls from `workers` threads, the first `workers` of them released at the same moment."""
    barrier = threading.Barrier(min(workers, len(calls)))

    def released(call: Callable[[], T], number: int) -> T:
        if number < workers:
            barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(released, calls, range(len(calls))))


def admin_call(server: Server, token: str, method: str, path: str, body: object, **headers: str) -> Answer:
    sent = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers}
    return server.send(method, path, json.dumps(body).encode(), sent)


def pay(server: Server, token: str, slug: str, cents: int, key: str) -> Answer:
    body = {"event_id": slug, "patron_name": "Sarah Lopez", "amount": f"{cents / 100:.2f}", "payment_method": "cash"}
    return admin_call(server, token, "POST", "/api/payment-log", body, **{"Idempotency-Key": key})


def said(answer: Answer) -> list[bytes]:
    """The headings and paragraphs of a page, or the start of a JSON error."""
    return re.findall(rb"<(?:h1|p)[^>]*>([^<]*)<", answer.body) or [answer.body[:300]]


def ledger(server: Server, slug: str) -> dict[str, Any]:
    found: dict[str, Any] = server.api("GET", f"/api/events/{slug}/payments").json()
    return found


def test_a_party_of_twelve_signing_at_the_same_moment_all_sign(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=3), party_size=PARTY)
    party = event["guest_url"]
    forms = [{**open_form(server, party), **answers(name=f"Guest Number {n}")} for n in range(PARTY)]

    signed = at_once([lambda form=form: post_form(server, party, form) for form in forms], PARTY)

    assert [answer.status for answer in signed] == [303] * PARTY, [
        __import__("re").findall(rb"<(?:h1|p)[^>]*>([^<]*)<", a.body) for a in signed if a.status != 303
    ]
    assert signed_count(server, event["slug"]) == PARTY
    listed = server.api("GET", f"/api/events/{event['slug']}/waivers").json()["signatures"]
    assert sorted(row["guest_name"] for row in listed) == sorted(f"Guest Number {n}" for n in range(PARTY))  # type: ignore[union-attr,index]


def test_twenty_payments_with_their_own_keys_ten_at_a_time_are_all_logged(server: Server) -> None:
    slug = book(server, date.today() + timedelta(days=3), amount_due="5000.00")["slug"]
    token = server.token()
    amounts = [1000 + 137 * n for n in range(PAYMENTS)]

    paid = at_once([lambda c=c, n=n: pay(server, token, slug, c, f"key-{n}") for n, c in enumerate(amounts)], AT_A_TIME)

    assert [answer.status for answer in paid] == [201] * PAYMENTS, [answer.body[:300] for answer in paid]
    found = ledger(server, slug)
    assert sorted(line["entry"]["amount_cents"] for line in found["entries"]) == sorted(amounts)
    event = server.api("GET", f"/api/events/{slug}").json()
    assert (event["paid_cents"], event["balance_cents"]) == (sum(amounts), 5000_00 - sum(amounts))


def test_twenty_requests_with_one_key_at_the_same_moment_log_one_payment(server: Server) -> None:
    slug = book(server, date.today() + timedelta(days=3))["slug"]
    token = server.token()

    paid = at_once([lambda: pay(server, token, slug, 2500, "one-key-for-all")] * PAYMENTS, PAYMENTS)

    assert [answer.status for answer in paid] == [201] * PAYMENTS, [answer.body[:300] for answer in paid]
    assert len({answer.body for answer in paid}) == 1, "every replay answers the first answer's bytes"
    assert len(ledger(server, slug)["entries"]) == 1
    assert server.api("GET", f"/api/events/{slug}").json()["paid_cents"] == 2500


def test_an_edit_racing_payments_is_saved_and_a_stale_version_still_answers_409(server: Server) -> None:
    slug = book(server, date.today() + timedelta(days=3), amount_due="5000.00")["slug"]
    token = server.token()
    edit = lambda: admin_call(server, token, "PATCH", f"/api/events/{slug}", {"version": 1, "notes": "Bring ice"})  # noqa: E731
    payments = [lambda n=n: pay(server, token, slug, 1000, f"race-{n}") for n in range(AT_A_TIME - 1)]

    answered = at_once([edit, *payments], AT_A_TIME)
    stale = admin_call(server, token, "PATCH", f"/api/events/{slug}", {"version": 1, "notes": "Bring more ice"})

    assert [answer.status for answer in answered] == [200] + [201] * (AT_A_TIME - 1), [a.body[:300] for a in answered]
    assert (stale.status, stale.json()["error"]["code"]) == (409, "stale_version")  # type: ignore[index]
    event = server.api("GET", f"/api/events/{slug}").json()
    assert (event["notes"], event["version"], event["paid_cents"]) == ("Bring ice", 2, 1000 * (AT_A_TIME - 1))
