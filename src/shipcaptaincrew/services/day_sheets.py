"""Day sheets: a captain's or crew member's charters for today and the next days, at their private link."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from shipcaptaincrew.domain import boarding, day_sheets, waivers
from shipcaptaincrew.domain.boarding import Departure, Guest
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.errors import NotFound
from shipcaptaincrew.domain.roster import Person
from shipcaptaincrew.domain.waivers import Signature
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services import guest_links
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.retries import retried

DAYS = 7
"""Today and the six days after it."""
NO_SUCH_SHEET = "this link does not lead to a day sheet"


@dataclass(frozen=True)
class SheetCharter:
    """One charter as the day sheet shows it."""

    event: Event
    role: str
    """The sheet's person on this charter: `captain` or `crew`."""
    guests: list[Guest]
    """The check-in list: each guest whose signature counts (voided and superseded ones left out), the walk-ups,
    and anyone aboard whose signature no longer counts (`boarding.roll`)."""
    capacity: int | None
    """The assigned ship's passenger capacity; None with no ship yet."""
    party_path: str
    """The party's guest link, for a walk-up guest to sign on the crew's phone."""
    departure: Departure | None = None

    @property
    def signed(self) -> int:
        return sum(1 for guest in self.guests if guest.signed)

    @property
    def unsigned(self) -> int:
        """How many of the party have not signed yet (never below zero)."""
        return max(self.event.details.party_size - self.signed, 0)

    @property
    def aboard(self) -> int:
        return sum(1 for guest in self.guests if guest.aboard)


@dataclass(frozen=True)
class DaySheet:
    person: Person
    today: date
    """Today in the operator's time zone (SCC_TIMEZONE)."""
    charters: list[SheetCharter]
    as_of: datetime
    """When this copy was read: the page shows it, so an offline copy says how old it is."""


def new_nonce() -> str:
    return secrets.token_hex(16)


def sheet_path(ctx: Context, person: Person) -> str:
    """`/day/<person id>/<secret>`: the person's day sheet."""
    return day_sheets.path(person.id, day_sheets.secret(ctx.keys.day_sheet, person.id, person.day_sheet_nonce))


def local_today(ctx: Context) -> date:
    return ctx.clock.now().astimezone(ctx.zone).date()


def opened_person(ctx: Context, uow: UnitOfWork, person_id: str, secret: str) -> Person:
    """The person a day-sheet link leads to. Raise NotFound, with the same words, for an unknown person, a wrong or
    rotated secret and a retired person: the link is the only credential and must not tell a guesser anything."""
    person = uow.roster.person(person_id) if len(person_id) <= 64 else None
    nonce = person.day_sheet_nonce if person is not None else "-" * 32  # the same work whether or not they exist
    if not day_sheets.opens(ctx.keys.day_sheet, person_id, nonce, secret) or person is None or person.retired:
        raise NotFound(NO_SUCH_SHEET, "link")
    return person


def day_sheet(ctx: Context, person_id: str, secret: str, days: int = DAYS) -> DaySheet:
    """The person's charters from today for `days` days, each with its check-in list, and yesterday's that departed
    and are not marked returned yet (a late return is still recorded from the sheet). Raise NotFound."""
    now, today = ctx.clock.now(), local_today(ctx)
    with ctx.store.reading() as uow:
        person = opened_person(ctx, uow, person_id, secret)
        events = uow.events.for_person(person.id, today - timedelta(days=1), today + timedelta(days=days - 1))
        charters = [
            _charter(ctx, uow, person, event)
            for event in events
            if event.details.date >= today or event.dock.status == boarding.DEPARTED
        ]
    return DaySheet(person, today, charters, now)


@retried
def rotate_day_sheet(ctx: Context, person_id: str, actor: str) -> Person:
    """Give the person a new day-sheet link; the old one answers 404 from now on (audited). Raise NotFound."""
    now, nonce = ctx.clock.now(), new_nonce()
    with ctx.store.writing() as uow:
        person = uow.roster.person(person_id)
        if person is None:
            raise NotFound(f"no person with id {person_id!r} on the roster", "id")
        uow.roster.replace_day_sheet_nonce(person.id, nonce)
        uow.audit.append("person.day_sheet_rotated", actor, now, {"id": person.id})
    return replace(person, day_sheet_nonce=nonce)


def _charter(ctx: Context, uow: UnitOfWork, person: Person, event: Event) -> SheetCharter:
    captain = event.assignment.captain
    role = "captain" if captain is not None and captain.id == person.id else "crew"
    ship = uow.roster.ship(event.assignment.ship.id) if event.assignment.ship else None
    guests = boarding.roll(counted_signatures(uow, event), uow.dock.check_ins(event.key))
    return SheetCharter(
        event,
        role,
        guests,
        ship.capacity if ship else None,
        guest_links.party_path(ctx, event),
        uow.dock.departure(event.key),
    )


def counted_signatures(uow: UnitOfWork, event: Event) -> list[Signature]:
    voided = {void.signature_id for void in uow.waivers.voids_for_event(event.slug)}
    return waivers.counted(uow.waivers.for_event(event.slug), voided)
