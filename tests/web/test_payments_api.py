from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from shipcaptaincrew.services.context import Context
from tests.builders import event_body, payment_body
from tests.fakes import FakeClock
from tests.unit.strings import full_width

SLUG = "2026-05-23-sarah-pm"


def book(client: TestClient, **overrides: object) -> None:
    assert client.post("/api/events", json=event_body(**overrides)).status_code == 201


def pay(client: TestClient, key: str | None = None, **overrides: object):  # type: ignore[no-untyped-def]
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/api/payment-log", json=payment_body(**overrides), headers=headers)


def test_logging_a_payment_returns_the_entry_and_the_same_snapshot_the_list_shows(client: TestClient) -> None:
    book(client)

    response = pay(client, amount="400")

    assert response.status_code == 201
    payment, event = response.json()["payment"], response.json()["event"]
    assert (payment["kind"], payment["amount_cents"], payment["payment_method"]) == ("payment", 40000, "venmo")
    assert (event["paid_cents"], event["balance_cents"], event["payment_cleared"]) == (40000, 50000, False)
    assert client.get("/api/events?from=2026-05-23&to=2026-05-23").json()["events"] == [event]


def test_paying_the_rest_clears_the_event_with_a_timestamp(client: TestClient, clock: FakeClock) -> None:
    book(client)
    pay(client, amount="400")
    clock.advance(hours=1)

    event = pay(client, amount=500).json()["event"]

    assert event["payment_cleared"] is True
    assert event["payment_cleared_at"] == "2026-05-01T10:00:00Z"
    assert event["balance_cents"] == 0


def test_amounts_are_exact_whether_string_or_number(client: TestClient) -> None:
    book(client)

    first = pay(client, amount="125.50").json()["payment"]["amount_cents"]
    second = client.post(
        "/api/payment-log",
        content=b'{"event_id":"2026-05-23-sarah-pm","patron_name":"S","amount":125.5,"payment_method":"cash"}',
        headers={"content-type": "application/json"},
    ).json()["payment"]["amount_cents"]

    assert first == second == 12550


def test_an_event_with_no_price_is_cleared_by_its_first_payment(client: TestClient) -> None:
    book(client, amount_due=None)

    event = pay(client, amount="50").json()["event"]

    assert event["payment_cleared"] is True


def test_overpayment_is_allowed_and_shown_as_a_credit(client: TestClient) -> None:
    book(client)

    event = pay(client, amount="1000").json()["event"]

    assert (event["payment_cleared"], event["balance_cents"]) == (True, -10000)


def test_every_bad_field_is_a_400_naming_it_and_writes_nothing(client: TestClient) -> None:
    book(client)
    cases = [
        ("amount", {"amount": "0"}),
        ("amount", {"amount": "-5"}),
        ("amount", {"amount": "12.345"}),
        ("amount", {"amount": "NaN"}),
        ("amount", {"amount": ""}),
        ("amount", {"amount": None}),
        ("amount", {"amount": True}),
        ("payment_method", {"payment_method": "bitcoin"}),
        ("patron_name", {"patron_name": ""}),
        ("patron_name", {"patron_name": "x" * 121}),
        ("patron_name", {"patron_name": "Sarah\r\nBcc: evil@example.org"}),
        ("received_on", {"received_on": "yesterday"}),
        ("tip", {"tip": "5"}),
    ]
    for field, overrides in cases:
        response = pay(client, **overrides)
        assert response.status_code == 400, overrides
        assert response.json()["error"]["field"] == field, (overrides, response.json())

    assert client.get(f"/api/events/{SLUG}/payments").json()["entries"] == []


