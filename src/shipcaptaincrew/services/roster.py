"""Roster use cases: ships and people, assigning them to events, and a person's schedule."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from shipcaptaincrew.domain import mail, roster
from shipcaptaincrew.domain.bookings import KEEP, Event, Keep
from shipcaptaincrew.domain.errors import Conflict as ConflictError
from shipcaptaincrew.domain.errors import InvalidInput, NotFound
from shipcaptaincrew.domain.mail import OutboxMessage
from shipcaptaincrew.domain.roster import Person, Ship
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services import conflicts
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.ids import new_id
from shipcaptaincrew.services.lookup import existing_event
from shipcaptaincrew.services.retries import retried

SCHEDULE_DAYS = 90
T = TypeVar("T")
FEED_PAST_DAYS = 30


@dataclass(frozen=True)
class PersonChanges:
    name: str | Keep = KEEP
    role: str | Keep = KEEP
    email: str | Keep = KEEP
    phone: str | Keep = KEEP
    licence_expires: date | Keep | None = KEEP
    medical_expires: date | Keep | None = KEEP


@dataclass(frozen=True)
class Schedule:
    person: Person
    events: list[Event]


@retried
def add_ship(ctx: Context, name: str, capacity: int, actor: str) -> Ship:
    """Put a ship on the roster. Raise InvalidInput for a bad field, Conflict for a name in use."""
    now = ctx.clock.now()
    ship = roster.check_ship(Ship(new_id("shp", now), name, capacity))
    with ctx.store.writing() as uow:
        uow.roster.add_ship(ship, now)
        uow.audit.append("roster.ship_added", actor, now, {"id": ship.id, "name": ship.name})
    return ship


@retried
def update_ship(ctx: Context, ship_id: str, name: str | None, capacity: int | None, actor: str) -> Ship:
    """Rename a ship or change its capacity, finding again the conflicts of its upcoming events.

    Raise NotFound, InvalidInput, Conflict for a name in use.
    """
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        current = _ship(uow, ship_id, "id")
        ship = roster.check_ship(
            Ship(ship_id, current.name if name is None else name, current.capacity if capacity is None else capacity)
        )
        uow.roster.save_ship(ship)
        conflicts.refresh_days(ctx, uow, conflicts.upcoming_days_with(ctx, uow, now.date(), ship_id))
        uow.audit.append("roster.ship_updated", actor, now, {"id": ship.id, "name": ship.name})
    return ship


def list_ships(ctx: Context) -> list[Ship]:
    with ctx.store.reading() as uow:
        return uow.roster.ships()


@retried
def add_person(ctx: Context, person: Person, actor: str) -> Person:
    """Put a captain or crew member on the roster, with a fresh calendar token and day-sheet link.

    Raise InvalidInput.
    """
    now = ctx.clock.now()
    fresh = replace(
        person, id=new_id("per", now), calendar_token=secrets.token_urlsafe(24), day_sheet_nonce=secrets.token_hex(16)
    )
    person = roster.check_person(fresh)
    with ctx.store.writing() as uow:
        uow.roster.add_person(person, now)
        uow.audit.append("roster.person_added", actor, now, {"id": person.id, "name": person.name})
    return person


@retried
def update_person(ctx: Context, person_id: str, changes: PersonChanges, actor: str) -> Person:
    """Change a person's details (the calendar token stays), finding again the conflicts of their upcoming events.

    Raise NotFound, InvalidInput.
    """
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        current = _person(uow, person_id, "id")
        fields = {name: value for name, value in vars(changes).items() if not isinstance(value, Keep)}
        person = roster.check_person(replace(current, **fields))
        uow.roster.save_person(person)
        conflicts.refresh_days(ctx, uow, conflicts.upcoming_days_with(ctx, uow, now.date(), person_id))
        uow.audit.append("roster.person_updated", actor, now, {"id": person.id, "fields": sorted(fields)})
    return person


@retried
def rotate_calendar(ctx: Context, person_id: str, actor: str) -> Person:
    """Give the person a new calendar link; the old one answers 404 from now on. Raise NotFound."""
    now, token = ctx.clock.now(), secrets.token_urlsafe(24)
    with ctx.store.writing() as uow:
        person = _person(uow, person_id, "id")
        uow.roster.replace_calendar_token(person.id, person.calendar_token, token)
        uow.audit.append("person.calendar_rotated", actor, now, {"id": person.id})
    return replace(person, calendar_token=token)


@retried
def retire_ship(ctx: Context, ship_id: str, actor: str) -> Ship:
    """Take a ship off the roster's lists; past charters keep its name. Retiring twice changes nothing.

    Raise NotFound, or Conflict naming the upcoming charters it is assigned to (reassign them first).
    """
    with ctx.store.writing() as uow:
        ship = _ship(uow, ship_id, "id")
        _retire(ctx, uow, ship, "ship", actor)
    return replace(ship, retired=True)


@retried
def retire_person(ctx: Context, person_id: str, actor: str) -> Person:
    """Take a captain or crew member off the roster's lists, with retire_ship's rule."""
    with ctx.store.writing() as uow:
        person = _person(uow, person_id, "id")
        _retire(ctx, uow, person, "person", actor)
    return replace(person, retired=True)


def _retire(ctx: Context, uow: UnitOfWork, entry: Ship | Person, kind: str, actor: str) -> None:
    now = ctx.clock.now()
    upcoming = conflicts.upcoming_with(ctx, uow, now.date(), entry.id)
    if upcoming:
        slugs = ", ".join(event.slug for event in upcoming)
        raise ConflictError(f"{entry.name} is assigned to upcoming charters: {slugs}; reassign them first", "id")
    if not entry.retired:
        (uow.roster.retire_ship if kind == "ship" else uow.roster.retire_person)(entry.id, now)
        uow.audit.append(f"roster.{kind}_retired", actor, now, {"id": entry.id, "name": entry.name})


def list_people(ctx: Context) -> list[Person]:
    with ctx.store.reading() as uow:
        return uow.roster.people()


@retried
def assign_crew(
    ctx: Context,
    slug: str,
    ship_id: str | None,
    captain_id: str | None,
    crew_ids: list[str],
    override_reason: str,
    actor: str,
) -> Event:
    """Assign ship, captain and crew to an event, in one transaction with its audit entry and emails.

    Conflicts (double booking by period windows, capacity, expired credentials) raise AssignmentConflicts
    unless `override_reason` is given; then they are saved with the reason and stay visible. The day's
    conflicts are found again, so events that now clash with this one get the conflict too. Raise NotFound
    for an unknown event or roster id, InvalidInput for a bad combination. Newly assigned people with an
    email get the assignment by email.
    """
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        event = existing_event(uow, slug)
        ship = _known(uow.roster.ship(ship_id), ship_id, "ship") if ship_id else None
        captain = _known(uow.roster.person(captain_id), captain_id, "captain") if captain_id else None
        crew = [_known(uow.roster.person(person_id), person_id, "crew") for person_id in crew_ids]
        day = uow.events.on_date(event.details.date)
        assignment = roster.assignment(event, ship, captain, crew, day, ctx.periods, override_reason)
        uow.events.set_assignment(event.slug, assignment, now)
        assigned = replace(event, assignment=assignment, updated_at=now)
        conflicts.refresh_days(ctx, uow, [event.details.date])
        uow.audit.append("event.assigned", actor, now, _audit_data(assigned))
        before = {ref.id for ref in event.assignment.people()}
        _queue_emails(ctx, uow, assigned, [p for p in ([captain] if captain else []) + crew if p.id not in before])
    return assigned


def schedule(ctx: Context, person_id: str, days: int = SCHEDULE_DAYS) -> Schedule:
    """The person's events from today for `days` days. Raise NotFound."""
    today = ctx.clock.now().date()
    with ctx.store.reading() as uow:
        person = _person(uow, person_id, "id")
        return Schedule(person, uow.events.for_person(person.id, today, today + timedelta(days=days)))


