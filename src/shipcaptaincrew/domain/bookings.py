"""Bookings (charters, called events on the wire): what is booked, for whom, when, and what they owe."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from typing import TypeVar

from shipcaptaincrew.domain import errors, slugs
from shipcaptaincrew.domain.days import in_range
from shipcaptaincrew.domain.errors import InvalidInput, StaleVersion
from shipcaptaincrew.domain.periods import Periods
from shipcaptaincrew.domain.text import clean_email, clean_line, clean_phone, clean_text

STATUSES = ("booked", "cancelled", "completed")
MAX_PARTY = 500
T = TypeVar("T")


class Keep(Enum):
    """Marks a field an edit leaves as it is (None can be a real value, as for amount_due)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class Patron:
    """The person who booked the charter."""

    first_name: str
    last_name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PaymentState:
    """What the ledger says about an event; kept beside the event so listing needs no join."""

    paid_cents: int = 0
    cleared_at: datetime | None = None


@dataclass(frozen=True)
class DockState:
    """Where the charter stands on its day: `boarding` (guests being ticked aboard), `departed` or `returned`, and
    how many guests are aboard. Kept beside the event, as the payment state is, so the board needs no join."""

    status: str = ""
    aboard: int = 0
    departed_at: datetime | None = None
    returned_at: datetime | None = None


@dataclass(frozen=True)
class EventDetails:
    """The fields a dispatcher types when booking or editing, already cleaned."""

    date: date
    period: str
    patron: Patron
    party_size: int
    title: str = ""
    notes: str = ""
    amount_due_cents: int | None = None
    status: str = "booked"
    reminders: bool = True
    """Whether the patron is reminded before the charter (SCC_REMINDER_DAYS); the dispatcher can turn it off."""


@dataclass(frozen=True)
class Ref:
    """A roster entry (ship or person) as an event shows it: its id and its name."""

    id: str
    name: str


@dataclass(frozen=True)
class Conflict:
    """Why an assignment is doubtful: `kind` is one of roster.CONFLICT_KINDS; `other` a clashing event's slug.

    `overridden`: the dispatcher accepted this very conflict with the event's override reason.
    """

    kind: str
    message: str
    other: str = ""
    overridden: bool = False


