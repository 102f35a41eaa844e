"""Outgoing email as the domain sees it: who, what, and the rules that keep headers safe."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shipcaptaincrew.domain.events import Event
from shipcaptaincrew.domain.ledger import Entry
from shipcaptaincrew.domain.money import format_cents

# Delivery attempts: wait this long after each failure; after the last, the message is dead-lettered.
RETRY_DELAYS = (timedelta(seconds=10), timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=5),
                timedelta(minutes=15))  # fmt: skip
PENDING, SENT, DEAD = "pending", "sent", "dead"


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str


@dataclass(frozen=True)
class OutboxMessage:
    id: str
    message_id: str
    email: Email
    created_at: datetime
    status: str = PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str = ""
    sent_at: datetime | None = None
    kind: str = ""


def header_safe(text: str) -> str:
    """One line, no CR/LF or other control characters, so a value can never add a header."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def after_failure(message: OutboxMessage, error: str, now: datetime) -> OutboxMessage:
    """The message after a failed attempt: retried later, or dead once the delays are used up."""
    attempts = message.attempts + 1
    if attempts > len(RETRY_DELAYS):
        return replace(message, status=DEAD, attempts=attempts, next_attempt_at=None, last_error=error)
    return replace(message, attempts=attempts, next_attempt_at=now + RETRY_DELAYS[attempts - 1], last_error=error)


def payment_receipt(event: Event, entry: Entry) -> Email:
    details = event.details
    lines = [
        f"Hello {entry.patron_name},",
        "",
        f"We received your payment of ${format_cents(entry.amount_cents)} ({entry.method}) "
        f"for your charter on {details.date.isoformat()} ({details.period}).",
        "",
        f"Paid so far: ${format_cents(event.payment.paid_cents)}",
        f"Balance: ${format_cents(max(event.balance_cents, 0))}"
        + (f" (credit ${format_cents(-event.balance_cents)})" if event.balance_cents < 0 else ""),
        f"Reference: {entry.id}" + (f" / {entry.reference}" if entry.reference else ""),
        "",
        f"Your party's page, where every guest signs the waiver: /g/{event.slug}",
        "",
        "Thank you!",
    ]
    subject = header_safe(f"Payment received - {details.date.isoformat()} {details.period} charter")
    return Email(to=header_safe(details.patron.email), subject=subject, text="\n".join(lines) + "\n")
