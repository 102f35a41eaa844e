"""The hostile-input catalogue: each input is refused with a 4xx naming the field, or stored as inert text.

A refused request stores nothing: every case compares the row counts of every table before and after.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from shipcaptaincrew.services.context import Context
from tests.builders import event_body, payment_body
from tests.cli.conftest import Scc
from tests.web.test_guest_pages import SLUG, adult, book, party, sign

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE events;--"


Snapshot = Callable[[], dict[str, int]]


@pytest.fixture
def snapshot(ctx: Context, tmp_path: Path) -> Snapshot:
    """Rows per table, read from the SQLite file itself (the `ctx` fixture's store is in tmp_path/data)."""

    def counts() -> dict[str, int]:
        with closing(sqlite3.connect(next((tmp_path / "data").glob("*.sqlite3")))) as db:
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}

    return counts


@pytest.fixture
def booked(client: TestClient) -> TestClient:
    """A client signed in, with the waiver set, one event booked and its waiver form opened once."""
    client.get(f"{book(client)}/waiver")
    return client


REFUSED_API: list[tuple[str, str, str, Any, str]] = [
    # (case, method, path, JSON body or raw bytes, the field the error names)
    ("crlf-in-first-name", "POST", "/api/events", event_body(patron={"first_name": "Sarah\r\nBcc: x@evil.test"}),
     "patron.first_name"),
    ("crlf-in-email", "POST", "/api/events",
     event_body(patron={"first_name": "Sarah", "email": "s@example.org\r\nBcc: x@evil.test"}), "patron.email"),
    ("crlf-in-payer-name", "POST", "/api/payment-log", payment_body(patron_name="Sarah\nBcc: x@evil.test"),
     "patron_name"),
    ("nul-in-title", "POST", "/api/events", event_body(title="a\x00b"), "title"),
    ("rtl-override-in-name", "POST", "/api/events", event_body(patron={"first_name": "Sa\u202erah"}),
     "patron.first_name"),
    ("path-traversal-slug", "POST", "/api/events", event_body(slug="../../etc/passwd"), "slug"),
    ("encoded-traversal-slug", "POST", "/api/events", event_body(slug="%2e%2e%2f%2e%2e"), "slug"),
    ("nul-slug", "POST", "/api/events", event_body(slug="2026-05-23-sa\x00rah-pm"), "slug"),
    ("homoglyph-slug", "POST", "/api/events", event_body(slug="2026-05-23-s\u0430rah-pm"), "slug"),
    ("negative-amount", "POST", "/api/payment-log", payment_body(amount="-5.00"), "amount"),
    ("negative-number-amount", "POST", "/api/payment-log", payment_body(amount=-5), "amount"),
    ("huge-amount", "POST", "/api/payment-log", b'{"event_id": "2026-05-23-sarah-pm", "patron_name": "S", '
     b'"payment_method": "cash", "amount": 99999999999999999999999}', "amount"),
    ("exponent-amount", "POST", "/api/payment-log", b'{"event_id": "2026-05-23-sarah-pm", "patron_name": "S", '
     b'"payment_method": "cash", "amount": 1e2}', "amount"),
    ("exponent-string-amount", "POST", "/api/payment-log", payment_body(amount="1e2"), "amount"),
    ("nan-amount", "POST", "/api/payment-log", payment_body(amount="NaN"), "amount"),
    ("three-decimals", "POST", "/api/payment-log", payment_body(amount="1.005"), "amount"),
    ("huge-party", "POST", "/api/events", event_body(party_size=2**64), "party_size"),
    ("invalid-utf8", "POST", "/api/events", b'{"date": "2026-05-23", "period": "pm\xff\xfe"}', "body"),
    ("deeply-nested", "POST", "/api/payment-log", b'{"amount":' + b"[" * 10_000 + b"]" * 10_000 + b"}", "body"),
    ("unknown-field", "POST", "/api/events", event_body(is_admin=True), "is_admin"),
    ("sql-in-method", "POST", "/api/payment-log", payment_body(payment_method="cash' OR '1'='1"), "payment_method"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "body", "field"), [c[1:] for c in REFUSED_API], ids=[c[0] for c in REFUSED_API]
)
def test_hostile_api_input_is_a_4xx_naming_the_field_and_stores_nothing(
    booked: TestClient, snapshot: Snapshot, method: str, path: str, body: Any, field: str
) -> None:
    before = snapshot()
    content = body if isinstance(body, bytes) else json.dumps(body).encode()

    response = booked.request(method, path, content=content, headers={"content-type": "application/json"})

    assert 400 <= response.status_code < 500, response.text
    assert field in (response.json()["error"].get("field") or ""), response.text
    assert snapshot() == before


def test_a_1_mb_body_is_413_and_stores_nothing(booked: TestClient, snapshot: Snapshot) -> None:
    before = snapshot()

    response = booked.post("/api/payment-log", json=payment_body(note="x" * 1_000_000))

    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "too_large",
        "message": "the request body is larger than 64 KB",
        "field": "body",
    }
    assert snapshot() == before


INERT = [
    ("xss-in-title", {"title": XSS}, "title"),
    ("xss-in-notes", {"notes": XSS + "\n" + XSS}, "notes"),
    ("sql-in-last-name", {"patron": {"first_name": "Sarah", "last_name": SQL}}, "patron.last_name"),
    ("unicode-everything", {"title": "李 Zoë 🚤 \u0430\u0435 ﷺ"}, "title"),
]


