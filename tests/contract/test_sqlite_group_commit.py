"""Group commit on a real SQLite file: writers that overlap share COMMITs, and nobody is answered too early."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import connect
from shipcaptaincrew.adapters.sqlite_commit import GroupCommit
from shipcaptaincrew.domain.errors import Unavailable

SCHEMA = """
CREATE TABLE charter (id INTEGER PRIMARY KEY);
CREATE TABLE payment (id TEXT PRIMARY KEY, charter_id INTEGER NOT NULL REFERENCES charter (id));
INSERT INTO charter (id) VALUES (1);
"""


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "group.sqlite3"
    setup = connect(path)
    setup.executescript(SCHEMA)
    setup.close()
    return path


@pytest.fixture
def writes(database: Path) -> Iterator[GroupCommit]:
    group = GroupCommit(connect(database), wait_seconds=5)
    yield group
    group.close()


def pay(group: GroupCommit, payment_id: str, charter_id: int = 1) -> None:
    """One unit of work: insert a payment, then commit or hand on, as SqliteUnitOfWork does."""
    batch = group.begin()
    try:
        group.connection.execute("INSERT INTO payment (id, charter_id) VALUES (?, ?)", (payment_id, charter_id))
    except BaseException:
        group.finish(batch, succeeded=False)
        raise
    group.finish(batch, succeeded=True)


def payments_in(database: Path) -> set[str]:
    """What a fresh connection (another process, after a restart) finds committed."""
    reader = sqlite3.connect(database)
    try:
        return {row[0] for row in reader.execute("SELECT id FROM payment")}
    finally:
        reader.close()


def wait_until_someone_waits(group: GroupCommit) -> None:
    deadline = time.monotonic() + 5
    while group._waiting == 0:
        assert time.monotonic() < deadline, "the second writer never queued"
        time.sleep(0.001)


def test_overlapping_writers_share_commits_and_each_is_answered_only_once_its_payment_is_committed(
    database: Path, writes: GroupCommit
) -> None:
    commits: list[str] = []
    writes.connection.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    not_yet_visible: list[str] = []

    def writer(number: int) -> None:
        for index in range(25):
            payment_id = f"p{number}-{index}"
            pay(writes, payment_id)
            if payment_id not in payments_in(database):  # answered: it must be durable already
                not_yet_visible.append(payment_id)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not_yet_visible == []
    assert len(payments_in(database)) == 200
    assert len(commits) < 200  # some payments shared a COMMIT


def in_one_batch(
    writes: GroupCommit, first_payment: str, second_payment: str, second_charter: int = 1
) -> dict[str, str]:
    """The first writer inserts its payment and, once the second has queued for its turn, hands it the open
    transaction; the second inserts its own. What each was told: answered, or the error it got."""
    first_inside, second_queued = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        batch = writes.begin()
        writes.connection.execute("INSERT INTO payment (id, charter_id) VALUES (?, 1)", (first_payment,))
        first_inside.set()
        second_queued.wait(5)
        outcomes["first"] = told(lambda: writes.finish(batch, succeeded=True))

    def second() -> None:
        first_inside.wait(5)
        outcomes["second"] = told(lambda: pay(writes, second_payment, second_charter))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    wait_until_someone_waits(writes)
    second_queued.set()
    for thread in threads:
        thread.join()
    return outcomes


def told(write: Callable[[], None]) -> str:
    try:
        write()
    except (Unavailable, sqlite3.Error) as error:
        return f"{type(error).__name__}: {error}"
    return "answered"


def test_a_unit_that_fails_loses_only_its_own_change_not_those_before_it_in_the_batch(
    database: Path, writes: GroupCommit
) -> None:
    outcomes = in_one_batch(writes, "kept", "kept")  # the second is a duplicate key: it fails in the shared transaction

    assert outcomes == {"first": "answered", "second": "IntegrityError: UNIQUE constraint failed: payment.id"}
    assert payments_in(database) == {"kept"}


def test_a_commit_that_fails_answers_every_writer_in_it_unavailable_and_keeps_nothing(
    database: Path, writes: GroupCommit
) -> None:
    # A foreign key checked only at COMMIT makes SQLite itself refuse the shared transaction's COMMIT.
    writes.connection.execute("PRAGMA defer_foreign_keys = ON")

    outcomes = in_one_batch(writes, "innocent", "orphan", second_charter=99)

    assert outcomes["second"].startswith("Unavailable")
    assert outcomes["first"].startswith("Unavailable") and "nothing was written" in outcomes["first"]
    assert payments_in(database) == set()
    writes.connection.execute("PRAGMA defer_foreign_keys = OFF")
    pay(writes, "after")  # the store goes on working
    assert payments_in(database) == {"after"}


def test_a_writer_that_cannot_get_a_turn_in_time_is_told_the_store_is_busy(database: Path) -> None:
    group = GroupCommit(connect(database), wait_seconds=0.05)
    holding = group.begin()
    failure: list[Exception] = []

    def impatient() -> None:
        try:
            pay(group, "late")
        except Unavailable as error:
            failure.append(error)

    thread = threading.Thread(target=impatient)
    thread.start()
    thread.join()
    group.finish(holding, succeeded=True)
    group.close()

    assert [str(error) for error in failure] == ["the database is busy with other changes; try again"]
    assert payments_in(database) == set()


HOG = """
import sys, time
from pathlib import Path
from shipcaptaincrew.adapters.sqlite import connect
from shipcaptaincrew.adapters.sqlite_commit import GroupCommit
writes, number = GroupCommit(connect(Path(sys.argv[1])), wait_seconds=5), 0
print("writing", flush=True)
deadline = time.monotonic() + 10
while time.monotonic() < deadline and not Path(sys.argv[2]).exists():
    batch = writes.begin()
    writes.connection.execute("INSERT INTO payment (id, charter_id) VALUES (?, 1)", (f"server-{number}",))
    time.sleep(0.005)  # a batch of requests' work, with the lock held
    writes.finish(batch, succeeded=True)
    number += 1
"""


def test_another_process_gets_turns_while_a_busy_server_writes_back_to_back(database: Path, tmp_path: Path) -> None:
    done = tmp_path / "done"
    with subprocess.Popen(
        [sys.executable, "-c", HOG, str(database), str(done)], stdout=subprocess.PIPE, text=True
    ) as server:
        assert server.stdout is not None and server.stdout.readline() == "writing\n"
        other = GroupCommit(connect(database), wait_seconds=5)
        began = time.monotonic()
        try:
            for number in range(10):
                pay(other, f"delivery-{number}")
            took = time.monotonic() - began
        finally:
            done.touch()
            server.wait(15)
            other.close()

    assert {f"delivery-{number}" for number in range(10)} <= payments_in(database)
    assert any(payment.startswith("server-") for payment in payments_in(database))
    assert took < 2.0, f"10 writes took {took:.1f} s against a busy server"


def test_a_writer_is_told_the_store_is_busy_when_another_process_keeps_the_lock_past_its_wait(database: Path) -> None:
    holder = sqlite3.connect(database, isolation_level=None)  # as another process mid-transaction
    holder.execute("BEGIN IMMEDIATE")
    group = GroupCommit(connect(database), wait_seconds=0.2)
    began = time.monotonic()
    try:
        with pytest.raises(Unavailable, match="busy or unavailable"):
            pay(group, "blocked")
        waited = time.monotonic() - began
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    pay(group, "after")  # the lock is free again: the same writer goes on
    group.close()

    assert 0.2 <= waited < 2.0
    assert payments_in(database) == {"after"}
