"""Migration 0005 rebuilds the outbox for the `waiting` state, keeping every row and the index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import _migrations, _statements, connect, migrate

ROW = ("msg-1", "<msg-1@scc>", "receipt", "sarah@example.org", "Payment received", "Hello\n",
       "2026-05-01T09:00:00+00:00", "dead", 6, None, "421 try again later", None)  # fmt: skip


def database_at_version_4(path: Path) -> sqlite3.Connection:
    connection = connect(path)
    for number, script in _migrations():
        if number <= 4:
            for statement in _statements(script):
                connection.execute(statement)
    connection.execute("PRAGMA user_version = 4")
    connection.execute(f"INSERT INTO outbox VALUES ({', '.join('?' * len(ROW))})", ROW)
    return connection


def test_the_rebuild_keeps_every_message_its_state_and_the_delivery_index(tmp_path: Path) -> None:
    connection = database_at_version_4(tmp_path / "old.sqlite3")

    version = migrate(connection)

    row = connection.execute("SELECT * FROM outbox").fetchone()
    assert version >= 5
    assert tuple(row)[: len(ROW)] == ROW and (row["template"], row["facts"]) == ("", "{}")
    indexes = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "outbox_due" in indexes
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_after_the_rebuild_waiting_is_a_state_and_nonsense_still_is_not(tmp_path: Path) -> None:
    connection = database_at_version_4(tmp_path / "old.sqlite3")
    migrate(connection)

    connection.execute("UPDATE outbox SET status = 'waiting'")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE outbox SET status = 'lost'")
