"""The SQLite store: WAL, synchronous=FULL, foreign keys, BEGIN IMMEDIATE for writes.

Reads: one connection per thread, opened on first use. Writes: one connection the writers of this process
take turns on, sharing transactions and COMMITs (group commit, `sqlite_commit.py`). Numbered migrations in
`migrations/` are applied at open and tracked in `PRAGMA user_version`.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from shipcaptaincrew.adapters.private_files import create_private, private_folder, tighten
from shipcaptaincrew.adapters.sqlite_commit import Batch, GroupCommit
from shipcaptaincrew.adapters.sqlite_events import SqliteEventRepository
from shipcaptaincrew.domain.errors import Unavailable
from shipcaptaincrew.domain.periods import Periods
from shipcaptaincrew.ports import Generations

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.sqlite_dock import SqliteDock
    from shipcaptaincrew.adapters.sqlite_ledger import SqliteIdempotencyKeys, SqliteLedger
    from shipcaptaincrew.adapters.sqlite_outbox import SqliteOutbox
    from shipcaptaincrew.adapters.sqlite_roster import SqliteRoster
    from shipcaptaincrew.adapters.sqlite_waivers import SqliteWaivers
    from shipcaptaincrew.domain.password_tags import PasswordTag

BUSY_TIMEOUT_MS = 5000


class SqliteStore:
    def __init__(self, path: Path, periods: Periods) -> None:
        self.path = path
        self.periods = periods
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        migrate(self._connection())
        for leftover in ("-wal", "-shm"):  # made by an older version, or before the database was tightened
            tighten(path.with_name(path.name + leftover))
        # Writers in this process queue here and are woken in turn; SQLite's busy handler (which sleeps in
        # growing steps) is then left for writers in other processes, such as the CLI.
        self._writes = GroupCommit(connect(path), BUSY_TIMEOUT_MS / 1000)

    def writing(self) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self._writes.connection, self.periods, self._writes)

    def reading(self) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self._connection(), self.periods)

    def generations(self) -> Generations:
        rows = (
            self._connection()
            .execute("SELECT value FROM meta WHERE name IN ('auth_generation', 'generation') ORDER BY name")
            .fetchall()
        )
        return Generations(data=int(rows[1][0]), auth=int(rows[0][0]))

    def close(self) -> None:
        self._writes.close()
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = connect(self.path)
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection


def connect(path: Path) -> sqlite3.Connection:
    private_folder(path.parent)
    create_private(path)  # SQLite would make it 0644; it gives its -wal and -shm files the database's mode
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def migrate(connection: sqlite3.Connection) -> int:
    """Apply the migrations newer than `PRAGMA user_version`, each in its own transaction; return the version."""
    current = connection.execute("PRAGMA user_version").fetchone()[0]
    for number, script in _migrations():
        if number <= current:
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        current = number
    return int(current)


def _migrations() -> list[tuple[int, str]]:
    folder = Path(__file__).parent / "migrations"  # not importlib.resources: it costs the cold start 9 ms
    found = [
        (int(item.name.split("_")[0]), item.read_text()) for item in folder.iterdir() if item.name.endswith(".sql")
    ]
    return sorted(found)


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (triggers hold semicolons inside BEGIN ... END)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return [statement for statement in statements if statement]


class SqliteUnitOfWork:
    def __init__(self, connection: sqlite3.Connection, periods: Periods, writes: GroupCommit | None = None) -> None:
        """A read-only snapshot, or with `writes` a unit of work in the process's group commit."""
        self._connection = connection
        self._writes = writes
        self._batch: Batch | None = None
        self._periods = periods

    # Repositories are made when first used: most units of work touch one or two of them, and a
    # repository's module (with its domain records) is imported only when some request needs it.
    @functools.cached_property
    def events(self) -> SqliteEventRepository:
        return SqliteEventRepository(self._connection, self._periods)

    @functools.cached_property
    def credentials(self) -> SqliteCredentials:
        return SqliteCredentials(self._connection)

    @functools.cached_property
    def audit(self) -> SqliteAuditLog:
        return SqliteAuditLog(self._connection)

    @functools.cached_property
    def ledger(self) -> SqliteLedger:
        from shipcaptaincrew.adapters.sqlite_ledger import SqliteLedger

        return SqliteLedger(self._connection)

    @functools.cached_property
    def idempotency(self) -> SqliteIdempotencyKeys:
        from shipcaptaincrew.adapters.sqlite_ledger import SqliteIdempotencyKeys

        return SqliteIdempotencyKeys(self._connection)

    @functools.cached_property
    def outbox(self) -> SqliteOutbox:
        from shipcaptaincrew.adapters.sqlite_outbox import SqliteOutbox

        return SqliteOutbox(self._connection)

    @functools.cached_property
    def waivers(self) -> SqliteWaivers:
        from shipcaptaincrew.adapters.sqlite_waivers import SqliteWaivers

        return SqliteWaivers(self._connection)

    @functools.cached_property
    def roster(self) -> SqliteRoster:
        from shipcaptaincrew.adapters.sqlite_roster import SqliteRoster

        return SqliteRoster(self._connection)

    @functools.cached_property
    def dock(self) -> SqliteDock:
        from shipcaptaincrew.adapters.sqlite_dock import SqliteDock

        return SqliteDock(self._connection)

    def __enter__(self) -> Self:
        if self._writes is not None:
            self._batch = self._writes.begin()
            return self
        try:
            self._connection.execute("BEGIN")
        except sqlite3.OperationalError as error:
            raise Unavailable(f"the database is busy or unavailable ({error}); try again") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        """Writes: returns once the changes are committed (Unavailable if they could not be); an exception
        inside the unit undoes its changes. Reads: end the snapshot."""
        if self._writes is not None and self._batch is not None:
            self._writes.finish(self._batch, succeeded=kind is None)
        elif self._connection.in_transaction:
            self._connection.execute("ROLLBACK")


