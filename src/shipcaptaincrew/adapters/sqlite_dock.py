"""A charter's day at the dock in SQLite: `check_ins` and `departures` rows to domain records and back."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from shipcaptaincrew.domain.boarding import AlreadyDeparted, CheckIn, Departure, Guest
from shipcaptaincrew.domain.errors import Conflict

_EVENT = "(SELECT id FROM events WHERE key = ?)"


class SqliteDock:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def check_ins(self, event_key: str) -> list[CheckIn]:
        rows = self._connection.execute(
            f"SELECT guest, name, walk_up, aboard, actor, at, added_at FROM check_ins WHERE event_id = {_EVENT}",
            (event_key,),
        )
        return [
            CheckIn(
                row[0],
                row[1],
                bool(row[2]),
                bool(row[3]),
                row[4],
                datetime.fromisoformat(row[5]),
                datetime.fromisoformat(row[6]),
            )
            for row in rows
        ]

    def put_check_in(self, event_key: str, check_in: CheckIn) -> None:
        self._connection.execute(
            "INSERT INTO check_ins (event_id, guest, name, walk_up, aboard, actor, at, added_at) "
            f"VALUES ({_EVENT}, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, guest) DO UPDATE SET name = excluded.name, "
            "aboard = excluded.aboard, actor = excluded.actor, at = excluded.at",
            (
                event_key,
                check_in.guest,
                check_in.name,
                int(check_in.walk_up),
                int(check_in.aboard),
                check_in.actor,
                check_in.at.isoformat(),
                check_in.added_at.isoformat(),
            ),
        )

    def departure(self, event_key: str) -> Departure | None:
        row = self._connection.execute(
            "SELECT departed_at, departed_by, aboard, override_reason, returned_at, returned_by FROM departures "
            f"WHERE event_id = {_EVENT}",
            (event_key,),
        ).fetchone()
        if row is None:
            return None
        returned_at = datetime.fromisoformat(row[4]) if row[4] else None
        return Departure(datetime.fromisoformat(row[0]), row[1], guests(row[2]), row[3], returned_at, row[5])

    def add_departure(self, event_key: str, departure: Departure) -> None:
        try:
            self._connection.execute(
                "INSERT INTO departures (event_id, departed_at, departed_by, aboard, override_reason) "
                f"VALUES ({_EVENT}, ?, ?, ?, ?)",
                (
                    event_key,
                    departure.departed_at.isoformat(),
                    departure.departed_by,
                    guests_json(departure.aboard),
                    departure.override_reason,
                ),
            )
        except sqlite3.IntegrityError:
            raise AlreadyDeparted("the charter has departed already", "slug") from None

    def add_return(self, event_key: str, departure: Departure) -> None:
        assert departure.returned_at is not None
        changed = self._connection.execute(
            f"UPDATE departures SET returned_at = ?, returned_by = ? WHERE event_id = {_EVENT} AND returned_at IS NULL",
            (departure.returned_at.isoformat(), departure.returned_by, event_key),
        ).rowcount
        if changed != 1:
            raise Conflict("the charter has returned already", "slug")


def guests_json(aboard: tuple[Guest, ...]) -> str:
    """The manifest as stored (in SQLite and DynamoDB alike): one object per guest, every field."""
    return json.dumps([vars(guest) for guest in aboard], sort_keys=True, ensure_ascii=False)


def guests(text: str) -> tuple[Guest, ...]:
    return tuple(Guest(**item) for item in json.loads(text))
