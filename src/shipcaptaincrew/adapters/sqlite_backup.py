"""Copies of the SQLite store: a backup taken while the server writes, and a restore that swaps the file whole.

A backup uses SQLite's online backup API: the copy is the database as it was when the copy's read transaction
began, so every write committed before `scc backup` started is in it, and the server keeps writing meanwhile (WAL
lets a reader and a writer run together). The copy is written next to its destination, checked, flushed to disk
and renamed into place, so a destination file is always a whole backup.

A restore copies the source beside the store, checks it (`PRAGMA integrity_check`, a known schema version), then
takes the store's exclusive lock, which fails while any other process (the server) holds a connection open. Under
that lock the old store is folded out of WAL mode, kept under a timestamped name (a hard link, so the store's
name never points at nothing) and replaced by one rename: the store is the old one or the new one, never half of
each.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from shipcaptaincrew.adapters.private_files import create_private, private_folder
from shipcaptaincrew.domain.errors import Conflict, InvalidInput, NotFound, Unavailable

STEP_PAGES = 1024  # 4 MB a step with the default page size: progress for big stores, one step for small ones
RESTARTS_BEFORE_ONE_STEP = 3
REQUIRED_TABLES = frozenset({"events", "ledger", "meta", "signatures"})
COUNTED = {  # what a summary reports, and what makes a store "not empty" for a restore
    "events": "SELECT count(*) FROM events",
    "ledger_entries": "SELECT count(*) FROM ledger",
    "waiver_signatures": "SELECT count(*) FROM signatures",
    "ships": "SELECT count(*) FROM ships",
    "people": "SELECT count(*) FROM people",
}
LEDGER_TOTAL = "SELECT coalesce(sum(CASE kind WHEN 'payment' THEN amount_cents ELSE -amount_cents END), 0) FROM ledger"

Progress = Callable[[int, int], None]
"""Called with (pages copied, pages in all) as a copy goes on."""


@dataclass(frozen=True)
class StoreSummary:
    """What a database file holds: its size, schema version, row counts and the ledger's net total in cents."""

    path: Path
    size_bytes: int
    schema_version: int
    counts: dict[str, int]
    ledger_total_cents: int

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


@dataclass(frozen=True)
class Restored:
    summary: StoreSummary
    previous: Path | None
    """Where the store that was replaced now lives; None when there was none."""


class _Restarted(Exception):
    """Another connection wrote during a stepwise copy often enough that the copy should be taken in one step."""


def latest_schema_version() -> int:
    """The newest migration this code knows (the schema version a store has once opened by it)."""
    folder = Path(__file__).parent / "migrations"
    return max(int(item.name.split("_")[0]) for item in folder.iterdir() if item.name.endswith(".sql"))


def back_up(database: Path, target: Path, force: bool = False, progress: Progress | None = None) -> StoreSummary:
    """Copy the store at `database` to `target`, consistent while the server writes; return what was written.

    Raises NotFound without a store or a folder for `target`, Conflict when `target` exists and `force` is not set
    (or is the store itself), Unavailable when the copy cannot be written. Never leaves a partial file at `target`:
    the copy is made beside it and renamed into place once checked and flushed.
    """
    _check_target(database, target, force)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        create_private(partial)  # a backup holds everything the store does
        with _closing(_open(database, "rw")) as source, _closing(sqlite3.connect(partial)) as copy:
            _copy(source, copy, progress)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, readable without its WAL
        summary = check(partial)
        _flush(partial)
        os.replace(partial, target)
        _flush(target.parent)
    except (OSError, sqlite3.OperationalError) as error:
        raise Unavailable(f"the backup could not be written ({error}); {target} was not changed") from None
    finally:
        _remove(partial)
    return StoreSummary(target, summary.size_bytes, summary.schema_version, summary.counts, summary.ledger_total_cents)


def _check_target(database: Path, target: Path, force: bool) -> None:
    if not database.is_file():
        raise NotFound(f"there is no store at {database}")
    if not target.parent.is_dir():
        raise NotFound(f"there is no folder {target.parent} to write the backup in")
    if target.exists() and target.resolve() == database.resolve():
        raise Conflict(f"{target} is the store itself; give the backup another name")
    if target.exists() and not force:
        raise Conflict(f"{target} exists already; choose another name or use --force to overwrite it")


def restore(source: Path, database: Path, now: datetime, force: bool = False) -> Restored:
    """Replace the store at `database` with the backup at `source`; keep the old store aside, timestamped by `now`.

    Raises NotFound without a source, InvalidInput when it is not a sound scc database of a known schema version,
    Conflict while another process (the server) has the store open, or when the store holds data and `force` is
    not set. On any refusal or failure the store is left as it was.
    """
    if not source.is_file():
        raise NotFound(f"there is no file at {source}")
    private_folder(database.parent)
    staged = database.with_name(f".{database.name}.restoring-{os.getpid()}")
    try:
        _stage(source, staged)
        summary = check(staged, shown_as=source)
        with _locked(database, force):
            previous = _keep_aside(database, now) if database.exists() else None
            _flush(staged)
            os.replace(staged, database)
            _flush(database.parent)
    finally:
        _remove(staged)
    return Restored(StoreSummary(database, *_fields(summary)), previous)


