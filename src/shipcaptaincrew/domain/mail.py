"""Outgoing email as the domain sees it: who, what, and the rules that keep headers safe."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from shipcaptaincrew.domain.money import format_cents

if TYPE_CHECKING:  # types only: the mail adapters import this module, and a cold start should not pay for these
    from shipcaptaincrew.domain.bookings import Event
    from shipcaptaincrew.domain.guest_words import GuestWords
    from shipcaptaincrew.domain.ledger import Entry

# Delivery attempts: wait this long after each failure; after the last, the message is dead-lettered.
RETRY_DELAYS = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
)
PENDING, SENT, DEAD = "pending", "sent", "dead"
# The transport has no usable credentials (e.g. a revoked Gmail token): the message waits, counts no attempt,
# is never dead-lettered, and is tried again after CREDENTIALS_RECHECK or as soon as credentials are stored.
WAITING = "waiting"
CREDENTIALS_RECHECK = timedelta(minutes=1)
ATTACHMENTS = "attachments"
"""The fact that names a message's attachments, space-separated (`waiver-copy:<token>`): stored as names, made
into files by the delivery when it sends (`services/attachments.py`), so no document is built inside a request."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    template: str = ""
    """The adapter template that renders the text and HTML parts from `facts`; empty: `text` alone is sent."""
    facts: Mapping[str, str] = field(default_factory=dict)
    """Plain facts for the template (already formatted strings); the domain never builds HTML."""
    attachments: tuple[Attachment, ...] = ()
    """Files made at delivery from the names in `facts[ATTACHMENTS]`; never stored."""

    def attachment_names(self) -> list[str]:
        return self.facts.get(ATTACHMENTS, "").split()


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
    delay = RETRY_DELAYS[attempts - 1]
    return replace(message, status=PENDING, attempts=attempts, next_attempt_at=now + delay, last_error=error)


def waiting_for_credentials(message: OutboxMessage, reason: str, now: datetime) -> OutboxMessage:
    """The message kept aside until the transport has credentials again; no attempt is counted."""
    return replace(message, status=WAITING, next_attempt_at=now + CREDENTIALS_RECHECK, last_error=reason)


def payment_receipt(
    event: Event, entry: Entry, party_path: str, base_url: str = "", words: GuestWords | None = None
) -> Email:
    """The patron's receipt with the party's link (`party_path`); `base_url` (SCC_PUBLIC_URL) makes it absolute.

    In the operator's words (`words`): "by Venmo", "Monday 7 December 2026, Afternoon, 13:00-17:00", the local day
    it was received; every value on a short line of its own, so a long reference never runs off a phone.
    """
    from shipcaptaincrew.domain.booking_mail import dollars, method_words, when
    from shipcaptaincrew.domain.guest_words import GuestWords, long_day

    words = words or GuestWords()
    details = event.details
    party_url = f"{base_url}{party_path}"
    received = long_day(entry.received_on) if entry.received_on else words.local_day(entry.recorded_at.isoformat())
    credit = f" (credit {dollars(-event.balance_cents)})" if event.balance_cents < 0 else ""
    lines = [
        f"Hello {entry.patron_name},",
        "",
        f"We received your payment of {dollars(entry.amount_cents)}{method_words(entry.method)}",
        f"for your charter on {when(event, words)}.",
        "",
        f"Paid so far: {dollars(event.payment.paid_cents)}",
        f"Balance: {dollars(max(event.balance_cents, 0))}{credit}",
        f"Received: {received}",
        *([f"Reference: {entry.reference}"] if entry.reference else []),
        f"Record: {entry.id}",
        "",
        "Your party's page, where every guest signs the waiver:",
        party_url,
        "",
        "Thank you!",
        words.operator,
    ]
    subject = header_safe(f"Payment received - your {details.date.day} {details.date:%B} charter")
    facts = {
        "patron_name": entry.patron_name,
        "amount": format_cents(entry.amount_cents),
        "method": entry.method,
        "date": details.date.isoformat(),
        "period": details.period,
        "paid": format_cents(event.payment.paid_cents),
        "balance": format_cents(max(event.balance_cents, 0)),
        "credit": format_cents(-event.balance_cents) if event.balance_cents < 0 else "",
        "entry_id": entry.id,
        "reference": entry.reference,
        "party_path": party_path,
        "party_url": party_url,
        # In people's words; a message queued before these existed renders from the stored values above.
        "amount_words": dollars(entry.amount_cents),
        "method_words": method_words(entry.method),
        "when": when(event, words),
        "paid_words": dollars(event.payment.paid_cents),
        "balance_words": f"{dollars(max(event.balance_cents, 0))}{credit}",
        "received": received,
        "operator": words.operator,
    }
    return Email(header_safe(details.patron.email), subject, "\n".join(lines) + "\n", "receipt", facts)


def crew_assignment(event: Event, name: str, email: str, role: str, window: str = "", calendar_url: str = "") -> Email:
    """Tell a captain or crew member which charter they are assigned to (`window` like "13:00-17:00"), with the
    link to their calendar feed of every charter they are on, to add to a phone's calendar once."""
    details = event.details
    when = f"{details.date.isoformat()} ({details.period}{', ' + window if window else ''})"
    facts = {
        "name": name,
        "role": role,
        "date": details.date.isoformat(),
        "period": details.period,
        "window": window,
        "ship": event.ship or "",
        "captain": event.captain or "",
        "crew": ", ".join(event.crew),
        "party_size": str(details.party_size),
        "patron_name": f"{details.patron.first_name} {details.patron.last_name}".strip(),
        "title": details.title,
        "notes": details.notes,
        "slug": event.slug,
        "calendar_url": calendar_url,
    }
    text = (
        f"Hello {name},\n\nYou are assigned as {role} on the charter of {when}"
        + (f" aboard {event.ship}" if event.ship else "")
        + f", party of {details.party_size}.\nCharter: {event.slug}\n"
        + (f"\nAll your charters, as a calendar to add to your phone once: {calendar_url}\n" if calendar_url else "")
    )
    subject = header_safe(f"Assignment: {role} - {details.date.isoformat()} {details.period} charter")
    return Email(header_safe(email), subject, text, "crew_assignment", facts)
