"""The SQLite store's whole data as transfer records, out and in (see services/transfer.py for the format).

Its own connection to the database file: a dump is one read transaction (a consistent snapshot), a load one
`BEGIN IMMEDIATE` transaction that first checks the store is empty, so a failed load leaves nothing behind.
Rows are written as they are, through plain INSERTs: the triggers that refuse edits to the ledger and audit log
are untouched, and those that bump the generation counters fire as they do for any writer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from shipcaptaincrew.adapters.sqlite import connect, migrate
from shipcaptaincrew.domain.errors import Conflict, InvalidInput, Unavailable
from shipcaptaincrew.ports import Record

TABLES = (
    "waiver_versions", "ships", "people", "events", "slug_aliases", "ledger", "signatures", "signature_voids",
    "check_ins", "departures", "waiver_chain", "reminders_sent", "idempotency_keys", "outbox", "credentials",
    "revoked_tokens", "audit",
)  # fmt: skip
EVENT_COLUMNS = (
    "slug", "date", "period", "period_starts", "patron_first_name", "patron_last_name", "patron_email",
    "patron_phone", "party_size", "title", "notes", "amount_due_cents", "status", "ship_id", "captain_id",
    "override_reason", "paid_cents", "payment_cleared_at", "waivers_signed", "created_at", "updated_at", "version",
    "key", "guest_nonce", "reminders", "dock_status", "aboard", "departed_at", "returned_at",
)  # fmt: skip
LEDGER_COLUMNS = ("id", "kind", "amount_cents", "method", "patron_name", "reference", "note", "received_on", "actor",
                  "recorded_at", "reverses", "reason")  # fmt: skip
SIGNATURE_COLUMNS = (
    "id", "guest_name", "email", "phone", "date_of_birth", "minor", "guardian_name", "guardian_relationship",
    "guardian_signature", "emergency_name", "emergency_phone", "typed_signature", "drawn_signature",
    "consent_label", "agreement_label", "version_id", "version_hash", "signed_at", "ip", "user_agent", "copy_token",
    "record_hash", "signed_slug", "position", "previous_seal", "seal",
)  # fmt: skip
VOID_COLUMNS = ("id", "signature_id", "reason", "actor", "voided_at", "position", "previous_seal", "seal")
CHECK_IN_COLUMNS = ("guest", "name", "walk_up", "aboard", "actor", "at", "added_at")
DEPARTURE_COLUMNS = ("departed_at", "departed_by", "aboard", "override_reason", "returned_at", "returned_by")
OUTBOX_COLUMNS = ("id", "message_id", "kind", "recipient", "subject", "body_text", "template", "created_at", "status",
                  "attempts", "next_attempt_at", "last_error", "sent_at")  # fmt: skip
PLAIN = {  # record type -> (table, columns) for the kinds that are one row each, column for field
    "waiver_version": ("waiver_versions", ("id", "text", "sha256", "created_at")),
    "ship": ("ships", ("id", "name", "capacity", "created_at", "retired_at")),
    "person": ("people", ("id", "name", "role", "email", "phone", "licence_expires", "medical_expires",
                          "calendar_token", "created_at", "retired_at", "day_sheet_nonce")),
    "credential": ("credentials", ("name", "value")),
    "revoked_token": ("revoked_tokens", ("token_id", "expires_at")),
    "waiver_chain": ("waiver_chain", ("position", "seal", "head_seal")),
    "idempotency_key": ("idempotency_keys", ("key", "fingerprint", "entry_id", "created_at")),
}  # fmt: skip
PROGRESS_EVERY = 1000


class SqliteTransfer:
    def __init__(self, path: Path) -> None:
        self.path = path

    def is_empty(self) -> bool:
        connection = self._open()
        try:
            return _is_empty(connection)
        finally:
            connection.close()

    def dump(self) -> Iterator[Record]:
        connection = self._open()
        try:
            connection.execute("BEGIN")
            yield from _dump(connection)
            connection.execute("COMMIT")
        finally:
            connection.close()

    def load(self, records: Sequence[Record], progress: Callable[[int], None]) -> None:
        connection = self._open()
        try:
            connection.execute("BEGIN IMMEDIATE")
            if not _is_empty(connection):
                raise Conflict("the target store is not empty: import only into a new database", "store")
            for done, record in enumerate(records, start=1):
                _WRITERS.get(record["type"], _insert_plain)(connection, record)
                if done % PROGRESS_EVERY == 0:
                    progress(done)
            connection.execute("COMMIT")
            progress(len(records))
        except sqlite3.Error as error:
            raise InvalidInput(f"the database refused a record ({error}); nothing was imported", "line") from None
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            connection.close()

    def _open(self) -> sqlite3.Connection:
        try:
            connection = connect(self.path)
            migrate(connection)
        except sqlite3.Error as error:
            raise Unavailable(f"the database {self.path} could not be opened ({error})") from None
        return connection


def _is_empty(connection: sqlite3.Connection) -> bool:
    return not any(connection.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in TABLES)


def _dump(connection: sqlite3.Connection) -> Iterator[Record]:
    for kind, (table, columns) in PLAIN.items():
        for row in connection.execute(f"SELECT {', '.join(columns)} FROM {table}"):
            yield {"type": kind, **dict(zip(columns, row, strict=True))}
    yield from _events(connection)
    yield from _joined(connection, "ledger", "ledger_entry", LEDGER_COLUMNS)
    for record in _joined(connection, "signatures", "signature", SIGNATURE_COLUMNS):
        yield {**record, "minor": bool(record["minor"])}
    yield from _joined(connection, "reminders_sent", "reminder_sent", ("days_before", "sent_at"))
    for record in _joined(connection, "signature_voids", "signature_void", VOID_COLUMNS):
        yield {
            **{name: value for name, value in record.items() if name != "signature_id"},
            "signature": record["signature_id"],
        }
    for record in _joined(connection, "check_ins", "check_in", CHECK_IN_COLUMNS):
        yield {**record, "walk_up": bool(record["walk_up"]), "aboard": bool(record["aboard"])}
    for record in _joined(connection, "departures", "departure", DEPARTURE_COLUMNS):
        yield {**record, "aboard": json.loads(record["aboard"])}
    for row in connection.execute(f"SELECT {', '.join(OUTBOX_COLUMNS)}, facts FROM outbox"):
        yield {"type": "outbox_message", **dict(zip(OUTBOX_COLUMNS, row, strict=False)), "facts": json.loads(row[-1])}
    for row in connection.execute("SELECT action, actor, at, data FROM audit"):
        yield {"type": "audit", "action": row[0], "actor": row[1], "at": row[2], "data": json.loads(row[3])}


def _events(connection: sqlite3.Connection) -> Iterator[Record]:
    aliases: dict[int, list[str]] = {}
    for alias, event_id in connection.execute("SELECT alias, event_id FROM slug_aliases"):
        aliases.setdefault(event_id, []).append(alias)
    query = f"SELECT id, {', '.join(EVENT_COLUMNS)}, crew_ids, conflicts FROM events"
    for row in connection.execute(query):
        record: Record = {"type": "event", **{name: row[name] for name in EVENT_COLUMNS}}
        record["aliases"] = sorted(aliases.get(row["id"], []))
        record["reminders"] = bool(row["reminders"])
        record["crew_ids"] = json.loads(row["crew_ids"])
        record["conflicts"] = [_conflict(item, bool(row["override_reason"])) for item in json.loads(row["conflicts"])]
        yield record


def _conflict(item: dict[str, Any], overridden: bool) -> dict[str, Any]:
    """A stored conflict as the domain reads it: rows saved before `overridden` existed were covered by the reason."""
    return {
        "kind": item["kind"],
        "message": item["message"],
        "other": item.get("other", ""),
        "overridden": item.get("overridden", overridden),
    }


def _joined(connection: sqlite3.Connection, table: str, kind: str, columns: Sequence[str]) -> Iterator[Record]:
    """Rows that point at an event by its row id, with the event's slug instead."""
    selected = ", ".join(f"{table}.{name}" for name in columns)
    query = f"SELECT {selected}, events.slug FROM {table} JOIN events ON events.id = {table}.event_id"
    for row in connection.execute(query):
        yield {"type": kind, **dict(zip(columns, row, strict=False)), "event": row[-1]}


