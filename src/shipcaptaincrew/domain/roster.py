"""Ships, captains and crew, and the rules that check an event's assignment: overlaps, capacity, credentials.

A conflict is a warning, never a refusal: it can be accepted with a reason, which stays on the event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from shipcaptaincrew.domain.bookings import Assignment, Conflict, Event, Ref
from shipcaptaincrew.domain.days import optional_in_range
from shipcaptaincrew.domain.errors import Conflict as ConflictError
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.periods import Periods
from shipcaptaincrew.domain.text import clean_email, clean_line, clean_phone

ROLES = ("captain", "crew")
MAX_CAPACITY = 500
MAX_CREW = 20
SHIP_DOUBLE_BOOKED = "ship_double_booked"
PERSON_DOUBLE_BOOKED = "person_double_booked"
OVER_CAPACITY = "over_capacity"
LICENCE_EXPIRED = "licence_expired"
MEDICAL_EXPIRED = "medical_expired"
CONFLICT_KINDS = (SHIP_DOUBLE_BOOKED, PERSON_DOUBLE_BOOKED, OVER_CAPACITY, LICENCE_EXPIRED, MEDICAL_EXPIRED)


@dataclass(frozen=True)
class Ship:
    id: str
    name: str
    capacity: int
    retired: bool = False
    """Off the roster's lists and not assignable; kept so past charters keep its name."""

    def ref(self) -> Ref:
        return Ref(self.id, self.name)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    email: str = ""
    phone: str = ""
    licence_expires: date | None = None
    medical_expires: date | None = None
    calendar_token: str = ""
    """The secret in the person's calendar feed address, `/cal/<token>.ics`."""
    retired: bool = False
    day_sheet_nonce: str = ""
    """Random; the secret of the person's day-sheet link is made from it (`day_sheets.secret`), a new one kills it."""

    def ref(self) -> Ref:
        return Ref(self.id, self.name)


class AssignmentConflicts(ConflictError):
    """The assignment has conflicts and no override reason was given; nothing was saved."""

    code = "assignment_conflicts"

    def __init__(self, conflicts: tuple[Conflict, ...]) -> None:
        summary = "; ".join(conflict.message for conflict in conflicts)
        super().__init__(
            f"the assignment has conflicts: {summary}. Give an override_reason to save it anyway", "override_reason"
        )
        self.conflicts = conflicts


def check_ship(ship: Ship) -> Ship:
    if not 1 <= ship.capacity <= MAX_CAPACITY:
        raise InvalidInput(f"capacity must be between 1 and {MAX_CAPACITY} passengers", "capacity")
    return Ship(ship.id, clean_line(ship.name, "name", max_len=60), ship.capacity, ship.retired)


def check_person(person: Person) -> Person:
    if person.role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}; got {person.role!r}", "role")
    optional_in_range(person.licence_expires, "licence_expires")
    optional_in_range(person.medical_expires, "medical_expires")
    return Person(
        id=person.id,
        name=clean_line(person.name, "name", max_len=60),
        role=person.role,
        email=clean_email(person.email, "email"),
        phone=clean_phone(person.phone, "phone"),
        licence_expires=person.licence_expires,
        medical_expires=person.medical_expires,
        calendar_token=person.calendar_token,
        retired=person.retired,
        day_sheet_nonce=person.day_sheet_nonce,
    )


def overlaps(a: Event, b: Event, periods: Periods) -> bool:
    """Two events overlap when both are live (not cancelled), on one date, and their periods' windows overlap."""
    if a.details.date != b.details.date or "cancelled" in (a.details.status, b.details.status):
        return False
    return periods.get(a.details.period).overlaps(periods.get(b.details.period))


