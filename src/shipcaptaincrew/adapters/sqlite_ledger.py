"""The ledger and idempotency keys in SQLite. The ledger table's triggers refuse UPDATE and DELETE."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time

from shipcaptaincrew.domain.errors import Contention
from shipcaptaincrew.domain.ledger import Entry
from shipcaptaincrew.ports import IdempotencyRecord

_SELECT = "SELECT ledger.*, events.slug AS event_slug FROM ledger JOIN events ON events.id = ledger.event_id"


class SqliteLedger:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def append(self, entry: Entry) -> None:
        self._connection.execute(
            "INSERT INTO ledger (id, event_id, kind, amount_cents, method, patron_name, reference, note, received_on,"
            " actor, recorded_at, reverses, reason)"
            " SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM events WHERE slug = ?",
            (
                entry.id,
                entry.kind,
                entry.amount_cents,
                entry.method,
                entry.patron_name,
                entry.reference,
                entry.note,
                entry.received_on.isoformat() if entry.received_on else None,
                entry.actor,
                entry.recorded_at.isoformat(),
                entry.reverses,
                entry.reason,
                entry.event_slug,
            ),
        )

    def get(self, entry_id: str) -> Entry | None:
        row = self._connection.execute(f"{_SELECT} WHERE ledger.id = ?", (entry_id,)).fetchone()
        return None if row is None else _entry(row)

    def is_reversed(self, entry_id: str) -> bool:
        found = self._connection.execute("SELECT 1 FROM ledger WHERE reverses = ?", (entry_id,)).fetchone()
        return found is not None

    def for_event(self, slug: str) -> list[Entry]:
        rows = self._connection.execute(
            f"{_SELECT} WHERE ledger.event_id = (SELECT id FROM events WHERE slug = ?) ORDER BY ledger.rowid",
            (slug,),
        )
        return [_entry(row) for row in rows]

    def between(self, start: date, end: date) -> list[Entry]:
        low = datetime.combine(start, time.min, UTC).isoformat()
        high = datetime.combine(end, time.max, UTC).isoformat()
        rows = self._connection.execute(
            f"{_SELECT} WHERE ledger.recorded_at BETWEEN ? AND ? ORDER BY ledger.recorded_at, ledger.rowid", (low, high)
        )
        return [_entry(row) for row in rows]


class SqliteIdempotencyKeys:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def get(self, key: str) -> IdempotencyRecord | None:
        row = self._connection.execute(
            "SELECT fingerprint, entry_id, created_at FROM idempotency_keys WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        return IdempotencyRecord(row[0], row[1], datetime.fromisoformat(row[2]))

    def put(self, key: str, record: IdempotencyRecord, expires_at: datetime) -> None:  # forgotten by forget_older_than
        try:
            self._connection.execute(
                "INSERT INTO idempotency_keys (key, fingerprint, entry_id, created_at) VALUES (?, ?, ?, ?)",
                (key, record.fingerprint, record.entry_id, record.created_at.isoformat()),
            )
        except sqlite3.IntegrityError:
            raise Contention("this idempotency key was stored by another request at the same moment") from None

    def forget_older_than(self, moment: datetime) -> None:
        self._connection.execute("DELETE FROM idempotency_keys WHERE created_at < ?", (moment.isoformat(),))


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        id=row["id"],
        event_slug=row["event_slug"],
        kind=row["kind"],
        amount_cents=row["amount_cents"],
        method=row["method"],
        patron_name=row["patron_name"],
        actor=row["actor"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
        reference=row["reference"],
        note=row["note"],
        received_on=date.fromisoformat(row["received_on"]) if row["received_on"] else None,
        reverses=row["reverses"],
        reason=row["reason"],
    )
