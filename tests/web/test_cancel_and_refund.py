"""A charter cancelled with money paid, moved to another day, and money sent back: through the API, in-process."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from shipcaptaincrew.services import outbox
from shipcaptaincrew.services.context import Context
from tests.builders import event_body, payment_body

SLUG = "2026-05-23-sarah-pm"


@pytest.fixture
def paid(client: TestClient) -> TestClient:
    """Sarah's charter, $900 due, $400 paid."""
    assert client.post("/api/events", json=event_body()).status_code == 201
    assert client.post("/api/payment-log", json=payment_body(amount="400.00")).status_code == 201
    return client


def queued(ctx: Context, kind: str) -> list[str]:
    return [message.email.text for message in outbox.recent(ctx) if message.kind == kind]


def test_cancelling_a_paid_charter_keeps_the_ledger_shows_the_refund_due_and_tells_the_patron(
    paid: TestClient, ctx: Context
) -> None:
    answer = paid.post(f"/api/events/{SLUG}/cancel", json={"reason": "Small craft advisory", "version": 1})

    assert answer.status_code == 200
    event = answer.json()
    assert (event["status"], event["paid_cents"], event["refund_due_cents"]) == ("cancelled", 40000, 40000)
    assert [line["entry"]["kind"] for line in paid.get(f"/api/events/{SLUG}/payments").json()["entries"]] == ["payment"]
    [told] = queued(ctx, "cancellation")
    assert "Small craft advisory" in told and "$400.00" in told and "Saturday 23 May 2026" in told


def test_what_the_operator_keeps_is_not_due_back(paid: TestClient) -> None:
    event = paid.post(f"/api/events/{SLUG}/cancel", json={"reason": "Changed plans", "keep": "100.00"}).json()

    assert (event["amount_due_cents"], event["refund_due_cents"]) == (10000, 30000)


def test_a_refund_is_an_entry_of_its_own_and_settles_what_is_due(paid: TestClient, ctx: Context) -> None:
    paid.post(f"/api/events/{SLUG}/cancel", json={"reason": "Weather"})

    refunded = paid.post("/api/refund-log", json=payment_body(amount="400.00", reference="venmo @sarah"))

    assert refunded.status_code == 201
    body = refunded.json()
    assert body["payment"]["kind"] == "refund"
    assert (body["event"]["paid_cents"], body["event"]["refund_due_cents"]) == (0, 0)
    [receipt] = queued(ctx, "refund")
    assert "$400.00" in receipt and "venmo @sarah" in receipt


def test_a_refund_beyond_what_was_paid_is_refused_and_writes_nothing(paid: TestClient) -> None:
    too_much = paid.post("/api/refund-log", json=payment_body(amount="400.01"))
    after_one = paid.post("/api/refund-log", json=payment_body(amount="300.00"))
    then_too_much = paid.post("/api/refund-log", json=payment_body(amount="100.01"))

    assert (too_much.status_code, after_one.status_code, then_too_much.status_code) == (400, 201, 400)
    assert too_much.json()["error"]["field"] == "amount" and "$400.00" in too_much.json()["error"]["message"]
    assert paid.get(f"/api/events/{SLUG}").json()["paid_cents"] == 10000


def test_a_refund_with_an_idempotency_key_is_logged_once(paid: TestClient) -> None:
    headers = {"Idempotency-Key": "refund-1"}
    first = paid.post("/api/refund-log", json=payment_body(amount="50.00"), headers=headers)
    again = paid.post("/api/refund-log", json=payment_body(amount="50.00"), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201) and first.content == again.content
    assert again.headers["idempotent-replayed"] == "true"
    assert paid.get(f"/api/events/{SLUG}").json()["paid_cents"] == 35000


def test_a_refund_cannot_be_reversed_and_a_cancelled_charter_takes_no_payment(paid: TestClient) -> None:
    refund = paid.post("/api/refund-log", json=payment_body(amount="50.00")).json()["payment"]["id"]
    paid.post(f"/api/events/{SLUG}/cancel", json={"reason": "Weather"})

    reversed_ = paid.post(f"/api/payments/{refund}/reverse", json={"reason": "oops"})
    payment = paid.post("/api/payment-log", json=payment_body(amount="10.00"))

    assert reversed_.status_code == 409 and "refund" in reversed_.json()["error"]["message"]
    assert payment.status_code == 409 and "refund" in payment.json()["error"]["message"]


def test_cancelling_twice_or_with_a_stale_version_or_no_reason_is_refused(paid: TestClient) -> None:
    stale = paid.post(f"/api/events/{SLUG}/cancel", json={"reason": "Weather", "version": 7})
    blank = paid.post(f"/api/events/{SLUG}/cancel", json={"reason": "   "})
    first = paid.post(f"/api/events/{SLUG}/cancel", json={"reason": "Weather"})
    second = paid.post(f"/api/events/{SLUG}/cancel", json={"reason": "Weather"})

    assert (stale.status_code, blank.status_code, first.status_code, second.status_code) == (409, 400, 200, 409)
    assert blank.json()["error"]["field"] == "reason"


def test_rescheduling_renames_the_slug_keeps_the_old_one_and_the_link_and_tells_the_patron(
    paid: TestClient, ctx: Context
) -> None:
    link = paid.get(f"/api/events/{SLUG}").json()["guest_url"]

    moved = paid.post(f"/api/events/{SLUG}/reschedule", json={"date": "2026-05-30", "period": "am", "version": 1})

    assert moved.status_code == 200
    assert moved.json()["slug"] == "2026-05-30-sarah-am" and SLUG in moved.json()["aliases"]
    assert paid.get(f"/api/events/{SLUG}").json()["slug"] == "2026-05-30-sarah-am"
    assert paid.get(f"{link}", follow_redirects=False).status_code == 301
    [told] = queued(ctx, "reschedule")
    assert "Saturday 30 May 2026, Morning, 8:00\u201312:00" in told and moved.json()["guest_link"] in told


def test_a_cancelled_charter_cannot_be_moved(paid: TestClient) -> None:
    paid.post(f"/api/events/{SLUG}/cancel", json={"reason": "Weather"})

    moved = paid.post(f"/api/events/{SLUG}/reschedule", json={"date": "2026-05-30", "period": "am", "version": 2})

    assert moved.status_code == 409


def test_a_store_from_before_refunds_takes_them_after_its_migration(tmp_path: Path, client: TestClient) -> None:
    database = next((tmp_path / "data").glob("*.sqlite3"))
    with closing(sqlite3.connect(database)) as db:
        kinds = db.execute("SELECT sql FROM sqlite_master WHERE name = 'ledger'").fetchone()[0]
        triggers = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'ledger'")}
    assert "'refund'" in kinds
    assert {"ledger_is_append_only_update", "ledger_is_append_only_delete", "ledger_by_event"} <= triggers