@dataclass(frozen=True)
class Assignment:
    """Ship, captain and crew of an event, the conflicts found when it was saved, and the reason they were accepted."""

    ship: Ref | None = None
    captain: Ref | None = None
    crew: tuple[Ref, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    override_reason: str = ""

    def people(self) -> tuple[Ref, ...]:
        return ((self.captain,) if self.captain else ()) + self.crew


@dataclass(frozen=True)
class Event:
    slug: str
    details: EventDetails
    created_at: datetime
    updated_at: datetime
    assignment: Assignment = field(default_factory=Assignment)
    version: int = 1
    payment: PaymentState = field(default_factory=PaymentState)
    waivers_signed: int = 0
    key: str = ""
    """The event's own id: it never changes, whatever the slug becomes, and moves with it between stores."""
    guest_nonce: str = ""
    """Random; the guest links' secret is made from it (`guest_links.secret`), a new one kills the old links."""
    dock: DockState = field(default_factory=DockState)

    @property
    def ship(self) -> str | None:
        return self.assignment.ship.name if self.assignment.ship else None

    @property
    def captain(self) -> str | None:
        return self.assignment.captain.name if self.assignment.captain else None

    @property
    def crew(self) -> tuple[str, ...]:
        return tuple(member.name for member in self.assignment.crew)

    @property
    def payment_cleared(self) -> bool:
        return self.payment.cleared_at is not None

    @property
    def balance_cents(self) -> int:
        """Amount due less paid; negative is a credit. An event with no price owes nothing."""
        return (self.details.amount_due_cents or 0) - self.payment.paid_cents

    @property
    def refund_due_cents(self) -> int:
        """What a cancelled charter owes back: paid beyond what the operator keeps. Zero for a live one."""
        return max(-self.balance_cents, 0) if self.details.status == "cancelled" else 0


def clean_patron(first_name: str, last_name: str = "", email: str = "", phone: str = "") -> Patron:
    return Patron(
        first_name=clean_line(first_name, "patron.first_name", max_len=60),
        last_name=clean_line(last_name, "patron.last_name", max_len=60, required=False),
        email=clean_email(email, "patron.email"),
        phone=clean_phone(phone, "patron.phone"),
    )


def check_details(details: EventDetails, periods: Periods) -> EventDetails:
    """Validate what cannot be checked field by field; return the details with text cleaned."""
    periods.get(details.period)
    in_range(details.date, "date")
    if not 1 <= details.party_size <= MAX_PARTY:
        raise InvalidInput(f"party_size must be between 1 and {MAX_PARTY}", "party_size")
    if details.status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", "status")
    if details.amount_due_cents is not None and details.amount_due_cents <= 0:
        raise InvalidInput("amount_due must be more than zero, or null for no price", "amount_due")
    patron = details.patron
    return replace(
        details,
        patron=clean_patron(patron.first_name, patron.last_name, patron.email, patron.phone),
        title=clean_line(details.title, "title", max_len=120, required=False),
        notes=clean_text(details.notes, "notes", max_len=4000),
    )


def new_event(
    details: EventDetails, slug: str | None, periods: Periods, now: datetime, guest_nonce: str = "", key: str = ""
) -> Event:
    """A booked event. The slug is built from date, first name and period unless one is given."""
    details = check_details(details, periods)
    if slug is None:
        slug = slugs.build(details.date, details.patron.first_name, details.period, periods)
    else:
        _check_slug_matches(slugs.parse(slug, periods), details)
    return Event(slug=slug, details=details, created_at=now, updated_at=now, key=key, guest_nonce=guest_nonce)


def legacy_event(
    details: EventDetails, slug: str, periods: Periods, now: datetime, guest_nonce: str = "", key: str = ""
) -> Event:
    """An event imported from the old system, whose slug may not follow the pattern."""
    details = check_details(details, periods)
    safe = slugs.check_safe(slug)
    return Event(slug=safe, details=details, created_at=now, updated_at=now, key=key, guest_nonce=guest_nonce)


def revise(event: Event, details: EventDetails, expected_version: int, periods: Periods, now: datetime) -> Event:
    """The event with new details; raise StaleVersion if someone else saved it first."""
    if expected_version != event.version:
        raise StaleVersion(
            f"event {event.slug} was changed by someone else (version {event.version}, yours {expected_version}); "
            "reload it and apply your change again",
            "version",
        )
    details = check_details(details, periods)
    return replace(event, details=details, updated_at=now, version=event.version + 1)


def cancelled(event: Event, reason: str, keep_cents: int | None, periods: Periods, now: datetime) -> Event:
    """The event cancelled for `reason`, owing only what the operator keeps (`keep_cents`; None or 0: nothing).

    Raise Conflict if it is cancelled already, InvalidInput for no reason or a negative amount kept.
    """
    if event.details.status == "cancelled":
        raise errors.Conflict(f"event {event.slug} is cancelled already", "status")
    clean_line(reason, "reason", max_len=300)
    if keep_cents is not None and keep_cents < 0:
        raise InvalidInput("keep must not be negative", "keep")
    kept = keep_cents or None
    details = replace(event.details, status="cancelled", amount_due_cents=kept)
    return replace(event, details=check_details(details, periods), updated_at=now, version=event.version + 1)


def _check_slug_matches(parts: slugs.SlugParts, details: EventDetails) -> None:
    if parts.date != details.date:
        raise InvalidInput(f"slug date {parts.date} does not match the event date {details.date}", "slug")
    if parts.period != details.period:
        raise InvalidInput(f"slug period {parts.period!r} does not match the event period {details.period!r}", "slug")


@dataclass(frozen=True)
class EventChanges:
    """An edit: each field either a new value or KEEP."""

    date: date | Keep = KEEP
    period: str | Keep = KEEP
    first_name: str | Keep = KEEP
    last_name: str | Keep = KEEP
    email: str | Keep = KEEP
    phone: str | Keep = KEEP
    party_size: int | Keep = KEEP
    title: str | Keep = KEEP
    notes: str | Keep = KEEP
    amount_due_cents: int | Keep | None = KEEP
    status: str | Keep = KEEP
    reminders: bool | Keep = KEEP


def apply_changes(details: EventDetails, changes: EventChanges) -> EventDetails:
    """The details with the changed fields replaced (and the patron's cleaned again)."""
    patron = clean_patron(
        _pick(changes.first_name, details.patron.first_name),
        _pick(changes.last_name, details.patron.last_name),
        _pick(changes.email, details.patron.email),
        _pick(changes.phone, details.patron.phone),
    )
    return EventDetails(
        date=_pick(changes.date, details.date),
        period=_pick(changes.period, details.period),
        patron=patron,
        party_size=_pick(changes.party_size, details.party_size),
        title=_pick(changes.title, details.title),
        notes=_pick(changes.notes, details.notes),
        amount_due_cents=_pick(changes.amount_due_cents, details.amount_due_cents),
        status=_pick(changes.status, details.status),
        reminders=_pick(changes.reminders, details.reminders),
    )


def _pick(new: T | Keep, old: T) -> T:
    return old if isinstance(new, Keep) else new
