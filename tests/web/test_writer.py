"""The web process's writer thread on a real SQLite file: use cases share COMMITs, and each request is answered
only once the COMMIT holding its change has returned, with its own result or its own error."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.errors import InvalidInput, Unavailable
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.web.writer import Writer

MOMENT = datetime(2026, 5, 23, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield opened
    opened.close()


def audited(store: SqliteStore) -> set[str]:
    """The audit actions a fresh connection (another process) finds committed."""
    reader = sqlite3.connect(store.path)
    try:
        return {row[0] for row in reader.execute("SELECT action FROM audit WHERE action LIKE 'test.%'")}
    finally:
        reader.close()


def record(store: SqliteStore, action: str, seen: dict[str, bool]) -> str:
    """A use case that writes one audit entry; notes whether anything of it was visible before it returned."""
    with store.writing() as uow:
        uow.audit.append(action, "test", MOMENT, {})
    seen[action] = action in audited(store)
    return action


def refuse(store: SqliteStore, action: str) -> str:
    with store.writing() as uow:
        uow.audit.append(action, "test", MOMENT, {})
        raise InvalidInput("amount must be positive", "amount")


async def submit_all(writer: Writer, calls: list[tuple[object, ...]]) -> list[object]:
    """Queue every call before the writer can take the first, so they make one batch; each result or error."""
    return await asyncio.gather(*(writer.run(*call) for call in calls), return_exceptions=True)


def test_queued_use_cases_share_one_commit_and_each_answer_comes_after_it(store: SqliteStore) -> None:
    commits: list[str] = []
    seen: dict[str, bool] = {}
    writer = Writer(store)
    store._writes.connection.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    answered_with: list[set[str]] = []

    async def main() -> list[object]:
        async def one(action: str) -> object:
            result = await writer.run(record, store, action, seen)
            answered_with.append(audited(store))  # what is durable at the moment of the answer
            return result

        return await asyncio.gather(*(one(f"test.{n}") for n in range(10)))

    results = asyncio.run(main())
    writer.stop()

    assert results == [f"test.{n}" for n in range(10)]
    assert seen == {f"test.{n}": False for n in range(10)}  # nothing was committed while the batch ran
    assert all(len(durable) == 10 for durable in answered_with)
    assert len(commits) < 10


def test_a_use_case_that_raises_gets_its_own_error_and_the_others_are_kept(store: SqliteStore) -> None:
    writer = Writer(store)
    seen: dict[str, bool] = {}

    calls = [(record, store, "test.before", seen), (refuse, store, "test.refused"), (record, store, "test.after", seen)]
    results = asyncio.run(submit_all(writer, calls))
    writer.stop()

    assert results[0] == "test.before" and results[2] == "test.after"
    assert isinstance(results[1], InvalidInput) and results[1].field == "amount"
    assert audited(store) == {"test.before", "test.after"}


def test_a_commit_that_fails_answers_each_use_case_in_it_unavailable_and_keeps_nothing(store: SqliteStore) -> None:
    writer = Writer(store)
    connection = store._writes.connection
    connection.execute("PRAGMA defer_foreign_keys = ON")  # a broken reference is then refused only at COMMIT

    def orphan_assignment(store: SqliteStore) -> str:
        with store.writing():
            connection.execute(
                "INSERT INTO ledger (id, event_id, kind, amount_cents, method, patron_name, actor,"
                " recorded_at) VALUES ('orphan', 999, 'payment', 100, 'cash', 'A', 'test', 'now')"
            )
        return "orphan"

    seen: dict[str, bool] = {}
    results = asyncio.run(submit_all(writer, [(record, store, "test.innocent", seen), (orphan_assignment, store)]))
    writer.stop()
    connection.execute("PRAGMA defer_foreign_keys = OFF")

    assert all(isinstance(result, Unavailable) for result in results), results
    assert "try again" in str(results[0])
    assert audited(store) == set()


def test_stopping_the_writer_finishes_what_is_queued_first(store: SqliteStore) -> None:
    writer = Writer(store)
    seen: dict[str, bool] = {}

    async def main() -> None:
        pending = [asyncio.ensure_future(writer.run(record, store, f"test.{n}", seen)) for n in range(5)]
        await asyncio.sleep(0)
        await asyncio.to_thread(writer.stop)
        await asyncio.gather(*pending)

    asyncio.run(main())

    assert audited(store) == {f"test.{n}" for n in range(5)}
