"""Keeping stored conflicts true: find them again whenever something they depend on changes.

Conflicts are stored on each event so the board's list needs no roster rules. Anything that can change
them (a date, period, party size or status; a ship's capacity; a person's credentials) calls these in its
own write transaction, so no reader ever sees an event with stale or missing conflicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from shipcaptaincrew.domain import roster
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.roster import Person, Ship
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services.context import Context

_PAGE = 500
T = TypeVar("T")


def refresh_days(ctx: Context, uow: UnitOfWork, days: Iterable[date]) -> None:
    """Find again the conflicts of every assigned event on these days, keeping what was overridden."""
    ships: dict[str, Ship | None] = {}
    people: dict[str, Person | None] = {}
    for day in sorted(set(days)):
        events = uow.events.on_date(day)
        for event in events:
            a = event.assignment
            if a.ship is None and not a.people() and not a.conflicts:
                continue
            ship = _cached(ships, a.ship.id, uow.roster.ship) if a.ship else None
            crew = [p for ref in a.people() if (p := _cached(people, ref.id, uow.roster.person))]
            rechecked = roster.recheck(event, ship, crew, events, ctx.periods)
            if rechecked != a:
                uow.events.set_assignment(event.slug, rechecked, event.updated_at)


def upcoming_days_with(ctx: Context, uow: UnitOfWork, today: date, roster_id: str) -> set[date]:
    """The days from today on with a live event that the ship or person `roster_id` is assigned to.

    Past charters keep the conflicts they had: renewing a licence today does not change that it had lapsed then.
    """
    return {event.details.date for event in upcoming_with(ctx, uow, today, roster_id)}


def upcoming_with(ctx: Context, uow: UnitOfWork, today: date, roster_id: str) -> list[Event]:
    """The live (not cancelled) events from today on that the ship or person `roster_id` is assigned to."""
    found: list[Event] = []
    after: tuple[str, str, str] | None = None
    while page := uow.events.list_window(today, date.max, after, _PAGE):
        found.extend(e for e in page if e.details.status != "cancelled" and _assigned(e, roster_id))
        last = page[-1]
        after = (
            last.details.date.isoformat(),
            ctx.periods.get(last.details.period).starts.strftime("%H:%M"),
            last.slug,
        )
    return found


def _cached(found: dict[str, T | None], key: str, read: Callable[[str], T | None]) -> T | None:
    """A roster entry by id, retired ones too (past charters keep them), read once per refresh."""
    if key not in found:
        found[key] = read(key)
    return found[key]


def _assigned(event: Event, roster_id: str) -> bool:
    a = event.assignment
    return (a.ship is not None and a.ship.id == roster_id) or any(ref.id == roster_id for ref in a.people())
