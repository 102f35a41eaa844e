"""Reminders before a charter: which are due on a day, and what the patron is told."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from shipcaptaincrew.domain.mail import Email, header_safe
from shipcaptaincrew.domain.money import format_cents

if TYPE_CHECKING:
    from shipcaptaincrew.domain.bookings import Event
    from shipcaptaincrew.domain.periods import Periods


def charter_days(today: date, days_before: tuple[int, ...]) -> list[tuple[int, date]]:
    """(days before, the charter day) for each reminder that is due today."""
    return [(days, today + timedelta(days=days)) for days in days_before]


def wants_reminder(event: Event) -> bool:
    """A live charter whose patron has an email and whose dispatcher has not turned reminders off."""
    return event.details.status == "booked" and event.details.reminders and bool(event.details.patron.email)


def reminder(
    event: Event, days_before: int, periods: Periods, meeting_point: str, party_url: str, operator: str
) -> Email:
    details, period = event.details, periods.get(event.details.period)
    when = "tomorrow" if days_before == 1 else "today" if days_before == 0 else f"in {days_before} days"
    missing = max(details.party_size - event.waivers_signed, 0)
    signed = f"{event.waivers_signed} of {details.party_size} guests have signed the waiver" + (
        f": {missing} still to sign." if missing else ". Thank you!"
    )
    balance = f"Balance due: ${format_cents(event.balance_cents)}\n" if event.balance_cents > 0 else ""
    text = (
        f"Hello {details.patron.first_name},\n\n"
        f"Your charter is {when}: {details.date:%A %-d %B %Y}, {period.starts:%H:%M} to {period.ends:%H:%M}.\n"
        f"Meet at: {meeting_point}\n\n"
        f"{signed}\nEvery guest signs here before boarding: {party_url}\n\n{balance}"
        f"See you on board!\n{operator}\n"
    )
    subject = f"Your charter {when} - {details.date:%A %-d %B}"
    return Email(header_safe(details.patron.email), header_safe(subject), text)
