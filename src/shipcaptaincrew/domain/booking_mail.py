"""What a patron is told when their charter changes: cancelled, moved, or money sent back. Plain text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipcaptaincrew.domain.mail import Email, header_safe
from shipcaptaincrew.domain.money import format_cents

if TYPE_CHECKING:
    from shipcaptaincrew.domain.events import Event
    from shipcaptaincrew.domain.ledger import Entry
    from shipcaptaincrew.domain.periods import Periods


def when(event: Event, periods: Periods) -> str:
    """'Saturday 23 May 2026, 13:00 to 17:00': the charter's day and time as a patron reads them."""
    period = periods.get(event.details.period)
    return f"{event.details.date:%A %-d %B %Y}, {period.starts:%H:%M} to {period.ends:%H:%M}"


def cancellation(event: Event, reason: str, periods: Periods, operator: str) -> Email:
    refund = (
        f"We owe you ${format_cents(event.refund_due_cents)} of what you paid, and will send it back.\n"
        if event.refund_due_cents
        else ""
    )
    text = (
        f"Hello {event.details.patron.first_name},\n\n"
        f"We are sorry: your charter on {when(event, periods)} is cancelled.\n"
        f"Why: {reason}\n\n{refund}"
        "Reply to this email or call us to book another day.\n\n"
        f"{operator}\n"
    )
    subject = f"Your charter on {event.details.date:%-d %B} is cancelled"
    return Email(header_safe(event.details.patron.email), header_safe(subject), text)


def rescheduled(event: Event, before: Event, periods: Periods, operator: str, party_url: str) -> Email:
    text = (
        f"Hello {event.details.patron.first_name},\n\n"
        f"Your charter has moved from {when(before, periods)}\n"
        f"to {when(event, periods)}.\n\n"
        f"Your party's link is the same one, for every guest to sign the waiver: {party_url}\n\n"
        f"{operator}\n"
    )
    subject = f"Your charter has moved to {event.details.date:%-d %B}"
    return Email(header_safe(event.details.patron.email), header_safe(subject), text)


def refund_receipt(event: Event, entry: Entry, periods: Periods, operator: str) -> Email:
    reference = f" (reference {entry.reference})" if entry.reference else ""
    text = (
        f"Hello {entry.patron_name},\n\n"
        f"We have sent back ${format_cents(entry.amount_cents)} by {entry.method}{reference} "
        f"for your charter on {when(event, periods)}.\n"
        f"Paid, net of refunds: ${format_cents(event.payment.paid_cents)}\n"
        f"Record: {entry.id}\n\n"
        f"{operator}\n"
    )
    subject = f"Refund sent - your {event.details.date:%-d %B} charter"
    return Email(header_safe(event.details.patron.email), header_safe(subject), text)


def crew_change(event: Event, before: Event, name: str, email: str, periods: Periods, operator: str) -> Email:
    """Tell an assigned captain or crew member that their charter was cancelled or moved."""
    if event.details.status == "cancelled":
        change, subject = f"The charter on {when(before, periods)} is cancelled.", "Cancelled"
    else:
        change, subject = f"The charter on {when(before, periods)} has moved to {when(event, periods)}.", "Moved"
    ship = f" aboard {event.ship}" if event.ship else ""
    text = (
        f"Hello {name},\n\n{change}\n"
        f"Charter: {event.slug}{ship}, party of {event.details.party_size}.\n"
        "Your calendar feed and day sheet show the change.\n\n"
        f"{operator}\n"
    )
    return Email(header_safe(email), header_safe(f"{subject}: charter of {before.details.date:%-d %B}"), text)


def guest_moved(event: Event, before: Event, name: str, email: str, periods: Periods, operator: str) -> Email:
    """Tell a guest who signed (and gave an email) that the charter moved; their signature still counts."""
    text = (
        f"Hello {name},\n\n"
        f"The charter you signed the waiver for has moved from {when(before, periods)}\n"
        f"to {when(event, periods)}.\n"
        "Your signed waiver still counts: there is nothing more to do.\n\n"
        f"{operator}\n"
    )
    return Email(header_safe(email), header_safe(f"Your charter has moved to {event.details.date:%-d %B}"), text)
