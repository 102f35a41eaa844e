"""The storage contract: what every store must do. Runs against each adapter: SQLite, and DynamoDB (moto)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.bookings import Event, Patron, PaymentState, new_event
from shipcaptaincrew.domain.errors import SlugTaken, StaleVersion
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.ports import Store
from tests.builders import event_details
from tests.contract.dynamodb import dynamodb_store

NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "dynamodb":
        yield from dynamodb_store()
        return
    opened = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield opened
    opened.close()


def booked(first_name: str = "Sarah", day: date = date(2026, 5, 23), period: str = "pm") -> Event:
    return new_event(event_details(day, period, first_name), None, DEFAULT_PERIODS, NOW, f"nonce-of-{first_name}")


def add(store: Store, *events: Event) -> None:
    with store.writing() as uow:
        for event in events:
            uow.events.add(event)


def test_an_added_event_reads_back_equal(store: Store) -> None:
    event = booked()
    add(store, event)

    with store.reading() as uow:
        found = uow.events.get(event.slug)
    assert found is not None and found.key
    assert replace(found, key="") == event


def test_a_second_event_with_the_same_slug_is_refused(store: Store) -> None:
    add(store, booked())

    with pytest.raises(SlugTaken):
        add(store, booked())


def test_a_unit_of_work_that_fails_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.writing() as uow:
        uow.events.add(booked("Al"))
        uow.audit.append("event.created", "test", NOW, {"slug": "x"})
        raise RuntimeError("the use case failed after its first write")

    with store.reading() as uow:
        assert uow.events.count() == 0


def test_save_refuses_a_stale_version(store: Store) -> None:
    event = booked()
    add(store, event)
    with store.writing() as uow:
        uow.events.save(replace(event, version=2), expected_version=1)

    with pytest.raises(StaleVersion), store.writing() as uow:
        uow.events.save(replace(event, version=2), expected_version=1)


def test_a_renamed_event_answers_to_both_slugs(store: Store) -> None:
    add(store, booked())

    with store.writing() as uow:
        uow.events.rename("2026-05-23-sarah-pm", "2026-05-23-sally-pm")

    with store.reading() as uow:
        assert uow.events.get("2026-05-23-sarah-pm").slug == "2026-05-23-sally-pm"  # type: ignore[union-attr]
        assert uow.events.aliases("2026-05-23-sally-pm") == ["2026-05-23-sarah-pm"]


def test_the_window_is_ordered_by_date_then_period_start_then_slug(store: Store) -> None:
    add(
        store,
        booked("Cy", period="sunset"),
        booked("Al", period="pm"),
        booked("Bo", period="am"),
        booked("Di", day=date(2026, 5, 22)),
        booked("Ed", day=date(2026, 5, 24)),
    )

    with store.reading() as uow:
        slugs = [event.slug for event in uow.events.list_window(date(2026, 5, 23), date(2026, 5, 23), None, 10)]
        key = ("2026-05-23", "13:00", "2026-05-23-al-pm")
        after = [event.slug for event in uow.events.list_window(date(2026, 5, 23), date(2026, 5, 24), key, 10)]

    assert slugs == ["2026-05-23-bo-am", "2026-05-23-al-pm", "2026-05-23-cy-sunset"]
    assert after == ["2026-05-23-cy-sunset", "2026-05-24-ed-pm"]


def test_credentials_and_revoked_tokens_persist(store: Store) -> None:
    with store.writing() as uow:
        uow.credentials.set_admin_password_hash("$argon2id$first")
        uow.credentials.set_admin_password_hash("$argon2id$second")
        uow.credentials.revoke("token-1", datetime(2099, 1, 1, tzinfo=UTC), NOW)

    with store.reading() as uow:
        assert uow.credentials.admin_password_hash() == "$argon2id$second"
        assert uow.credentials.is_revoked("token-1")
        assert not uow.credentials.is_revoked("token-2")


def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    with store.reading() as uow:
        connection = uow._connection  # the adapter's own connection, as the app uses it

        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA user_version").fetchone()[0] >= 1
    store.close()


def test_sqlite_refuses_to_change_or_delete_the_audit_log(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    with store.writing() as uow:
        uow.audit.append("event.created", "test", NOW, {"slug": "x"})
    store.close()
    raw = sqlite3.connect(tmp_path / "scc.sqlite3")

    for statement in ["UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"]:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute(statement)
    raw.close()


def test_reopening_a_store_does_not_run_migrations_again(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS).close()
    store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    add(store, booked())
    store.close()

    reopened = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    with reopened.reading() as uow:
        assert uow.events.count() == 1
    reopened.close()


def test_the_generation_moves_with_every_change_a_reader_may_cache(store: Store) -> None:
    seen = [store.generations()]

    def changed() -> bool:
        seen.append(store.generations())
        return seen[-1] != seen[-2]

    event = booked()
    add(store, event)
    assert changed()
    with store.writing() as uow:
        uow.events.save(replace(event, version=2), expected_version=1)
    assert changed()
    with store.writing() as uow:
        uow.events.set_payment_state(event.slug, PaymentState(100, NOW))
    assert changed() and seen[-1].auth == seen[-2].auth, "a payment leaves the sign-in cache alone"
    with store.writing() as uow:
        uow.events.rename(event.slug, "2026-05-23-sally-pm")
    assert changed()
    with store.writing() as uow:
        uow.credentials.set_admin_password_hash("$argon2id$x")
    assert changed() and seen[-1].data == seen[-2].data, "sign-in changes leave cached pages alone"
    with store.writing() as uow:
        uow.credentials.revoke("token-1", datetime(2099, 1, 1, tzinfo=UTC), NOW)
    assert changed()
    with store.reading() as uow:
        uow.events.count()
    assert not changed()


def test_a_payment_moves_the_paid_state_from_what_was_read_and_a_reversal_moves_it_back(store: Store) -> None:
    event = replace(booked(), details=replace(booked().details, amount_due_cents=100_00))
    add(store, event)
    paid = PaymentState(120_00, NOW)

    with store.writing() as uow:
        read = uow.events.get(event.slug)
        assert read is not None
        uow.events.move_payment_state(read, paid)
    with store.writing() as uow:
        read = uow.events.get(event.slug)
        assert read is not None and read.payment == paid
        uow.events.move_payment_state(read, PaymentState(20_00, None))

    with store.reading() as uow:
        found = uow.events.get(event.slug)
    assert found is not None and found.payment == PaymentState(20_00, None) and found.version == 1


def test_a_search_finds_every_word_on_any_date_whatever_the_case_and_a_phone_by_its_digits(store: Store) -> None:
    kwame = new_event(
        replace(event_details(date(2027, 1, 12), "am", "Kwame"), patron=Patron("Kwame", "Mensah", "", "+1 555 0177")),
        None,
        DEFAULT_PERIODS,
        NOW,
        "nonce-of-kwame",
    )
    add(store, booked("José", date(2025, 3, 2)), booked(), kwame)

    with store.reading() as uow:
        assert [e.slug for e in uow.events.search(("kwame",), 10)] == ["2027-01-12-kwame-am"]
        assert [e.slug for e in uow.events.search(("5550177", "mensah"), 10)] == ["2027-01-12-kwame-am"]
        assert [e.slug for e in uow.events.search(("josé",), 10)] == ["2025-03-02-jose-pm"]
        assert [e.slug for e in uow.events.search(("lopez",), 10)] == ["2025-03-02-jose-pm", "2026-05-23-sarah-pm"]
        assert [e.slug for e in uow.events.search(("lopez",), 1)] == ["2025-03-02-jose-pm"]
        assert uow.events.search(("nobody",), 10) == []
