"""The failed sign-in count every store keeps: a claim is counted before the password is checked, atomically."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.password_tags import PasswordTag
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.ports import Store
from tests.contract.dynamodb import dynamodb_store
from tests.moto_server import REGION, moto_server

NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "dynamodb":
        yield from dynamodb_store()
        return
    opened = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "dynamodb"])
def crowded_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store for claims from many threads at once. DynamoDB's is on a moto server answering one request at a
    time, as DynamoDB applies each conditional write alone; moto's in-process mock does not (its threads race)."""
    if request.param == "sqlite":
        opened = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
        yield opened
        opened.close()
        return
    import boto3

    from shipcaptaincrew.adapters.dynamodb import DynamoDbStore, create_table

    url = request.getfixturevalue("moto")
    made = boto3.client(
        "dynamodb", region_name=REGION, endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    table = f"scc-{uuid.uuid4().hex[:8]}"
    create_table(made, table)
    store = DynamoDbStore(table, DEFAULT_PERIODS, client=made)
    yield store
    store.close()


def claim(store: Store, client: str, at: datetime = NOW, limit: int = 5) -> str | None:
    with store.writing() as uow:
        return uow.credentials.claim_sign_in_attempt(client, at, at - WINDOW, limit)


def failed(store: Store, client: str, at: datetime = NOW) -> str:
    attempt = claim(store, client, at)
    assert attempt is not None
    with store.writing() as uow:
        uow.credentials.record_failed_sign_in(client, attempt, at, at - WINDOW)
    return attempt


def failures(store: Store, client: str | None, at: datetime = NOW, limit: int = 100) -> list[datetime]:
    with store.reading() as uow:
        return uow.credentials.failed_sign_ins(client, at - WINDOW, limit)


def test_a_client_gets_five_claims_and_the_sixth_is_refused_without_being_counted(store: Store) -> None:
    claims = [claim(store, "mallory", NOW + timedelta(seconds=n)) for n in range(6)]

    assert all(claims[:5]) and claims[5] is None
    assert len(failures(store, "mallory", NOW + timedelta(seconds=6))) == 5
    assert claim(store, "alice") is not None


def test_thirty_concurrent_claims_from_one_client_get_at_most_five(crowded_store: Store) -> None:
    with ThreadPoolExecutor(max_workers=10) as pool:
        claims = list(pool.map(lambda _: claim(crowded_store, "mallory"), range(30)))

    assert Counter(attempt is not None for attempt in claims) == {True: 5, False: 25}
    assert len(failures(crowded_store, "mallory")) == 5


def test_a_claim_is_free_again_once_the_oldest_failure_has_left_the_window(store: Store) -> None:
    for n in range(5):
        failed(store, "mallory", NOW + timedelta(minutes=n))

    assert claim(store, "mallory", NOW + WINDOW - timedelta(seconds=1)) is None  # the first is inside, by a second
    assert claim(store, "mallory", NOW + WINDOW) is not None
    assert claim(store, "mallory", NOW + WINDOW + timedelta(seconds=1)) is None


def test_failures_count_newest_first_per_client_and_in_everyones_total(store: Store) -> None:
    at = [NOW + timedelta(minutes=minute) for minute in range(6)]
    for moment, client in zip(at, ["mallory", "mallory", "alice", "mallory", "alice", "mallory"], strict=True):
        failed(store, client, moment)

    later = at[0] + WINDOW  # at[0] has just left the window
    assert failures(store, "mallory", later) == [at[5], at[3], at[1]]
    assert failures(store, "mallory", later, limit=2) == [at[5], at[3]]
    assert failures(store, None, later) == [at[5], at[4], at[3], at[2], at[1]]


def test_an_attempt_whose_password_was_never_checked_counts_nowhere(store: Store) -> None:
    attempt = claim(store, "alice")
    assert attempt is not None

    with store.writing() as uow:
        uow.credentials.forget_sign_in_attempt("alice", attempt)

    assert failures(store, "alice") == []
    assert failures(store, None) == []


def test_a_sign_in_clears_the_clients_failures_but_not_everyones(store: Store) -> None:
    for n in range(4):
        failed(store, "alice", NOW + timedelta(seconds=n))
    attempt = claim(store, "alice", NOW + timedelta(seconds=5))
    assert attempt is not None

    with store.writing() as uow:
        uow.credentials.clear_failed_sign_ins("alice", attempt)

    later = NOW + timedelta(seconds=6)
    assert failures(store, "alice", later) == []
    assert len(failures(store, None, later)) == 4
    assert all(claim(store, "alice", later) for _ in range(5))


def test_failed_sign_ins_change_no_generation(store: Store) -> None:
    before = store.generations()

    failed(store, "mallory")

    assert store.generations() == before


def test_the_password_tag_reads_back_as_stored_and_a_new_one_replaces_it(store: Store) -> None:
    first, second = (
        PasswordTag("0011223344556677", "89abcdef", "a5c"),
        PasswordTag("8899aabbccddeeff", "89abcdef", "07f"),
    )
    with store.reading() as uow:
        assert uow.credentials.admin_password_tag() is None

    with store.writing() as uow:
        uow.credentials.set_admin_password_hash("$argon2id$x")
        uow.credentials.set_admin_password_tag(first)
    with store.writing() as uow:
        uow.credentials.set_admin_password_tag(second)

    with store.reading() as uow:
        assert uow.credentials.admin_password_tag() == second
        assert uow.credentials.admin_password_hash() == "$argon2id$x", "the tag is kept beside the hash, not over it"
