"""Builders for the things tests need many of, so each test states only what matters to it."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from shipcaptaincrew.domain.bookings import EventDetails, Patron
from shipcaptaincrew.domain.tokens import FormTicket

if TYPE_CHECKING:  # the cold-start tests import this module and count what is loaded
    from shipcaptaincrew.domain.signing import SignatureDraft
    from shipcaptaincrew.domain.waivers import Signature, WaiverVersion
    from shipcaptaincrew.services.context import Context

PASSWORD = "correct horse battery"
BOOK_SARAH = ("events", "create", "--date", "2026-05-23", "--period", "pm", "--first-name", "Sarah",
              "--party-size", "6", "--price", "900", "--email", "sarah@example.org")  # fmt: skip
"""`scc` arguments booking 2026-05-23-sarah-pm: a party of 6, price 900, the patron's email given."""
WAIVER_TEXT = """RELEASE OF LIABILITY

I take part in this boat charter of my own will and follow the crew's instructions."""
"""The operator's own waiver, as tests set it: nobody can sign until one is set."""


def set_waiver(ctx: Context, text: str = WAIVER_TEXT) -> WaiverVersion:
    from shipcaptaincrew.services import waivers

    return waivers.set_waiver_text(ctx, text, "test")


def event_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "date": "2026-05-23",
        "period": "pm",
        "patron": {"first_name": "Sarah", "last_name": "Lopez", "email": "sarah@example.org", "phone": "+1 555 0100"},
        "party_size": 8,
        "amount_due": "900.00",
    }
    body.update(overrides)
    return body


def event_details(
    day: date = date(2026, 5, 23), period: str = "pm", first_name: str = "Sarah", **more: Any
) -> EventDetails:
    return EventDetails(day, period, Patron(first_name, "Lopez"), more.pop("party_size", 6), **more)


def payment_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": "2026-05-23-sarah-pm",
        "patron_name": "Sarah Lopez",
        "amount": "400.00",
        "payment_method": "venmo",
    }
    body.update(overrides)
    return body


def form_ticket() -> FormTicket:
    """A waiver form's token as the guest page checks it: one use, good for six hours."""
    return FormTicket(secrets.token_urlsafe(12), datetime(2100, 1, 1, tzinfo=UTC))


def sign_waiver(ctx: Context, slug: str, draft: SignatureDraft, ip: str = "203.0.113.9") -> Signature:
    """Sign as the guest page does, from a fresh form."""
    from shipcaptaincrew.services import waivers

    return waivers.sign_waiver(ctx, slug, draft, (ip, "Mozilla/5.0"), form_ticket())[0]


@dataclass(frozen=True)
class Days:
    """Three weeks of calendar, Monday to Sunday, for a test to book its charters on."""

    monday: date

    def at(self, offset: int) -> str:
        """The day `offset` days after the Monday, as the API writes it (2031-06-14)."""
        return (self.monday + timedelta(days=offset)).isoformat()

    @property
    def first(self) -> str:
        return self.at(0)

    @property
    def last(self) -> str:
        return self.at(20)


_stretches = itertools.count(1)


def unique_days() -> Days:
    """A stretch of days of its own for a test on a shared server: a whole number of weeks after Monday
    9 June 2031, so each day keeps its weekday. Other processes have servers of their own."""
    return Days(date(2031, 6, 9) + timedelta(weeks=3 * next(_stretches)))
