"""Delivering the outbox: after commit, with retries and a dead letter, never undoing what caused the mail."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from shipcaptaincrew.domain import mail
from shipcaptaincrew.domain.errors import NotFound, Unavailable
from shipcaptaincrew.domain.mail import OutboxMessage
from shipcaptaincrew.ports import CredentialsUnavailable, DeliveryFailed
from shipcaptaincrew.services.attachments import with_attachments
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.retries import retried

CLAIM_LEASE = timedelta(minutes=2)
RECORD_EVERY = timedelta(seconds=10)  # well inside the lease: no outcome waits long enough to be re-claimed
log = logging.getLogger("shipcaptaincrew.outbox")


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    waiting: int = 0
    """Kept aside until the transport has credentials again (see `release_waiting`)."""
    claimed: int = 0
    """How many were due and tried; when it equals the limit, more may be due."""


def deliver_due(ctx: Context, limit: int = 50) -> DeliveryReport:
    """Try each due message once. A failure schedules a retry (or dead-letters); it never raises.

    Messages are claimed first (their next attempt moved a lease ahead), so two deliverers running at once
    do not send the same message twice; one that crashes mid-send leaves it to be retried after the lease.
    Once the transport says its credentials are unusable, the rest wait too without asking it again.
    """
    now = ctx.clock.now()
    with ctx.store.reading() as uow:
        if not uow.outbox.due(now, 1):
            return DeliveryReport()  # the common case costs a read, not a write transaction
    try:
        with ctx.store.writing() as uow:
            due = uow.outbox.due(now, limit)
            for message in due:
                uow.outbox.update(replace(message, next_attempt_at=now + CLAIM_LEASE))
    except Unavailable as error:
        log.warning("outbox delivery skipped, the store is busy: %s", error)
        return DeliveryReport()
    outcomes = _deliver(ctx, due)
    return DeliveryReport(
        outcomes.count(mail.SENT),
        outcomes.count(mail.PENDING),
        outcomes.count(mail.DEAD),
        outcomes.count(mail.WAITING),
        len(due),
    )


@retried
def release_waiting(ctx: Context) -> int:
    """Make every message waiting for credentials due now (after new credentials are stored); return how many."""
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        waiting = uow.outbox.recent(1_000_000, mail.WAITING)
        for message in waiting:
            uow.outbox.update(replace(message, next_attempt_at=now))
    return len(waiting)


def waiting_count(ctx: Context) -> int:
    """How many messages wait for the transport's credentials."""
    with ctx.store.reading() as uow:
        return uow.outbox.count(mail.WAITING)


@retried
def retry_now(ctx: Context, message_id: str) -> OutboxMessage:
    """Make a pending or dead message due again at once."""
    with ctx.store.writing() as uow:
        message = _existing(uow.outbox.get(message_id), message_id)
        again = replace(message, status=mail.PENDING, next_attempt_at=ctx.clock.now())
        uow.outbox.update(again)
    return again


def recent(ctx: Context, limit: int = 50, status: str | None = None) -> list[OutboxMessage]:
    with ctx.store.reading() as uow:
        return uow.outbox.recent(limit, status)


def get(ctx: Context, message_id: str) -> OutboxMessage:
    with ctx.store.reading() as uow:
        return _existing(uow.outbox.get(message_id), message_id)


def _deliver(ctx: Context, due: list[OutboxMessage]) -> list[str]:
    """Send each claimed message; record the outcomes in one write transaction per batch (and every
    RECORD_EVERY, so a slow transport does not hold them all back), not one each: a commit costs a sync."""
    outcomes: list[OutboxMessage] = []
    missing, recorded, recorded_at = "", 0, ctx.clock.now()
    for message in due:
        if missing:
            updated = mail.waiting_for_credentials(message, missing, ctx.clock.now())
        else:
            updated = _attempt(ctx, message)
            missing = updated.last_error if updated.status == mail.WAITING else ""
        outcomes.append(updated)
        if ctx.clock.now() - recorded_at >= RECORD_EVERY:
            _record(ctx, outcomes[recorded:])
            recorded, recorded_at = len(outcomes), ctx.clock.now()
    _record(ctx, outcomes[recorded:])
    return [message.status for message in outcomes]


def _record(ctx: Context, outcomes: list[OutboxMessage]) -> None:
    """Until this commits, the messages stay claimed; if it fails (or the process dies first), their lease runs
    out and they are tried again, so one that was sent goes out twice with its Message-ID (at-least-once)."""
    if not outcomes:
        return
    try:
        with ctx.store.writing() as uow:
            for message in outcomes:
                uow.outbox.update(message)
    except Unavailable as error:
        log.warning("could not record the outcome of %d messages (%s); they will be retried", len(outcomes), error)


def _attempt(ctx: Context, message: OutboxMessage) -> OutboxMessage:
    try:
        ctx.mailer.send(with_attachments(ctx, message.email), message.message_id)
        return replace(
            message,
            status=mail.SENT,
            attempts=message.attempts + 1,
            sent_at=ctx.clock.now(),
            next_attempt_at=None,
            last_error="",
        )
    except CredentialsUnavailable as error:
        log.warning("mail waits for credentials: %s", error)
        return mail.waiting_for_credentials(message, str(error)[:500], ctx.clock.now())
    except DeliveryFailed as error:
        return mail.after_failure(message, str(error)[:500], ctx.clock.now())
    except Exception as error:  # a transport bug must not lose the message either
        log.exception("mailer failed unexpectedly on %s", message.id)
        return mail.after_failure(message, f"{type(error).__name__}: {error}"[:500], ctx.clock.now())


def _existing(message: OutboxMessage | None, message_id: str) -> OutboxMessage:
    if message is None:
        raise NotFound(f"no outbox message {message_id!r}", "id")
    return message
