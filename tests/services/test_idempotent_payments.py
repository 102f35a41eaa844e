"""Logging with an idempotency key: the use case gives back domain values and names domain fields, never HTTP."""

from __future__ import annotations

import pytest

from shipcaptaincrew.domain.errors import IdempotencyKeyReused, NotFound
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.services import booking, payments
from shipcaptaincrew.services.context import Context
from tests.builders import event_details

SLUG = "2026-05-23-sarah-pm"
DRAFT = PaymentDraft(40000, "cash", "Sarah Lopez")


@pytest.fixture
def booked(ctx: Context) -> Context:
    booking.create_event(ctx, event_details(amount_due_cents=90000), "test")
    return ctx


def test_a_first_log_is_not_a_replay_and_its_repeat_gives_back_the_same_entry_as_one(booked: Context) -> None:
    first = payments.log_payment_once(booked, SLUG, DRAFT, "test", "key-1", "fp")
    again = payments.log_payment_once(booked, SLUG, DRAFT, "test", "key-1", "fp")

    assert (first.replayed, again.replayed) == (False, True)
    assert again.result.entry == first.result.entry
    assert len(payments.statement(booked, SLUG).entries) == 1


def test_a_replay_shows_the_event_as_it_is_now(booked: Context) -> None:
    payments.log_payment_once(booked, SLUG, DRAFT, "test", "key-1", "fp")
    payments.log_payment(booked, SLUG, PaymentDraft(50000, "cash", "Sarah Lopez"), "test")

    again = payments.log_payment_once(booked, SLUG, DRAFT, "test", "key-1", "fp")

    assert again.result.event.payment.paid_cents == 90000


def test_a_refund_key_replays_the_refund(booked: Context) -> None:
    payments.log_payment(booked, SLUG, DRAFT, "test")
    refund = PaymentDraft(10000, "cash", "Sarah Lopez")

    first = payments.log_refund_once(booked, SLUG, refund, "test", "back-1", "fp")
    again = payments.log_refund_once(booked, SLUG, refund, "test", "back-1", "fp")

    assert (again.replayed, again.result.entry) == (True, first.result.entry)
    assert again.result.event.payment.paid_cents == 30000


def test_a_reused_key_names_the_idempotency_key_not_a_header(booked: Context) -> None:
    payments.log_payment_once(booked, SLUG, DRAFT, "test", "key-1", "fp")

    with pytest.raises(IdempotencyKeyReused) as refused:
        payments.log_payment_once(booked, SLUG, DRAFT, "test", "key-1", "another request")

    assert refused.value.field == "idempotency_key"
    assert "Idempotency-Key" not in refused.value.message


def test_an_unknown_charter_is_named_as_the_domain_names_it_not_as_a_json_field(booked: Context) -> None:
    with pytest.raises(NotFound) as refused:
        payments.log_payment(booked, "2026-05-23-nobody-pm", DRAFT, "test")

    assert refused.value.field == "event"
