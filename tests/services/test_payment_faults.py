"""Faults around a payment: the mail transport fails, or the store fails half-way. Nothing is lost or half-written."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from shipcaptaincrew.domain import mail
from shipcaptaincrew.domain.errors import Unavailable
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.services import booking, outbox, payments
from shipcaptaincrew.services.context import Context
from tests.builders import event_details
from tests.fakes import FakeClock, FakeMailer

SLUG = "2026-05-23-sarah-pm"
DRAFT = PaymentDraft(40000, "cash", "Sarah Lopez")


@pytest.fixture
def booked(ctx: Context) -> Context:
    details = event_details()
    details = replace(details, patron=replace(details.patron, email="sarah@example.org"), amount_due_cents=90000)
    booking.create_event(ctx, details, "test", notify=False)  # the receipt alone is under test, not the confirmation
    return ctx


def test_a_failing_transport_keeps_the_payment_and_the_message_waits(booked: Context) -> None:
    booked.mailer = FakeMailer(failures=-1)

    result = payments.log_payment(booked, SLUG, DRAFT, "test")
    report = outbox.deliver_due(booked)

    assert (report.sent, report.failed) == (0, 1)
    assert payments.statement(booked, SLUG).event.payment.paid_cents == 40000
    [message] = outbox.recent(booked)
    assert (message.status, message.attempts, message.last_error) == (mail.PENDING, 1, "421 try again later")
    assert result.entry.id in message.email.text


def test_a_transport_that_crashes_unexpectedly_loses_nothing_either(booked: Context) -> None:
    booked.mailer = FakeMailer(failures=-1, error=RuntimeError("bug in the transport"))

    payments.log_payment(booked, SLUG, DRAFT, "test")
    outbox.deliver_due(booked)

    [message] = outbox.recent(booked)
    assert message.status == mail.PENDING and "bug in the transport" in message.last_error


def test_retries_follow_the_backoff_then_the_message_is_dead_lettered(booked: Context, clock: FakeClock) -> None:
    booked.mailer = FakeMailer(failures=-1)
    payments.log_payment(booked, SLUG, DRAFT, "test")
    waits = []
    for _ in range(len(mail.RETRY_DELAYS) + 1):
        outbox.deliver_due(booked)
        [message] = outbox.recent(booked)
        if message.next_attempt_at is None:
            break
        waits.append(message.next_attempt_at - clock.now())
        assert outbox.deliver_due(booked).failed == 0  # not due yet: nothing is tried
        clock.current = message.next_attempt_at

    assert waits == list(mail.RETRY_DELAYS)
    assert message.status == mail.DEAD


def test_a_message_that_fails_once_is_delivered_on_the_retry(booked: Context, clock: FakeClock) -> None:
    mailer = FakeMailer(failures=1)
    booked.mailer = mailer
    payments.log_payment(booked, SLUG, DRAFT, "test")

    outbox.deliver_due(booked)
    clock.advance(seconds=10)
    outbox.deliver_due(booked)

    [message] = outbox.recent(booked)
    assert message.status == mail.SENT
    assert [message_id for _, message_id in mailer.sent] == [message.message_id]


def test_a_claimed_message_is_not_sent_twice_by_a_second_deliverer(booked: Context, clock: FakeClock) -> None:
    mailer = FakeMailer()
    booked.mailer = mailer
    payments.log_payment(booked, SLUG, DRAFT, "test")

    outbox.deliver_due(booked)
    outbox.deliver_due(booked)
    clock.advance(minutes=10)
    outbox.deliver_due(booked)

    assert len(mailer.sent) == 1


def counting_writes(ctx: Context, fail_from: int = 0) -> list[int]:
    """Count the write transactions `ctx` opens; from the `fail_from`-th on (1-based), the store is busy."""
    real_writing, opened = ctx.store.writing, [0]

    def writing():  # type: ignore[no-untyped-def]
        opened[0] += 1
        if fail_from and opened[0] >= fail_from:
            raise Unavailable("the database is busy")
        return real_writing()

    ctx.store.writing = writing  # type: ignore[method-assign]
    return opened


def test_a_batch_costs_two_write_transactions_the_claim_and_the_outcomes(booked: Context) -> None:
    booked.mailer = FakeMailer(failures=1)
    for _ in range(3):
        payments.log_payment(booked, SLUG, DRAFT, "test")
    writes = counting_writes(booked)

    report = outbox.deliver_due(booked)

    assert (report.sent, report.failed, writes) == (2, 1, [2])
    assert sorted(message.status for message in outbox.recent(booked)) == [mail.PENDING, mail.SENT, mail.SENT]


def test_outcomes_that_could_not_be_recorded_are_sent_again_after_the_lease_with_the_same_message_id(
    booked: Context, clock: FakeClock
) -> None:
    mailer = FakeMailer()
    booked.mailer = mailer
    for _ in range(2):
        payments.log_payment(booked, SLUG, DRAFT, "test")
    counting_writes(booked, fail_from=2)
    outbox.deliver_due(booked)  # sent, but the outcome is not recorded: the messages stay claimed
    del booked.store.writing  # type: ignore[attr-defined]  # the store works again

    assert outbox.deliver_due(booked).claimed == 0
    clock.current += outbox.CLAIM_LEASE
    outbox.deliver_due(booked)

    first, second = [message_id for _, message_id in mailer.sent[:2]], [m for _, m in mailer.sent[2:]]
    assert first == second and len(set(first)) == 2
    assert [message.status for message in outbox.recent(booked)] == [mail.SENT, mail.SENT]


class FailingAudit:
    def append(self, *args: object) -> None:
        raise OSError("disk full while writing the audit entry")


def test_a_store_failure_after_the_ledger_insert_persists_nothing(booked: Context) -> None:
    real_writing = booked.store.writing

    def writing_with_failing_audit():  # type: ignore[no-untyped-def]
        uow = real_writing()
        uow.audit = FailingAudit()
        return uow

    booked.store.writing = writing_with_failing_audit  # type: ignore[method-assign]
    with pytest.raises(OSError, match="disk full"):
        payments.log_payment(booked, SLUG, DRAFT, "test")
    booked.store.writing = real_writing  # type: ignore[method-assign]

    statement = payments.statement(booked, SLUG)
    assert statement.entries == []
    assert statement.event.payment.paid_cents == 0
    assert outbox.recent(booked) == []


def test_idempotency_keys_are_kept_for_at_least_a_day(booked: Context, clock: FakeClock) -> None:
    first = payments.log_payment_once(booked, SLUG, DRAFT, "test", "key-1", "fp")
    clock.advance(hours=24)
    payments.log_payment_once(booked, SLUG, DRAFT, "test", "key-2", "fp")  # triggers the clean-up
    again = payments.log_payment_once(booked, SLUG, DRAFT, "test", "key-1", "fp")

    assert (again.replayed, again.result.entry) == (True, first.result.entry)
    assert len(payments.statement(booked, SLUG).entries) == 2
    assert timedelta(hours=24) <= payments.KEEP_KEYS_FOR
