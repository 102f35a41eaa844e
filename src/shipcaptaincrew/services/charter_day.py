"""The charter day at the dock, from a day sheet: tick guests aboard, add a walk-up, depart, return.

Each is one transaction with its audit entry, taken by the person the day-sheet link opens, on a charter they are
captain or crew of. A tap repeated (a retry, a double tap, a second crew member's phone) changes nothing and
answers the same. The departure queues the manifest for the shore contact (SCC_SHORE_EMAIL), the return a word of
it, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from shipcaptaincrew.domain import boarding, dock_mail
from shipcaptaincrew.domain.boarding import AlreadyDeparted, Departure, Guest
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.errors import Conflict, InvalidInput, NotFound
from shipcaptaincrew.domain.mail import Email, OutboxMessage
from shipcaptaincrew.domain.roster import Person
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.day_sheets import counted_signatures, local_today, opened_person
from shipcaptaincrew.services.ids import new_id
from shipcaptaincrew.services.retries import retried


@dataclass(frozen=True)
class Tapped:
    guest: Guest
    changed: bool
    """False when the tap found things as it would leave them (a retry): nothing was written."""


@retried
def set_aboard(ctx: Context, person_id: str, secret: str, slug: str, guest_key: str, aboard: bool) -> Tapped:
    """Tick a guest of the list aboard (or back ashore), audited as `charter.checked_in` (`charter.check_in_undone`).

    Raise NotFound (a dead link, a charter not on the sheet, a guest not on its list), Conflict (not its day,
    cancelled, or departed already).
    """
    if not boarding.is_key(guest_key):
        raise InvalidInput("guest must be a guest of the check-in list", "guest")
    with ctx.store.writing() as uow:
        person, event = _own_charter(ctx, uow, person_id, secret, slug)
        guests = _roll(uow, event)
        guest = next((guest for guest in guests if guest.key == guest_key), None)
        if guest is None:
            raise NotFound("no such guest on this charter's list", "guest")
        return _tap(ctx, uow, person, event, guests, guest, aboard)


@retried
def add_walk_up(ctx: Context, person_id: str, secret: str, slug: str, name: str) -> Tapped:
    """Put a guest who is not on the list yet aboard by name (they sign on the crew's phone, through the party's
    link). A name already on the list (however it is cased or accented) is that guest, ticked aboard: adding twice
    adds once. Audited as `charter.walk_up_added`. Raise as set_aboard, InvalidInput for a bad name."""
    typed = boarding.walk_up_name(name)
    with ctx.store.writing() as uow:
        person, event = _own_charter(ctx, uow, person_id, secret, slug)
        guests = _roll(uow, event)
        known = next((guest for guest in guests if boarding.folded(guest.name) == boarding.folded(typed)), None)
        if known is not None:
            return _tap(ctx, uow, person, event, guests, known, True)
        walk_up = Guest(boarding.walk_up_key(typed), typed, signed=False, walk_up=True)
        uow.audit.append("charter.walk_up_added", person.name, ctx.clock.now(), _audit(person, event, walk_up))
        return _tap(ctx, uow, person, event, [*guests, walk_up], walk_up, True)


def depart(ctx: Context, person_id: str, secret: str, slug: str, override_reason: str = "") -> Departure:
    """Record the departure with the guests aboard, and queue the manifest for the shore contact; audited as
    `charter.departed`. Departed already: the departure as it was, nothing written.

    Raise NotFound, Conflict (not its day, cancelled), InvalidInput (nobody aboard), NeedsOverride (someone
    aboard has not signed, or the ship is over capacity, and no reason is given).
    """
    try:
        return _depart(ctx, person_id, secret, slug, override_reason)
    except AlreadyDeparted:  # another tap stored it a moment earlier: answer as a retry would
        with ctx.store.reading() as uow:
            _, event = _own_charter(ctx, uow, person_id, secret, slug, check_the_day=False)
            stored = uow.dock.departure(event.key)
        assert stored is not None
        return stored


@retried
def mark_returned(ctx: Context, person_id: str, secret: str, slug: str) -> Departure:
    """Record the return of a departed charter, and tell the shore contact; audited as `charter.returned`.
    Returned already: the departure as it was, nothing written. Raise NotFound, Conflict (not departed)."""
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        person, event = _own_charter(ctx, uow, person_id, secret, slug, check_the_day=False)
        departure = uow.dock.departure(event.key)
        if departure is None:
            raise Conflict(f"{event.slug} has not departed: depart before marking it returned", "slug")
        if departure.returned_at is not None:
            return departure
        back = boarding.returned(departure, person.name, now)
        uow.dock.add_return(event.key, back)
        uow.events.set_dock_state(event.slug, boarding.dock_state(back))
        uow.audit.append("charter.returned", person.name, now, {**_audit(person, event), "aboard": back.headcount})
        if ctx.shore_email:
            local = back.departed_at.astimezone(ctx.zone), now.astimezone(ctx.zone)
            notice = dock_mail.return_notice(event, back, ctx.shore_email, *local, ctx.operator)
            _queue(uow, notice, "returned", now)
    return back


@retried
def _depart(ctx: Context, person_id: str, secret: str, slug: str, override_reason: str) -> Departure:
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        person, event = _own_charter(ctx, uow, person_id, secret, slug, check_the_day=False)
        stored = uow.dock.departure(event.key)
        if stored is not None:
            return stored
        boarding.check_the_day(event, local_today(ctx))
        capacity = _capacity(uow, event)
        departure = boarding.depart(_roll(uow, event), capacity, override_reason, person.name, now)
        uow.dock.add_departure(event.key, departure)
        uow.events.set_dock_state(event.slug, boarding.dock_state(departure))
        data = {
            "aboard": departure.headcount,
            "override_reason": departure.override_reason,
            "not_signed": [guest.name for guest in departure.aboard if not guest.signed],
        }
        uow.audit.append("charter.departed", person.name, now, {**_audit(person, event), **data})
        if ctx.shore_email:
            manifest = dock_mail.departure_manifest(
                event, departure, ctx.shore_email, now.astimezone(ctx.zone), capacity, ctx.operator
            )
            _queue(uow, manifest, "manifest", now)
    return departure


def _tap(
    ctx: Context, uow: UnitOfWork, person: Person, event: Event, guests: list[Guest], guest: Guest, aboard: bool
) -> Tapped:
    now = ctx.clock.now()
    current = next((check for check in uow.dock.check_ins(event.key) if check.guest == guest.key), None)
    line = boarding.tapped(guest, aboard, current, person.name, now)
    if line is None:
        return Tapped(guest, changed=False)
    if uow.dock.departure(event.key) is not None:
        raise Conflict(f"{event.slug} has departed: the list aboard is the manifest now", "guest")
    uow.dock.put_check_in(event.key, line)
    uow.events.set_dock_state(event.slug, boarding.boarding_state(boarding.with_tap(guests, guest.key, aboard)))
    action = "charter.checked_in" if aboard else "charter.check_in_undone"
    uow.audit.append(action, person.name, now, _audit(person, event, guest))
    return Tapped(replace(guest, aboard=aboard), changed=True)


def _own_charter(
    ctx: Context, uow: UnitOfWork, person_id: str, secret: str, slug: str, check_the_day: bool = True
) -> tuple[Person, Event]:
    """The person the link opens and one of their charters (by slug or old slug); NotFound for a charter they are
    not on, with the same words as for one that does not exist."""
    person = opened_person(ctx, uow, person_id, secret)
    event = uow.events.get(slug)
    if event is None or person.id not in {ref.id for ref in event.assignment.people()}:
        raise NotFound("no such charter on this day sheet", "slug")
    if check_the_day:
        boarding.check_the_day(event, local_today(ctx))
    return person, event


def _roll(uow: UnitOfWork, event: Event) -> list[Guest]:
    return boarding.roll(counted_signatures(uow, event), uow.dock.check_ins(event.key))


def _capacity(uow: UnitOfWork, event: Event) -> int | None:
    ship = uow.roster.ship(event.assignment.ship.id) if event.assignment.ship else None
    return ship.capacity if ship else None


def _audit(person: Person, event: Event, guest: Guest | None = None) -> dict[str, object]:
    data: dict[str, object] = {"slug": event.slug, "person": person.id}
    return {**data, "guest": guest.name} if guest is not None else data


def _queue(uow: UnitOfWork, email: Email, kind: str, now: datetime) -> None:
    message_id = new_id("msg", now)
    uow.outbox.add(OutboxMessage(message_id, f"<{message_id}@shipcaptaincrew>", email, now, kind=kind))
