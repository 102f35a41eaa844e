"""Events in SQLite: rows to domain records and back, in one place."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, datetime

from shipcaptaincrew.domain import search
from shipcaptaincrew.domain.bookings import (
    Assignment,
    Conflict,
    DockState,
    Event,
    EventDetails,
    Patron,
    PaymentState,
    Ref,
)
from shipcaptaincrew.domain.errors import AlreadyUsed, SlugTaken, StaleVersion
from shipcaptaincrew.domain.periods import Periods

_COLUMNS = (
    "slug, date, period, period_starts, patron_first_name, patron_last_name, patron_email, patron_phone, "
    "party_size, title, notes, amount_due_cents, status, ship_id, captain_id, crew_ids, conflicts, override_reason, "
    "paid_cents, payment_cleared_at, waivers_signed, created_at, updated_at, version, guest_nonce, key, reminders, "
    "dock_status, aboard, departed_at, returned_at"
)
_PLACEHOLDERS = ", ".join("?" * len(_COLUMNS.split(", ")))
_SELECT = f"SELECT {_COLUMNS} FROM events"


class SqliteEventRepository:
    def __init__(self, connection: sqlite3.Connection, periods: Periods) -> None:
        self._connection = connection
        self._periods = periods

    def add(self, event: Event) -> None:
        self._refuse_alias(event.slug)
        try:
            self._connection.execute(f"INSERT INTO events ({_COLUMNS}) VALUES ({_PLACEHOLDERS})", self._row(event))
        except sqlite3.IntegrityError as error:
            if "events.slug" in str(error):
                raise _taken(event.slug) from None
            raise

    def get(self, slug: str) -> Event | None:
        row = self._connection.execute(f"{_SELECT} WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            row = self._connection.execute(
                f"{_SELECT} WHERE id = (SELECT event_id FROM slug_aliases WHERE alias = ?)", (slug,)
            ).fetchone()
        return None if row is None else _event(row, self._names())

    def save(self, event: Event, expected_version: int) -> None:
        assignments = ", ".join(f"{column} = ?" for column in _COLUMNS.split(", ")[1:])
        changed = self._connection.execute(
            f"UPDATE events SET {assignments} WHERE slug = ? AND version = ?",
            (*self._row(event)[1:], event.slug, expected_version),
        ).rowcount
        if changed != 1:
            raise StaleVersion(f"event {event.slug} was changed by someone else; reload it and try again", "version")

    def rename(self, old: str, new: str) -> None:
        # Taking back one of its own old slugs (a charter moved and moved back) is allowed: that alias goes.
        self._connection.execute(
            "DELETE FROM slug_aliases WHERE alias = ? AND event_id = (SELECT id FROM events WHERE slug = ?)", (new, old)
        )
        self._refuse_alias(new)
        try:
            self._connection.execute("UPDATE events SET slug = ? WHERE slug = ?", (new, old))
        except sqlite3.IntegrityError:
            raise _taken(new) from None
        self._connection.execute(
            "INSERT INTO slug_aliases (alias, event_id) SELECT ?, id FROM events WHERE slug = ?", (old, new)
        )

    def aliases(self, slug: str) -> list[str]:
        rows = self._connection.execute(
            "SELECT alias FROM slug_aliases JOIN events ON events.id = event_id WHERE slug = ? ORDER BY alias", (slug,)
        )
        return [str(row[0]) for row in rows]

    def list_window(self, start: date, end: date, after: tuple[str, str, str] | None, limit: int) -> list[Event]:
        if after is None:
            rows = self._connection.execute(
                f"{_SELECT} WHERE date BETWEEN ? AND ? ORDER BY date, period_starts, slug LIMIT ?",
                (start.isoformat(), end.isoformat(), limit),
            )
        else:
            rows = self._connection.execute(
                f"{_SELECT} WHERE date BETWEEN ? AND ? AND (date, period_starts, slug) > (?, ?, ?) "
                "ORDER BY date, period_starts, slug LIMIT ?",
                (start.isoformat(), end.isoformat(), *after, limit),
            )
        names = self._names()
        return [_event(row, names) for row in rows]

    def search(self, words: Sequence[str], limit: int) -> list[Event]:
        # Matched in Python (SQLite's lower() and LIKE fold ASCII only): a few thousand short rows, one pass.
        rows = self._connection.execute(
            "SELECT id, slug, patron_first_name, patron_last_name, patron_email, patron_phone FROM events "
            "ORDER BY date, period_starts, slug"
        )
        ids = [row[0] for row in rows if search.matches(words, *row[1:])][:limit]
        if not ids:
            return []
        found = self._connection.execute(
            f"{_SELECT} WHERE id IN ({', '.join('?' * len(ids))}) ORDER BY date, period_starts, slug", ids
        )
        names = self._names()
        return [_event(row, names) for row in found]

    def on_date(self, day: date) -> list[Event]:
        rows = self._connection.execute(f"{_SELECT} WHERE date = ? ORDER BY period_starts, slug", (day.isoformat(),))
        names = self._names()
        return [_event(row, names) for row in rows]

    def for_person(self, person_id: str, start: date, end: date) -> list[Event]:
        rows = self._connection.execute(
            f"{_SELECT} WHERE date BETWEEN ? AND ? AND (captain_id = ? OR EXISTS "
            "(SELECT 1 FROM json_each(events.crew_ids) WHERE value = ?)) ORDER BY date, period_starts, slug",
            (start.isoformat(), end.isoformat(), person_id, person_id),
        )
        names = self._names()
        return [_event(row, names) for row in rows]

    def set_assignment(self, slug: str, assignment: Assignment, now: datetime) -> None:
        self._connection.execute(
            "UPDATE events SET ship_id = ?, captain_id = ?, crew_ids = ?, conflicts = ?, override_reason = ?, "
            "updated_at = ? WHERE slug = ?",
            (*_assignment_row(assignment), now.isoformat(), slug),
        )

    def all_slugs(self) -> Iterator[str]:
        for row in self._connection.execute("SELECT slug FROM events ORDER BY date, period_starts, slug"):
            yield str(row[0])

    def count(self) -> int:
        return int(self._connection.execute("SELECT count(*) FROM events").fetchone()[0])

    def set_waivers_signed(self, slug: str, count: int) -> None:
        self._connection.execute("UPDATE events SET waivers_signed = ? WHERE slug = ?", (count, slug))

    def reminded(self, slug: str, days_before: int) -> bool:
        row = self._connection.execute(
            "SELECT 1 FROM reminders_sent JOIN events ON events.id = event_id WHERE slug = ? AND days_before = ?",
            (slug, days_before),
        ).fetchone()
        return row is not None

    def mark_reminded(self, slug: str, days_before: int, at: datetime) -> None:
        try:
            self._connection.execute(
                "INSERT INTO reminders_sent (event_id, days_before, sent_at) "
                "SELECT id, ?, ? FROM events WHERE slug = ?",
                (days_before, at.isoformat(), slug),
            )
        except sqlite3.IntegrityError:
            raise AlreadyUsed(f"the {days_before}-day reminder of {slug} went out already", "days_before") from None

    def set_guest_nonce(self, slug: str, nonce: str) -> None:
        self._connection.execute("UPDATE events SET guest_nonce = ? WHERE slug = ?", (nonce, slug))

    def set_payment_state(self, slug: str, state: PaymentState) -> None:
        cleared_at = state.cleared_at.isoformat() if state.cleared_at else None
        self._connection.execute(
            "UPDATE events SET paid_cents = ?, payment_cleared_at = ? WHERE slug = ?",
            (state.paid_cents, cleared_at, slug),
        )

    def move_payment_state(self, event: Event, state: PaymentState) -> None:
        self.set_payment_state(event.slug, state)  # the write lock is held since the event was read

    def set_dock_state(self, slug: str, state: DockState) -> None:
        self._connection.execute(
            "UPDATE events SET dock_status = ?, aboard = ?, departed_at = ?, returned_at = ? WHERE slug = ?",
            (*_dock_row(state), slug),
        )

    def _refuse_alias(self, slug: str) -> None:
        row = self._connection.execute(
            "SELECT events.slug FROM slug_aliases JOIN events ON events.id = event_id WHERE alias = ?", (slug,)
        ).fetchone()
        if row is not None:
            raise SlugTaken(f"slug {slug!r} is an old name of event {row[0]!r} and still leads there", "slug")

    def _names(self) -> dict[str, str]:
        """Names of every ship and person by id: the roster is a handful of rows, read once per query."""
        rows = self._connection.execute("SELECT id, name FROM ships UNION ALL SELECT id, name FROM people")
        return {str(row[0]): str(row[1]) for row in rows}

    def _row(self, event: Event) -> tuple[object, ...]:
        details, patron = event.details, event.details.patron
        starts = self._periods.get(details.period).starts.strftime("%H:%M")
        cleared_at = event.payment.cleared_at.isoformat() if event.payment.cleared_at else None
        return (
            event.slug,
            details.date.isoformat(),
            details.period,
            starts,
            patron.first_name,
            patron.last_name,
            patron.email,
            patron.phone,
            details.party_size,
            details.title,
            details.notes,
            details.amount_due_cents,
            details.status,
            *_assignment_row(event.assignment),
            event.payment.paid_cents,
            cleared_at,
            event.waivers_signed,
            event.created_at.isoformat(),
            event.updated_at.isoformat(),
            event.version,
            event.guest_nonce,
            event.key or uuid.uuid4().hex,
            int(details.reminders),
            *_dock_row(event.dock),
        )


def _dock_row(state: DockState) -> tuple[object, ...]:
    return (
        state.status,
        state.aboard,
        state.departed_at.isoformat() if state.departed_at else None,
        state.returned_at.isoformat() if state.returned_at else None,
    )


def _dock(row: sqlite3.Row) -> DockState:
    departed, returned = row["departed_at"], row["returned_at"]
    return DockState(
        row["dock_status"],
        row["aboard"],
        datetime.fromisoformat(departed) if departed else None,
        datetime.fromisoformat(returned) if returned else None,
    )


def _assignment_row(assignment: Assignment) -> tuple[object, ...]:
    conflicts = [
        {"kind": c.kind, "message": c.message, "other": c.other, "overridden": c.overridden}
        for c in assignment.conflicts
    ]
    return (
        assignment.ship.id if assignment.ship else None,
        assignment.captain.id if assignment.captain else None,
        json.dumps([member.id for member in assignment.crew]),
        json.dumps(conflicts),
        assignment.override_reason,
    )


def _assignment(row: sqlite3.Row, names: dict[str, str]) -> Assignment:
    def ref(key: str | None) -> Ref | None:
        return None if key is None else Ref(key, names.get(key, "?"))

    crew = tuple(Ref(key, names.get(key, "?")) for key in json.loads(row["crew_ids"]))
    # Rows saved before conflicts carried `overridden` were all covered by their reason, if they had one.
    overridden = bool(row["override_reason"])
    conflicts = tuple(Conflict(**{"overridden": overridden, **item}) for item in json.loads(row["conflicts"]))
    return Assignment(ref(row["ship_id"]), ref(row["captain_id"]), crew, conflicts, row["override_reason"])


def _event(row: sqlite3.Row, names: dict[str, str]) -> Event:
    details = EventDetails(
        date=date.fromisoformat(row["date"]),
        period=row["period"],
        patron=Patron(row["patron_first_name"], row["patron_last_name"], row["patron_email"], row["patron_phone"]),
        party_size=row["party_size"],
        title=row["title"],
        notes=row["notes"],
        amount_due_cents=row["amount_due_cents"],
        status=row["status"],
        reminders=bool(row["reminders"]),
    )
    cleared_at = row["payment_cleared_at"]
    return Event(
        slug=row["slug"],
        details=details,
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        assignment=_assignment(row, names),
        version=row["version"],
        payment=PaymentState(row["paid_cents"], datetime.fromisoformat(cleared_at) if cleared_at else None),
        waivers_signed=row["waivers_signed"],
        key=row["key"],
        guest_nonce=row["guest_nonce"],
        dock=_dock(row),
    )


def _taken(slug: str) -> SlugTaken:
    return SlugTaken(f"slug {slug!r} is already taken by another event; choose another", "slug")