def check(path: Path, shown_as: Path | None = None) -> StoreSummary:
    """Summarise the database at `path` after checking it is a sound scc store; raise InvalidInput if not.

    Messages name `shown_as` (the file the user gave) when `path` is a copy of it."""
    try:
        with _closing(_open(path, "ro")) as connection:
            return _summary(path, connection, shown_as or path)
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"{shown_as or path} is not a sound scc database: {error}") from None


def describe_counts(summary: StoreSummary, only_held: bool = False) -> str:
    counts = {name: count for name, count in summary.counts.items() if count or not only_held}
    return ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in counts.items())


def _summary(path: Path, connection: sqlite3.Connection, shown: Path) -> StoreSummary:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise InvalidInput(f"{shown} failed its integrity check: {'; '.join(map(str, result[:5]))}")
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    if version < 1 or not REQUIRED_TABLES <= tables:
        raise InvalidInput(f"{shown} is an SQLite database but not an scc store (no scc tables)")
    if version > latest_schema_version():
        raise InvalidInput(
            f"{shown} has schema version {version}, newer than this scc knows "
            f"({latest_schema_version()}): restore it with a newer scc"
        )
    counts = {name: int(connection.execute(query).fetchone()[0]) for name, query in COUNTED.items()}
    total = int(connection.execute(LEDGER_TOTAL).fetchone()[0])
    return StoreSummary(path, path.stat().st_size, version, counts, total)


def _fields(summary: StoreSummary) -> tuple[int, int, dict[str, int], int]:
    return summary.size_bytes, summary.schema_version, summary.counts, summary.ledger_total_cents


def _open(path: Path, mode: str) -> sqlite3.Connection:
    """A connection that never creates the file; `busy_timeout` covers a writer holding the lock for a moment."""
    return sqlite3.connect(f"file:{path}?mode={mode}", uri=True, isolation_level=None, timeout=5)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress | None) -> None:
    """Copy in steps so progress can be shown; a step-wise copy starts over whenever another connection writes,
    so after a few restarts the rest is copied in one step (one read transaction, which writers do not wait for)."""
    seen = {"remaining": -1, "restarts": 0}

    def watch(status: int, remaining: int, total: int) -> None:
        if remaining >= seen["remaining"] >= 0:  # no progress: the copy started over
            seen["restarts"] += 1
            if seen["restarts"] >= RESTARTS_BEFORE_ONE_STEP:
                raise _Restarted
        seen["remaining"] = remaining
        if progress is not None:
            progress(total - remaining, total)

    try:
        source.backup(target, pages=STEP_PAGES, progress=watch)
    except _Restarted:
        source.backup(target, pages=-1)


def _stage(source: Path, staged: Path) -> None:
    """Copy `source` to `staged` with the backup API (a consistent copy even of a WAL file), as one file."""
    _remove(staged)
    try:
        create_private(staged)
        with _closing(_open(source, "ro")) as reader, _closing(sqlite3.connect(staged)) as copy:
            reader.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"{source} is not an scc database: {error}") from None


@contextlib.contextmanager
def _locked(database: Path, force: bool) -> Iterator[None]:
    """Hold the store's exclusive lock while the body replaces it. Refused while another process has the store
    open, and when it holds data unless `force`. The store is taken out of WAL mode first, so its file is the
    whole database (and no WAL file is left for the new store to pick up)."""
    if not database.exists():
        wal = database.with_name(database.name + "-wal")
        if wal.exists() and wal.stat().st_size:  # it would be replayed into the restored database
            raise Conflict(f"{wal} is there without its database: move it away first; nothing was changed")
        yield
        return
    with _closing(sqlite3.connect(database, isolation_level=None, timeout=0)) as connection:
        readable = True
        try:
            connection.execute("PRAGMA locking_mode = EXCLUSIVE")
            connection.execute("BEGIN EXCLUSIVE")
            held = _held(database, connection)
            connection.execute("COMMIT")  # the lock stays: EXCLUSIVE locking mode keeps it until the close
        except sqlite3.OperationalError as error:
            raise Conflict(f"the store at {database} is in use ({error}): stop `scc serve` first") from None
        except sqlite3.DatabaseError as error:  # not a database at all: nothing to fold in, only to keep aside
            held, readable = f"a file that is not an SQLite database ({error})", False
        if held is not None and not force:
            raise Conflict(
                f"the store at {database} holds {held}; use --force to replace it (it is kept aside, not deleted)"
            )
        if readable:
            _leave_wal(database, connection)
        yield


def _leave_wal(database: Path, connection: sqlite3.Connection) -> None:
    """Fold the WAL into the database file and delete it: a WAL left beside the store's name would be replayed
    into the restored database when it is next opened."""
    mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    wal = database.with_name(database.name + "-wal")
    if mode != "delete" or (wal.exists() and wal.stat().st_size):
        raise Conflict(f"could not fold {wal} into the store (journal mode {mode}); nothing was changed")


def _held(database: Path, connection: sqlite3.Connection) -> str | None:
    try:
        summary = _summary(database, connection, database)
    except InvalidInput as error:
        return f"a store that fails its checks: {error.message}"
    return None if summary.empty else describe_counts(summary, only_held=True)


def _keep_aside(database: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    aside = database.with_name(f"{database.name}.before-restore-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = database.with_name(f"{database.name}.before-restore-{stamp}-{number}")
    try:
        os.link(database, aside)
    except OSError:  # a file system without hard links: a copy (the store is locked and out of WAL mode)
        shutil.copy2(database, aside)
        _flush(aside)
    _flush(database.parent)
    return aside


def _flush(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal")):
        leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()