def _insert(connection: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    marks = ", ".join("?" * len(values))
    connection.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})", tuple(values.values()))


def _insert_plain(connection: sqlite3.Connection, record: Record) -> None:
    table, columns = PLAIN[record["type"]]
    _insert(connection, table, {name: record[name] for name in columns})


def _insert_event(connection: sqlite3.Connection, record: Record) -> None:
    conflicts = [
        {name: item[name] for name in ("kind", "message", "other", "overridden")} for item in record["conflicts"]
    ]
    values = {name: record[name] for name in EVENT_COLUMNS}
    _insert(
        connection, "events", {**values, "crew_ids": json.dumps(record["crew_ids"]), "conflicts": json.dumps(conflicts)}
    )
    for alias in record["aliases"]:
        connection.execute(
            "INSERT INTO slug_aliases (alias, event_id) SELECT ?, id FROM events WHERE slug = ?",
            (alias, record["slug"]),
        )


def _insert_joined(table: str, columns: Sequence[str]) -> Callable[[sqlite3.Connection, Record], None]:
    def insert(connection: sqlite3.Connection, record: Record) -> None:
        values = [record[name] for name in columns]
        marks = ", ".join("?" * len(columns))
        written = connection.execute(
            f"INSERT INTO {table} (event_id, {', '.join(columns)}) SELECT id, {marks} FROM events WHERE slug = ?",
            (*values, record["event"]),
        ).rowcount
        if written != 1:
            raise sqlite3.IntegrityError(f"{table}: no event {record['event']!r}")

    return insert


