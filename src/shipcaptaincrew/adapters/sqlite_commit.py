"""Group commit: the write transactions of this process's threads share SQLite transactions and COMMITs.

A COMMIT in WAL mode with synchronous=FULL waits for an fsync, and the write lock is held meanwhile, so with
one COMMIT per use case the disk sets the pace of every write. Here writers take turns on one connection;
each runs its unit of work inside a SAVEPOINT of a transaction the first of them began. A writer that
finishes while others wait for their turn hands the transaction on instead of committing; the last one
commits for all. Nobody is answered before the COMMIT that holds their changes has returned, so an
acknowledged write is as durable as before, and a COMMIT that fails fails every unit in it (nothing of them
was answered yet; each caller sees Unavailable and may retry with its Idempotency-Key).

A unit that raises is rolled back to its savepoint: the units before it in the batch keep their changes.
Units see the changes of earlier units in the same batch, exactly as if those had committed first, which is
the order they took their turns in.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from shipcaptaincrew.domain.errors import Unavailable

MAX_BATCH = 32  # units per COMMIT: bounds how long the first of them waits for its answer
POLL_SECONDS = 0.05  # a waiting member looks this often for an open batch nobody is left to commit
LOCK_POLL_SECONDS = 0.0005  # how often to try for the write lock while another process holds it
STREAK_SECONDS = 0.05  # after writing back to back this long, leave the lock free for a moment:
BREATHER_SECONDS = 0.002  # long enough for another process's next try (LOCK_POLL_SECONDS) to find it free


class Batch:
    """One SQLite transaction shared by several units of work."""

    def __init__(self) -> None:
        self.members = 0  # units whose changes are in it and wait for its COMMIT
        self.done = threading.Event()
        self.failure: str | None = None


class GroupCommit:
    def __init__(self, connection: sqlite3.Connection, wait_seconds: float) -> None:
        """`connection`: used only by the thread whose turn it is. `wait_seconds`: the longest wait for a turn,
        and for the write lock."""
        connection.execute("PRAGMA busy_timeout = 0")  # `_begin_immediate` waits for the lock itself
        self.connection = connection
        self._wait_seconds = wait_seconds
        self._turn = threading.Lock()
        self._counting = threading.Lock()
        self._waiting = 0
        self._batch: Batch | None = None
        self._streak_began = self._last_commit = 0.0

    def begin(self) -> Batch:
        """Wait for this thread's turn and open a savepoint for its unit; Unavailable if the store stays busy."""
        with self._counting:
            self._waiting += 1
        try:
            turn = self._turn.acquire(timeout=self._wait_seconds)
        finally:
            with self._counting:
                self._waiting -= 1
        if not turn:
            raise Unavailable("the database is busy with other changes; try again")
        try:
            batch = self._open_batch()
            self.connection.execute("SAVEPOINT unit")
        except sqlite3.Error as error:
            self._abandon(f"the database is busy or unavailable ({error})")
            self._turn.release()
            raise Unavailable(f"the database is busy or unavailable ({error}); try again") from None
        return batch

    def finish(self, batch: Batch, succeeded: bool) -> None:
        """End this thread's unit: keep its changes or undo them, then commit or hand the turn on.

        Returns when a kept unit's changes are committed; raises Unavailable if that COMMIT failed.
        """
        try:
            self._end_unit(batch, succeeded)
            if batch is self._batch and not (batch.members and self._others_wait(batch)):
                self._commit(batch)
        finally:
            self._turn.release()
        if succeeded:
            self._await(batch)

    def close(self) -> None:
        self.connection.close()

    def _open_batch(self) -> Batch:
        if self._batch is None:
            self._begin_immediate()
            self._batch = Batch()
        return self._batch

    def _begin_immediate(self) -> None:
        """Take the write lock, trying every LOCK_POLL_SECONDS while another process holds it.

        SQLite's own busy handler sleeps in growing steps, up to 100 ms; a process that writes back to back
        (a busy server's batches) frees the lock only for a moment between COMMIT and its next BEGIN, so another
        process (the delivery process, the CLI) that looks that seldom would hardly ever get a turn. So every
        process tries often, and one that has written back to back for STREAK_SECONDS pauses before its next
        BEGIN for longer than the others' tries are apart.
        """
        now = time.monotonic()
        if now - self._last_commit > BREATHER_SECONDS:
            self._streak_began = now  # the lock was free a while: a new streak of writes
        elif now - self._streak_began > STREAK_SECONDS:
            time.sleep(BREATHER_SECONDS)  # let a writer in another process have a turn
            self._streak_began = time.monotonic()
        deadline = time.monotonic() + self._wait_seconds
        while True:
            try:
                self.connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise
            time.sleep(LOCK_POLL_SECONDS)

    def _end_unit(self, batch: Batch, succeeded: bool) -> None:
        try:
            if succeeded:
                self.connection.execute("RELEASE unit")
                batch.members += 1
                return
            self.connection.execute("ROLLBACK TO unit")
            self.connection.execute("RELEASE unit")
        except sqlite3.Error as error:
            # SQLite rolls the whole transaction back by itself after some errors (disk full, I/O): the batch
            # is gone, and with it every unit in it.
            self._abandon(f"the change could not be saved ({error}); nothing was written")

    def _others_wait(self, batch: Batch) -> bool:
        with self._counting:
            return self._waiting > 0 and batch.members < MAX_BATCH

    def _commit(self, batch: Batch) -> None:
        try:
            if batch.members:
                self.connection.execute("COMMIT")
            elif self.connection.in_transaction:
                self.connection.execute("ROLLBACK")  # nothing kept: no fsync for an empty transaction
        except sqlite3.Error as error:
            self._abandon(f"the change could not be saved ({error}); nothing was written")
            return
        finally:
            self._last_commit = time.monotonic()
        self._close_batch(batch, None)

    def _abandon(self, failure: str) -> None:
        """Undo the open batch, if any, and tell its members their changes are lost."""
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
        if self._batch is not None:
            self._close_batch(self._batch, failure)

    def _close_batch(self, batch: Batch, failure: str | None) -> None:
        batch.failure = failure
        self._batch = None
        batch.done.set()

    def _await(self, batch: Batch) -> None:
        """Wait for the batch's COMMIT. Should the writer it was handed to have given up waiting for its turn,
        nobody would be left to commit: then whoever finds the turn free and the batch still open commits it."""
        while not batch.done.wait(POLL_SECONDS):
            if self._turn.acquire(blocking=False):
                try:
                    if batch is self._batch:
                        self._commit(batch)
                finally:
                    self._turn.release()
        if batch.failure is not None:
            raise Unavailable(batch.failure)
