"""Cancelling and refunding on every store: the ledger keeps each entry, the event shows what is due back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.services import booking, payments, queries
from shipcaptaincrew.services.context import Context
from tests.builders import event_details
from tests.contract.dynamodb import dynamodb_store
from tests.fakes import FakeClock, FakeMailer

KEYS = Keys.derive(b"money-back-contract-key-0123456789abcd")


@pytest.fixture(params=["sqlite", "dynamodb"])
def ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Context]:
    if request.param == "dynamodb":
        for store in dynamodb_store():
            yield Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
        return
    store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
    store.close()


def test_a_cancelled_charter_is_refunded_down_to_what_the_operator_keeps(ctx: Context) -> None:
    event = booking.create_event(ctx, event_details(amount_due_cents=90000), "test")
    payments.log_payment(ctx, event.slug, PaymentDraft(90000, "check", "Sarah"), "test")

    cancelled = booking.cancel_event(ctx, event.slug, "Weather", "test", keep_cents=10000)
    refunded = payments.log_refund(ctx, event.slug, PaymentDraft(80000, "check", "Sarah", "1043"), "test")

    assert cancelled.refund_due_cents == 80000
    assert (refunded.event.payment.paid_cents, refunded.event.refund_due_cents) == (10000, 0)
    assert [entry.kind for entry in payments.statement(ctx, event.slug).entries] == ["payment", "refund"]
    with pytest.raises(InvalidInput):
        payments.log_refund(ctx, event.slug, PaymentDraft(10001, "check", "Sarah"), "test")


def test_a_rescheduled_charter_answers_to_its_old_slug(ctx: Context) -> None:
    event = booking.create_event(ctx, event_details(), "test")

    moved = booking.reschedule_event(ctx, event.slug, date(2026, 6, 6), "sunset", 1, "test")

    assert moved.slug == "2026-06-06-sarah-sunset" and moved.key == event.key
    assert queries.get_event(ctx, event.slug).slug == moved.slug


def booked_for(ctx: Context, day: date, email: str, paid: int = 0) -> str:
    details = event_details(day, "pm", "Sarah", amount_due_cents=60000)
    details = replace(details, patron=replace(details.patron, email=email))
    slug = booking.create_event(ctx, details, "test").slug
    if paid:
        payments.log_payment(ctx, slug, PaymentDraft(paid, "venmo", "Sarah"), "test")
    return slug


def test_a_rain_check_moves_the_refund_due_onto_the_patrons_next_booking(ctx: Context) -> None:
    rained_out = booked_for(ctx, date(2026, 5, 23), "sarah@example.org", paid=40000)
    booking.cancel_event(ctx, rained_out, "Storm", "test")
    next_time = booked_for(ctx, date(2026, 6, 6), "Sarah@Example.org")

    moved = payments.give_rain_check(ctx, rained_out, next_time, None, "test")

    assert (moved.source.refund_due_cents, moved.source.payment.paid_cents) == (0, 0)
    assert (moved.target.payment.paid_cents, moved.target.balance_cents) == (40000, 20000)
    assert [entry.kind for entry in payments.statement(ctx, next_time).entries] == ["credit"]
    assert payments.statement(ctx, rained_out).entries[-1].reference == f"credit on {next_time}"


def test_a_rain_check_stays_with_its_patron_and_never_moves_more_than_is_due(ctx: Context) -> None:
    rained_out = booked_for(ctx, date(2026, 5, 23), "sarah@example.org", paid=40000)
    booking.cancel_event(ctx, rained_out, "Storm", "test")
    someone_else = booked_for(ctx, date(2026, 6, 6), "mallory@example.org")
    hers = booked_for(ctx, date(2026, 6, 7), "sarah@example.org")

    for target, amount, field in [
        (someone_else, None, "to_event"),
        (hers, 40001, "amount"),
        (rained_out, None, "to_event"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            payments.give_rain_check(ctx, rained_out, target, amount, "test")
        assert refused.value.field == field
    assert payments.statement(ctx, hers).entries == []