@pytest.mark.parametrize(("changes", "field"), [c[1:] for c in INERT], ids=[c[0] for c in INERT])
def test_hostile_text_is_stored_verbatim_as_inert_text(client: TestClient, changes: dict, field: str) -> None:
    created = client.post("/api/events", json=event_body(**changes))

    assert created.status_code == 201
    stored = client.get(f"/api/events/{created.json()['slug']}").json()
    for name in field.split("."):
        stored, changes = stored[name], changes[name]
    assert stored == changes


def test_a_ship_named_with_a_script_is_escaped_on_the_guest_page(client: TestClient) -> None:
    book(client)
    ship = client.post("/api/ships", json={"name": XSS[:60], "capacity": 12}).json()
    client.put(f"/api/events/{SLUG}/assignment", json={"ship": ship["id"]})

    page = client.get(party(client)).text

    assert "<script>" not in page and "&lt;script&gt;" in page


HOSTILE_SLUGS = [
    ("dot-dot", "/g/../../etc/passwd"),
    ("encoded-dot-dot", "/g/%2e%2e/%2e%2e/etc/passwd"),
    ("nul", "/g/2026-05-23-sarah-pm%00/waiver"),
    ("rtl-override", "/g/2026-05-23-sa%E2%80%AErah-pm"),
    ("homoglyph", "/g/2026-05-23-s%D0%B0rah-pm/waiver"),
    ("api-dot-dot", "/api/events/..%2f..%2fetc%2fpasswd"),
    ("api-nul", "/api/events/%00"),
    ("api-invalid-utf8", "/api/events/%ff%fe"),
]


@pytest.mark.parametrize("path", [c[1] for c in HOSTILE_SLUGS], ids=[c[0] for c in HOSTILE_SLUGS])
def test_hostile_slugs_find_nothing_and_never_fail(booked: TestClient, path: str) -> None:
    response = booked.get(path)

    assert response.status_code == 404, (path, response.status_code)
    assert "root:" not in response.text


GUEST_REFUSED = [
    ("crlf-in-email", {"email": "ana@example.org\r\nBcc: x@evil.test"}, "email"),
    ("crlf-in-name", {"guest_name": "Ana\r\nLima"}, "guest_name"),
    ("rtl-in-signature", {"typed_signature": "Ana \u202eLima"}, "typed_signature"),
    ("bad-date", {"date_of_birth": "1990-02-30"}, "date_of_birth"),
]


@pytest.mark.parametrize(("answers", "field"), [c[1:] for c in GUEST_REFUSED], ids=[c[0] for c in GUEST_REFUSED])
def test_hostile_waiver_answers_are_a_400_page_that_stores_nothing(
    booked: TestClient, snapshot: Snapshot, answers: dict, field: str
) -> None:
    before = snapshot()

    response = sign(booked, adult(**answers))

    assert response.status_code == 400
    assert f'<a href="#{field}">' in response.text and f'id="{field}-error"' in response.text
    assert snapshot() == before


def test_a_signature_with_a_script_is_stored_verbatim_and_escaped_on_the_copy(booked: TestClient) -> None:
    response = sign(booked, adult(guest_name=XSS[:100], typed_signature=XSS[:100]))

    assert response.status_code == 303
    copy = booked.get(response.headers["location"]).text
    assert "<script>" not in copy and "&lt;script&gt;" in copy
    stored = booked.get(f"/api/events/{SLUG}/waivers").json()["signatures"][0]
    assert stored["guest_name"] == XSS[:100]


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe\x00guest_name=x", b"guest_name=%ff%fe", b"a=" + b"&" * 50_000],
    ids=["invalid-utf8", "invalid-utf8-escaped", "many-fields"],
)
def test_a_mangled_waiver_form_is_a_400_page_that_stores_nothing(
    booked: TestClient, snapshot: Snapshot, body: bytes
) -> None:
    before = snapshot()

    response = booked.post(
        f"{party(booked)}/waiver", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )

    assert response.status_code == 400
    assert snapshot() == before


def test_a_1_mb_waiver_form_is_413(booked: TestClient) -> None:
    assert booked.post(f"/g/{SLUG}/waiver", content=b"a=" + b"x" * 1_000_000).status_code == 413


CLI_REFUSED = [
    ("crlf-first-name", ["--first-name", "Sarah\r\nBcc: x"], "--first-name"),
    ("crlf-email", ["--first-name", "Sarah", "--email", "s@example.org\nBcc: x@evil.test"], "--email"),
    ("negative-price", ["--first-name", "Sarah", "--price", "-5"], "--price"),
    ("exponent-price", ["--first-name", "Sarah", "--price", "1e2"], "--price"),
    ("huge-price", ["--first-name", "Sarah", "--price", str(2**64)], "--price"),
    ("traversal-slug", ["--first-name", "Sarah", "--slug", "../../etc/passwd"], "--slug"),
]


@pytest.mark.parametrize(("args", "field"), [c[1:] for c in CLI_REFUSED], ids=[c[0] for c in CLI_REFUSED])
def test_hostile_cli_input_is_refused_naming_the_field_and_stores_nothing(
    scc: Scc, args: list[str], field: str
) -> None:
    code, output = scc("events", "create", "--date", "2026-05-23", "--period", "pm", "--party-size", "6", *args)

    assert code != 0
    assert field in output, output
    assert "Traceback" not in output
    assert "2026-05-23" not in scc("events", "list", "--from", "2026-05-23", "--to", "2026-05-23")[1]


def test_sql_metacharacters_through_the_cli_are_stored_verbatim(scc: Scc) -> None:
    code, _ = scc(
        "events",
        "create",
        "--date",
        "2026-05-23",
        "--period",
        "pm",
        "--party-size",
        "6",
        "--first-name",
        "Sarah",
        "--last-name",
        SQL,
    )

    assert code == 0
    assert SQL in scc("events", "show", "2026-05-23-sarah-pm")[1]
