"""What a patron is told about their charter: booked (with the party's link), the link again, cancelled, moved, a
payment reversed, money sent back. Plain text in the operator's words: "Saturday 23 May 2026, Afternoon,
13:00-17:00" (an en dash), "Venmo", dollars with separators; short lines, and a link on a line of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipcaptaincrew.domain.guest_words import GuestWords, long_day
from shipcaptaincrew.domain.mail import Email, header_safe

if TYPE_CHECKING:
    from shipcaptaincrew.domain.bookings import Event
    from shipcaptaincrew.domain.ledger import Entry

METHOD_LABELS = {"cash": "cash", "check": "check", "venmo": "Venmo", "zelle": "Zelle", "card": "card", "other": ""}
"""How a payment method reads in a sentence ("by Venmo", "by check"); another shows as its name, capitalised."""
SIGN_EVERY_GUEST = (
    "Please send this link to everyone in your party: each guest signs the waiver before boarding "
    "(a parent or guardian signs for anyone under 18). It takes about two minutes on a phone."
)


def dollars(cents: int) -> str:
    """12550 → `$125.50`, 180000 → `$1,800.00`; a negative amount keeps its sign."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{fraction:02d}"


def method_words(method: str) -> str:
    """`by Venmo`, `by check`; an unnamed method (`other`) says nothing."""
    label = METHOD_LABELS.get(method, method.replace("_", " ").capitalize())
    return f" by {label}" if label else ""


def when(event: Event, words: GuestWords) -> str:
    """'Saturday 23 May 2026, Afternoon, 13:00-17:00' (an en dash): the charter's day and time for a patron."""
    return words.charter(event.details.date, event.details.period)


def short_day(event: Event) -> str:
    return f"{event.details.date.day} {event.details.date:%B}"


def confirmation(event: Event, words: GuestWords, party_url: str, again: bool = False) -> Email:
    """The booking's confirmation, or (`again`) the party's link sent once more."""
    details = event.details
    opening = (
        f"Here is your party's link again, for your charter on\n{when(event, words)}.\n"
        if again
        else f"Your charter is booked for\n{when(event, words)},\nparty of {details.party_size}.\n"
    )
    price = (
        f"\nPrice: {dollars(details.amount_due_cents)}; paid so far: {dollars(event.payment.paid_cents)}.\n"
        if details.amount_due_cents and not again
        else ""
    )
    text = (
        f"Hello {details.patron.first_name},\n\n{opening}{price}\n"
        f"Your party's page:\n{party_url}\n\n{SIGN_EVERY_GUEST}\n\n{words.operator}\n"
    )
    subject = f"Your party's link for {short_day(event)}" if again else f"Your charter on {short_day(event)} is booked"
    return Email(header_safe(details.patron.email), header_safe(f"{subject} - {words.operator}"), text)


def cancellation(event: Event, reason: str, words: GuestWords) -> Email:
    refund = (
        f"We owe you {dollars(event.refund_due_cents)} of what you paid, and will send it back.\n"
        if event.refund_due_cents
        else ""
    )
    text = (
        f"Hello {event.details.patron.first_name},\n\n"
        f"We are sorry: your charter on\n{when(event, words)}\nis cancelled.\n"
        f"Why: {reason}\n\n{refund}"
        "Reply to this email or call us to book another day.\n\n"
        f"{words.operator}\n"
    )
    subject = f"Your charter on {short_day(event)} is cancelled - {words.operator}"
    return Email(header_safe(event.details.patron.email), header_safe(subject), text)


def rescheduled(event: Event, before: Event, words: GuestWords, party_url: str) -> Email:
    text = (
        f"Hello {event.details.patron.first_name},\n\n"
        f"Your charter has moved from\n{when(before, words)}\n"
        f"to\n{when(event, words)}.\n\n"
        f"Your party's link is the same one:\n{party_url}\n\n{SIGN_EVERY_GUEST}\n\n"
        f"{words.operator}\n"
    )
    subject = f"Your charter has moved to {short_day(event)} - {words.operator}"
    return Email(header_safe(event.details.patron.email), header_safe(subject), text)


def reversal_notice(event: Event, payment: Entry, reversal: Entry, words: GuestWords) -> Email:
    """The patron's record corrected: a payment they were sent a receipt for no longer counts."""
    balance = event.balance_cents
    text = (
        f"Hello {payment.patron_name},\n\n"
        f"We have corrected our record of your payment of {dollars(payment.amount_cents)}"
        f"{method_words(payment.method)}\n"
        f"for your charter on\n{when(event, words)}:\nit no longer counts as paid.\n"
        f"Why: {reversal.reason}\n\n"
        f"Paid so far: {dollars(event.payment.paid_cents)}\n"
        f"Balance: {dollars(max(balance, 0))}\n"
        f"Record: {reversal.id}\n\n"
        "If this looks wrong, reply to this email.\n\n"
        f"{words.operator}\n"
    )
    subject = f"Payment record corrected - your {short_day(event)} charter"
    return Email(header_safe(event.details.patron.email), header_safe(subject), text)


def refund_receipt(event: Event, entry: Entry, words: GuestWords) -> Email:
    reference = f"\nReference: {entry.reference}" if entry.reference else ""
    sent = long_day(entry.received_on) if entry.received_on else words.local_day(entry.recorded_at.isoformat())
    text = (
        f"Hello {entry.patron_name},\n\n"
        f"We have sent back {dollars(entry.amount_cents)}{method_words(entry.method)}\n"
        f"for your charter on\n{when(event, words)}.\n\n"
        f"Paid, net of refunds: {dollars(event.payment.paid_cents)}\n"
        f"Sent on: {sent}"
        f"{reference}\nRecord: {entry.id}\n\n"
        f"{words.operator}\n"
    )
    subject = f"Refund sent - your {short_day(event)} charter"
    return Email(header_safe(event.details.patron.email), header_safe(subject), text)


def crew_change(event: Event, before: Event, name: str, email: str, words: GuestWords) -> Email:
    """Tell an assigned captain or crew member that their charter was cancelled or moved."""
    if event.details.status == "cancelled":
        change, subject = f"The charter on {when(before, words)} is cancelled.", "Cancelled"
    else:
        change, subject = f"The charter on {when(before, words)} has moved to {when(event, words)}.", "Moved"
    ship = f" aboard {event.ship}" if event.ship else ""
    text = (
        f"Hello {name},\n\n{change}\n"
        f"Charter: {event.slug}{ship}, party of {event.details.party_size}.\n"
        "Your calendar feed and day sheet show the change.\n\n"
        f"{words.operator}\n"
    )
    return Email(header_safe(email), header_safe(f"{subject}: charter of {before.details.date:%-d %B}"), text)


def guest_moved(event: Event, before: Event, name: str, email: str, words: GuestWords) -> Email:
    """Tell a guest who signed (and gave an email) that the charter moved; their signature still counts."""
    text = (
        f"Hello {name},\n\n"
        f"The charter you signed the waiver for has moved from {when(before, words)}\n"
        f"to {when(event, words)}.\n"
        "Your signed waiver still counts: there is nothing more to do.\n\n"
        f"{words.operator}\n"
    )
    return Email(header_safe(email), header_safe(f"Your charter has moved to {event.details.date:%-d %B}"), text)