def test_exponent_and_float_noise_amounts_are_refused(client: TestClient) -> None:
    book(client)
    for literal in [b"1e3", b"1E2", b"10e-1", b"0.1000000000000000055511151231257827", b"-0", b"Infinity"]:
        raw = b'{"event_id":"2026-05-23-sarah-pm","patron_name":"S","payment_method":"cash","amount":' + literal + b"}"
        response = client.post("/api/payment-log", content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 400, literal
        assert response.json()["error"]["field"] in {"amount", "body"}, literal


def test_an_amount_above_the_maximum_is_a_400_that_says_the_maximum(client: TestClient) -> None:
    book(client)
    raw = b'{"event_id":"2026-05-23-sarah-pm","patron_name":"S","payment_method":"cash","amount":' + b"9" * 20 + b".99}"

    as_text = pay(client, amount="99999999999999999999.99")
    as_number = client.post("/api/payment-log", content=raw, headers={"content-type": "application/json"})

    for response in (as_text, as_number):
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["field"] == "amount" and error["message"].startswith("amount must be at most 999,999,999.99")
    assert client.get(f"/api/events/{SLUG}/payments").json()["entries"] == []


def test_a_payment_method_in_any_case_is_the_configured_method(client: TestClient) -> None:
    book(client)

    logged = [pay(client, amount="100", payment_method=typed) for typed in ("CASH", "Venmo")]

    assert [response.status_code for response in logged] == [201, 201]
    assert [response.json()["payment"]["payment_method"] for response in logged] == ["cash", "venmo"]
    assert pay(client, payment_method=full_width("CASH")).json()["error"]["field"] == "payment_method"


def test_a_missing_amount_is_named(client: TestClient) -> None:
    book(client)
    body = payment_body()
    del body["amount"]

    assert client.post("/api/payment-log", json=body).json()["error"]["field"] == "amount"


def test_an_unknown_event_is_404(client: TestClient) -> None:
    response = pay(client, event_id="2026-05-23-nobody-pm")

    assert response.status_code == 404
    assert response.json()["error"]["field"] == "event_id"


def test_payments_need_a_token(anonymous: TestClient) -> None:
    assert anonymous.post("/api/payment-log", json=payment_body()).status_code == 401
    assert anonymous.get(f"/api/events/{SLUG}/payments").status_code == 401
    assert anonymous.post("/api/payments/pay_x/reverse", json={"reason": "x"}).status_code == 401


def test_a_replayed_key_returns_the_first_answer_and_writes_nothing(client: TestClient, clock: FakeClock) -> None:
    book(client)
    first = pay(client, key="k-1", amount="100")
    clock.advance(minutes=5)

    again = pay(client, key="k-1", amount="100")

    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert len(client.get(f"/api/events/{SLUG}/payments").json()["entries"]) == 1


def test_a_replay_says_it_is_one_and_a_first_answer_does_not(client: TestClient) -> None:
    book(client)

    first, again = pay(client, key="k-1"), pay(client, key="k-1")

    assert "idempotent-replayed" not in first.headers
    assert (again.status_code, again.headers["idempotent-replayed"]) == (201, "true")


def test_a_replay_after_more_payments_gives_back_its_entry_and_the_balance_now(client: TestClient) -> None:
    book(client)
    first = pay(client, key="k-1", amount="100").json()
    pay(client, key="k-2", amount="300")

    again = pay(client, key="k-1", amount="100").json()

    assert again["payment"] == first["payment"]
    assert (first["event"]["paid_cents"], again["event"]["paid_cents"]) == (10000, 40000)


def test_a_reused_key_with_another_body_is_422(client: TestClient) -> None:
    book(client)
    pay(client, key="k-1", amount="100")

    response = pay(client, key="k-1", amount="200")

    assert response.status_code == 422
    assert (response.json()["error"]["code"], response.json()["error"]["field"]) == (
        "idempotency_key_reused",
        "Idempotency-Key",
    )
    assert len(client.get(f"/api/events/{SLUG}/payments").json()["entries"]) == 1


def test_a_malformed_key_is_refused(client: TestClient) -> None:
    book(client)

    response = pay(client, key="x" * 201)

    assert (response.status_code, response.json()["error"]["field"]) == (400, "Idempotency-Key")


def test_a_reversal_reopens_the_balance_and_clears_the_flag(client: TestClient) -> None:
    book(client)
    paid = pay(client, amount="900").json()

    response = client.post(f"/api/payments/{paid['payment']['id']}/reverse", json={"reason": "check bounced"})

    assert response.status_code == 201
    reversal, event = response.json()["payment"], response.json()["event"]
    assert (reversal["kind"], reversal["reverses"], reversal["reason"]) == (
        "reversal",
        paid["payment"]["id"],
        "check bounced",
    )
    assert (event["payment_cleared"], event["payment_cleared_at"], event["balance_cents"]) == (False, None, 90000)


def test_the_statement_keeps_the_original_and_shows_running_balances(client: TestClient) -> None:
    book(client)
    first = pay(client, amount="400").json()["payment"]["id"]
    pay(client, amount="500")
    client.post(f"/api/payments/{first}/reverse", json={"reason": "duplicate"})

    lines = client.get(f"/api/events/{SLUG}/payments").json()["entries"]

    assert [(line["entry"]["kind"], line["balance_cents"], line["reversed"]) for line in lines] == [
        ("payment", 50000, True),
        ("payment", 0, False),
        ("reversal", 40000, False),
    ]


def test_a_payment_cannot_be_reversed_twice_nor_a_reversal_reversed(client: TestClient) -> None:
    book(client)
    paid = pay(client).json()["payment"]["id"]
    reversal = client.post(f"/api/payments/{paid}/reverse", json={"reason": "oops"}).json()["payment"]["id"]

    assert client.post(f"/api/payments/{paid}/reverse", json={"reason": "again"}).status_code == 409
    assert client.post(f"/api/payments/{reversal}/reverse", json={"reason": "undo"}).status_code == 409
    assert client.post("/api/payments/pay_nope/reverse", json={"reason": "x"}).status_code == 404
    assert client.post(f"/api/payments/{paid}/reverse", json={"reason": ""}).json()["error"]["field"] == "reason"


def test_the_patron_gets_a_receipt_written_to_the_outbox_folder(client: TestClient, ctx: Context) -> None:
    book(client)

    pay(client, amount="400")

    folder: Path = ctx.mailer.folder  # type: ignore[attr-defined]
    [receipt] = [path for path in folder.glob("*.eml") if "Payment received" in path.read_text()]
    text = receipt.read_text()
    assert "To: sarah@example.org" in text and "$400.00" in text and "Message-ID: <msg_" in text


def test_no_receipt_is_queued_when_the_event_has_no_email(client: TestClient, ctx: Context) -> None:
    book(client, patron={"first_name": "Sarah"})

    pay(client)

    with ctx.store.reading() as uow:
        assert uow.outbox.recent(10) == []


def test_raising_the_price_of_a_cleared_event_reopens_its_balance(client: TestClient) -> None:
    book(client)
    pay(client, amount="900")

    event = client.patch(f"/api/events/{SLUG}", json={"version": 1, "amount_due": "1000"}).json()

    assert (event["payment_cleared"], event["balance_cents"]) == (False, 10000)
    lowered = client.patch(f"/api/events/{SLUG}", json={"version": 2, "amount_due": "900"}).json()
    assert lowered["payment_cleared"] is True


def test_an_amount_over_ten_times_the_balance_is_a_409_until_confirmed(client: TestClient) -> None:
    book(client)

    refused = pay(client, key="typo", amount="100000000")
    confirmed = pay(client, key="typo", amount="100000000", confirm=True)

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("confirm_required", "amount")
    assert "more than 10 times the $900.00 due" in error["message"] and '"confirm": true' in error["message"]
    assert confirmed.status_code == 201
    assert [line["entry"]["amount_cents"] for line in client.get(f"/api/events/{SLUG}/payments").json()["entries"]] == [
        10_000_000_000
    ]


def test_ten_times_the_balance_or_a_charter_with_no_price_needs_no_confirmation(client: TestClient) -> None:
    book(client)
    book(client, amount_due=None, period="am")

    assert pay(client, amount="9000").status_code == 201
    assert pay(client, amount="100000", event_id="2026-05-23-sarah-am").status_code == 201