def calendar_feed(ctx: Context, token: str) -> Schedule:
    """What a calendar feed shows: the last month and the next year. Raise NotFound for an unknown token, a
    rotated one, or a retired person's."""
    today = ctx.clock.now().date()
    with ctx.store.reading() as uow:
        person = uow.roster.person_by_token(token) if token else None
        if person is None or person.retired:
            raise NotFound("no calendar at this address")
        start, end = today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=366)
        return Schedule(person, uow.events.for_person(person.id, start, end))


def _queue_emails(ctx: Context, uow: UnitOfWork, event: Event, people: list[Person]) -> None:
    now = ctx.clock.now()
    period = ctx.periods.get(event.details.period)
    window = f"{period.starts:%H:%M}-{period.ends:%H:%M}"
    for person in people:
        if not person.email:
            continue
        message_id = new_id("msg", now)
        feed = f"{ctx.public_url}/cal/{person.calendar_token}.ics" if person.calendar_token else ""
        email = mail.crew_assignment(event, person.name, person.email, person.role, window, feed)
        uow.outbox.add(OutboxMessage(message_id, f"<{message_id}@shipcaptaincrew>", email, now, kind="assignment"))


def _audit_data(event: Event) -> dict[str, object]:
    a = event.assignment
    return {
        "slug": event.slug,
        "ship": a.ship.id if a.ship else None,
        "captain": a.captain.id if a.captain else None,
        "crew": [ref.id for ref in a.crew],
        "conflicts": [{"kind": c.kind, "message": c.message} for c in a.conflicts],
        "override_reason": a.override_reason,
    }


def _known(entry: T | None, key: str, field: str) -> T:
    """A roster entry named in a request body: an unknown or retired id is a bad field (400), not a missing page."""
    if isinstance(entry, Ship | Person) and entry.retired:
        raise InvalidInput(f"{field}: {entry.name} is retired from the roster", field)
    if entry is None:
        raise InvalidInput(
            f"{field}: no {field if field != 'crew' else 'crew member'} with id {key!r} on the roster", field
        )
    return entry


def _ship(uow: UnitOfWork, ship_id: str, field: str) -> Ship:
    ship = uow.roster.ship(ship_id)
    if ship is None:
        raise NotFound(f"no ship with id {ship_id!r} on the roster", field)
    return ship


def _person(uow: UnitOfWork, person_id: str, field: str) -> Person:
    person = uow.roster.person(person_id)
    if person is None:
        raise NotFound(f"no person with id {person_id!r} on the roster", field)
    return person