class SqliteCredentials:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def admin_password_hash(self) -> str | None:
        row = self._connection.execute("SELECT value FROM credentials WHERE name = 'admin_password_hash'").fetchone()
        return None if row is None else str(row[0])

    def set_admin_password_hash(self, password_hash: str) -> None:
        self._connection.execute(
            "INSERT INTO credentials (name, value) VALUES ('admin_password_hash', ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (password_hash,),
        )

    def admin_password_tag(self) -> PasswordTag | None:
        from shipcaptaincrew.domain.password_tags import PasswordTag

        row = self._connection.execute("SELECT value FROM credentials WHERE name = 'admin_password_tag'").fetchone()
        return None if row is None else PasswordTag.parse(str(row[0]))

    def set_admin_password_tag(self, tag: PasswordTag) -> None:
        self._connection.execute(
            "INSERT INTO credentials (name, value) VALUES ('admin_password_tag', ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (tag.text(),),
        )

    def is_revoked(self, token_id: str) -> bool:
        return (
            self._connection.execute("SELECT 1 FROM revoked_tokens WHERE token_id = ?", (token_id,)).fetchone()
            is not None
        )

    def revoked_token_ids(self) -> set[str]:
        return {row[0] for row in self._connection.execute("SELECT token_id FROM revoked_tokens")}

    def revoke(self, token_id: str, expires_at: datetime, now: datetime) -> None:
        self._connection.execute("DELETE FROM revoked_tokens WHERE expires_at < ?", (now.isoformat(),))
        self._connection.execute(
            "INSERT OR IGNORE INTO revoked_tokens (token_id, expires_at) VALUES (?, ?)",
            (token_id, expires_at.isoformat()),
        )

    def failed_sign_ins(self, client: str | None, after: datetime, limit: int) -> list[datetime]:
        args: tuple[str, ...]
        if client is None:
            where, args = "at > ?", (after.isoformat(),)
        else:
            where, args = "client = ? AND at > ? AND NOT cleared", (client, after.isoformat())
        sql = f"SELECT at FROM sign_in_failures WHERE {where} ORDER BY at DESC LIMIT ?"
        rows = self._connection.execute(sql, (*args, limit))
        return [datetime.fromisoformat(row[0]) for row in rows]

    def claim_sign_in_attempt(self, client: str, at: datetime, after: datetime, limit: int) -> str | None:
        # Inside the write transaction: no other writer, in this process or another, counts between the two.
        self._connection.execute("DELETE FROM sign_in_failures WHERE at <= ?", (after.isoformat(),))
        if len(self.failed_sign_ins(client, after, limit)) >= limit:
            return None
        cursor = self._connection.execute(
            "INSERT INTO sign_in_failures (client, at) VALUES (?, ?)", (client, at.isoformat())
        )
        return str(cursor.lastrowid)

    def record_failed_sign_in(self, client: str, attempt: str, at: datetime, forget_before: datetime) -> None:
        # The claim's row already counts in everyone's total: one table holds both counts.
        self._connection.execute("DELETE FROM sign_in_failures WHERE at < ?", (forget_before.isoformat(),))

    def forget_sign_in_attempt(self, client: str, attempt: str) -> None:
        self._connection.execute("DELETE FROM sign_in_failures WHERE rowid = ? AND client = ?", (int(attempt), client))

    def clear_failed_sign_ins(self, client: str, attempt: str) -> None:
        self.forget_sign_in_attempt(client, attempt)
        self._connection.execute("UPDATE sign_in_failures SET cleared = 1 WHERE client = ?", (client,))


class SqliteAuditLog:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def append(self, action: str, actor: str, at: datetime, data: dict[str, object]) -> None:
        self._connection.execute(
            "INSERT INTO audit (action, actor, at, data) VALUES (?, ?, ?, ?)",
            (action, actor, at.isoformat(), json.dumps(data, sort_keys=True, default=str)),
        )
