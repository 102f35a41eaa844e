"""Migration 0014 keeps each idempotency key, naming the ledger entry its stored answer named."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from shipcaptaincrew.adapters.sqlite import _migrations, _statements, connect, migrate

AT = "2026-05-01T09:00:00+00:00"


def database_at_version_13(path: Path) -> sqlite3.Connection:
    connection = connect(path)
    for number, script in _migrations():
        if number <= 13:
            for statement in _statements(script):
                connection.execute(statement)
    connection.execute("PRAGMA user_version = 13")
    return connection


def test_a_stored_answer_becomes_the_entry_it_names_and_the_age_index_stays(tmp_path: Path) -> None:
    connection = database_at_version_13(tmp_path / "old.sqlite3")
    answer = json.dumps({"payment": {"id": "pay_1", "amount_cents": 40000}, "event": {"slug": "x"}}).encode()
    connection.execute("INSERT INTO idempotency_keys VALUES ('key-1', 'fp', 201, ?, ?)", (answer, AT))
    connection.execute("INSERT INTO idempotency_keys VALUES ('no-entry', 'fp', 201, ?, ?)", (b"{}", AT))

    migrate(connection)

    rows = connection.execute("SELECT key, fingerprint, entry_id, created_at FROM idempotency_keys").fetchall()
    assert [tuple(row) for row in rows] == [("key-1", "fp", "pay_1", AT)]
    indexes = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "idempotency_keys_by_age" in indexes
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