def _insert_outbox_message(connection: sqlite3.Connection, record: Record) -> None:
    values = {name: record[name] for name in OUTBOX_COLUMNS}
    _insert(connection, "outbox", {**values, "facts": json.dumps(record["facts"], ensure_ascii=False)})


def _insert_audit(connection: sqlite3.Connection, record: Record) -> None:
    data = json.dumps(record["data"], sort_keys=True, default=str)  # as SqliteAuditLog writes it
    _insert(
        connection, "audit", {"action": record["action"], "actor": record["actor"], "at": record["at"], "data": data}
    )


def _insert_departure(connection: sqlite3.Connection, record: Record) -> None:
    aboard = json.dumps(record["aboard"], sort_keys=True, ensure_ascii=False)  # as SqliteDock writes it
    _insert_joined("departures", DEPARTURE_COLUMNS)(connection, {**record, "aboard": aboard})


def _insert_void(connection: sqlite3.Connection, record: Record) -> None:
    _insert_joined("signature_voids", VOID_COLUMNS)(connection, {**record, "signature_id": record["signature"]})


_WRITERS: dict[str, Callable[[sqlite3.Connection, Record], None]] = {
    "signature_void": _insert_void,
    "reminder_sent": _insert_joined("reminders_sent", ("days_before", "sent_at")),
    "event": _insert_event,
    "ledger_entry": _insert_joined("ledger", LEDGER_COLUMNS),
    "signature": _insert_joined("signatures", SIGNATURE_COLUMNS),
    "check_in": _insert_joined("check_ins", CHECK_IN_COLUMNS),
    "departure": _insert_departure,
    "outbox_message": _insert_outbox_message,
    "audit": _insert_audit,
}
