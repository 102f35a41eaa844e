"""Ships and people in SQLite: rows to domain records and back, in one place."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from shipcaptaincrew.domain.errors import Conflict
from shipcaptaincrew.domain.roster import Person, Ship

_PEOPLE = (
    "SELECT id, name, role, email, phone, licence_expires, medical_expires, calendar_token, retired_at IS NOT NULL "
    "AS retired, day_sheet_nonce FROM people"
)
_SHIPS = "SELECT id, name, capacity, retired_at IS NOT NULL FROM ships"


class SqliteRoster:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def add_ship(self, ship: Ship, now: datetime) -> None:
        try:
            self._connection.execute(
                "INSERT INTO ships (id, name, capacity, created_at) VALUES (?, ?, ?, ?)",
                (ship.id, ship.name, ship.capacity, now.isoformat()),
            )
        except sqlite3.IntegrityError:
            raise _ship_taken(ship.name) from None

    def save_ship(self, ship: Ship) -> None:
        try:
            self._connection.execute(
                "UPDATE ships SET name = ?, capacity = ? WHERE id = ?", (ship.name, ship.capacity, ship.id)
            )
        except sqlite3.IntegrityError:
            raise _ship_taken(ship.name) from None

    def ship(self, ship_id: str) -> Ship | None:
        row = self._connection.execute(f"{_SHIPS} WHERE id = ?", (ship_id,)).fetchone()
        return None if row is None else Ship(row[0], row[1], row[2], bool(row[3]))

    def ships(self) -> list[Ship]:
        rows = self._connection.execute(f"{_SHIPS} WHERE retired_at IS NULL ORDER BY name COLLATE NOCASE")
        return [Ship(row[0], row[1], row[2]) for row in rows]

    def retire_ship(self, ship_id: str, now: datetime) -> None:
        self._connection.execute("UPDATE ships SET retired_at = ? WHERE id = ?", (now.isoformat(), ship_id))

    def retire_person(self, person_id: str, now: datetime) -> None:
        self._connection.execute("UPDATE people SET retired_at = ? WHERE id = ?", (now.isoformat(), person_id))

    def add_person(self, person: Person, now: datetime) -> None:
        self._connection.execute(
            "INSERT INTO people (id, name, role, email, phone, licence_expires, medical_expires, calendar_token, "
            "created_at, day_sheet_nonce) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*_person_row(person), person.calendar_token, now.isoformat(), person.day_sheet_nonce),
        )

    def save_person(self, person: Person) -> None:
        self._connection.execute(
            "UPDATE people SET name = ?, role = ?, email = ?, phone = ?, licence_expires = ?, medical_expires = ? "
            "WHERE id = ?",
            (*_person_row(person)[1:], person.id),
        )

    def replace_calendar_token(self, person_id: str, old: str, new: str) -> None:
        self._connection.execute("UPDATE people SET calendar_token = ? WHERE id = ?", (new, person_id))

    def replace_day_sheet_nonce(self, person_id: str, nonce: str) -> None:
        self._connection.execute("UPDATE people SET day_sheet_nonce = ? WHERE id = ?", (nonce, person_id))

    def person(self, person_id: str) -> Person | None:
        row = self._connection.execute(f"{_PEOPLE} WHERE id = ?", (person_id,)).fetchone()
        return None if row is None else _person(row)

    def person_by_token(self, token: str) -> Person | None:
        row = self._connection.execute(f"{_PEOPLE} WHERE calendar_token = ?", (token,)).fetchone()
        return None if row is None else _person(row)

    def people(self) -> list[Person]:
        rows = self._connection.execute(f"{_PEOPLE} WHERE retired_at IS NULL ORDER BY role, name COLLATE NOCASE")
        return [_person(row) for row in rows]


def _person_row(person: Person) -> tuple[object, ...]:
    return (
        person.id,
        person.name,
        person.role,
        person.email,
        person.phone,
        person.licence_expires.isoformat() if person.licence_expires else None,
        person.medical_expires.isoformat() if person.medical_expires else None,
    )


def _person(row: sqlite3.Row) -> Person:
    licence, medical = row["licence_expires"], row["medical_expires"]
    return Person(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        email=row["email"],
        phone=row["phone"],
        licence_expires=date.fromisoformat(licence) if licence else None,
        medical_expires=date.fromisoformat(medical) if medical else None,
        calendar_token=row["calendar_token"],
        retired=bool(row["retired"]),
        day_sheet_nonce=row["day_sheet_nonce"],
    )


def _ship_taken(name: str) -> Conflict:
    return Conflict(f"a ship named {name!r} is already on the roster", "name")
