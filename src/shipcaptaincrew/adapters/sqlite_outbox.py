"""The email outbox in SQLite."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from shipcaptaincrew.domain.mail import PENDING, WAITING, Email, OutboxMessage

_COLUMNS = (
    "id, message_id, kind, recipient, subject, body_text, created_at, status, attempts, next_attempt_at, "
    "last_error, sent_at, template, facts"
)


class SqliteOutbox:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def add(self, message: OutboxMessage) -> None:
        self._connection.execute(f"INSERT INTO outbox ({_COLUMNS}) VALUES ({', '.join('?' * 14)})", _row(message))

    def get(self, message_id: str) -> OutboxMessage | None:
        row = self._connection.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (message_id,)).fetchone()
        return None if row is None else _message(row)

    def update(self, message: OutboxMessage) -> None:
        self._connection.execute(
            "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, sent_at = ? WHERE id = ?",
            (
                message.status,
                message.attempts,
                _iso(message.next_attempt_at),
                message.last_error,
                _iso(message.sent_at),
                message.id,
            ),
        )

    def due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        rows = self._connection.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE status IN (?, ?) "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY created_at, id LIMIT ?",
            (PENDING, WAITING, now.isoformat(), limit),
        )
        return [_message(row) for row in rows]

    def count(self, status: str) -> int:
        return int(self._connection.execute("SELECT count(*) FROM outbox WHERE status = ?", (status,)).fetchone()[0])

    def recent(self, limit: int, status: str | None = None) -> list[OutboxMessage]:
        where, args = ("WHERE status = ?", (status,)) if status else ("", ())
        rows = self._connection.execute(
            f"SELECT {_COLUMNS} FROM outbox {where} ORDER BY created_at DESC, id DESC LIMIT ?", (*args, limit)
        )
        return [_message(row) for row in rows]


def _row(message: OutboxMessage) -> tuple[object, ...]:
    email = message.email
    return (
        message.id,
        message.message_id,
        message.kind,
        email.to,
        email.subject,
        email.text,
        message.created_at.isoformat(),
        message.status,
        message.attempts,
        _iso(message.next_attempt_at),
        message.last_error,
        _iso(message.sent_at),
        email.template,
        json.dumps(dict(email.facts), ensure_ascii=False),
    )


def _message(row: sqlite3.Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        message_id=row["message_id"],
        email=Email(row["recipient"], row["subject"], row["body_text"], row["template"], json.loads(row["facts"])),
        created_at=datetime.fromisoformat(row["created_at"]),
        status=row["status"],
        attempts=row["attempts"],
        next_attempt_at=_parse(row["next_attempt_at"]),
        last_error=row["last_error"],
        sent_at=_parse(row["sent_at"]),
        kind=row["kind"],
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