def conflicts(
    event: Event, ship: Ship | None, people: Iterable[Person], others: Iterable[Event], periods: Periods
) -> tuple[Conflict, ...]:
    """Every conflict of `event` assigned `ship` and `people`, against the `others` already assigned."""
    people = tuple(people)
    found: list[Conflict] = []
    if ship is not None and event.details.party_size > ship.capacity:
        found.append(
            Conflict(
                OVER_CAPACITY,
                f"a party of {event.details.party_size} is over {ship.name}'s capacity of {ship.capacity}",
            )
        )
    found.extend(conflict for person in people for conflict in _expired(person, event.details.date))
    for other in others:
        if other.slug == event.slug or not overlaps(event, other, periods):
            continue
        found.extend(_clashes(ship, people, other))
    return tuple(found)


def assignment(
    event: Event,
    ship: Ship | None,
    captain: Person | None,
    crew: Iterable[Person],
    others: Iterable[Event],
    periods: Periods,
    override_reason: str = "",
) -> Assignment:
    """The assignment to save, with its conflicts; raise AssignmentConflicts if there are some and no reason.

    Raise InvalidInput for a captain who is crew, a person named twice, or too many crew.
    """
    crew = tuple(crew)
    people = check_people(captain, crew)
    reason = clean_line(override_reason, "override_reason", max_len=500, required=False)
    found = conflicts(event, ship, people, others, periods)
    if found and not reason:
        raise AssignmentConflicts(found)
    refs = tuple(person.ref() for person in crew)
    accepted = tuple(replace(conflict, overridden=True) for conflict in found)
    return Assignment(
        ship.ref() if ship else None, captain.ref() if captain else None, refs, accepted, reason if found else ""
    )


def recheck(
    event: Event, ship: Ship | None, people: Iterable[Person], day: Iterable[Event], periods: Periods
) -> Assignment:
    """The event's assignment with its conflicts found again against `day`, after something they depend on changed.

    A cancelled event has none. A conflict the override was given for (the same kind and wording) stays
    overridden; any other is new and shown as not overridden. The reason stays while any conflict remains.
    """
    current = event.assignment
    if event.details.status == "cancelled":
        return replace(current, conflicts=(), override_reason="")
    accepted = {(c.kind, c.message) for c in current.conflicts if c.overridden}
    found = tuple(
        replace(c, overridden=(c.kind, c.message) in accepted) for c in conflicts(event, ship, people, day, periods)
    )
    return replace(current, conflicts=found, override_reason=current.override_reason if found else "")


def check_people(captain: Person | None, crew: tuple[Person, ...]) -> tuple[Person, ...]:
    """The captain first, then the crew; refuse a crew member named twice or as the captain too."""
    if captain is not None and captain.role != "captain":
        raise InvalidInput(f"{captain.name} is {captain.role}, not a captain", "captain")
    if len(crew) > MAX_CREW:
        raise InvalidInput(f"at most {MAX_CREW} crew", "crew")
    people = ((captain,) if captain else ()) + crew
    ids = [person.id for person in people]
    if len(set(ids)) != len(ids):
        raise InvalidInput("a person can hold only one place on an event", "crew")
    return people


def _expired(person: Person, day: date) -> list[Conflict]:
    found = []
    if person.licence_expires is not None and person.licence_expires < day:
        found.append(Conflict(LICENCE_EXPIRED, f"{person.name}'s licence expired on {person.licence_expires}"))
    if person.medical_expires is not None and person.medical_expires < day:
        found.append(Conflict(MEDICAL_EXPIRED, f"{person.name}'s medical expired on {person.medical_expires}"))
    return found


def _clashes(ship: Ship | None, people: tuple[Person, ...], other: Event) -> list[Conflict]:
    found = []
    when = f"{other.details.date} {other.details.period}"
    if ship is not None and other.assignment.ship and other.assignment.ship.id == ship.id:
        found.append(Conflict(SHIP_DOUBLE_BOOKED, f"{ship.name} is also on {other.slug} ({when})", other.slug))
    taken = {ref.id for ref in other.assignment.people()}
    for person in people:
        if person.id in taken:
            message = f"{person.name} is also on {other.slug} ({when})"
            found.append(Conflict(PERSON_DOUBLE_BOOKED, message, other.slug))
    return found
