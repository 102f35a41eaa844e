"""The storage contract under a crowd: honest writers at the same moment all succeed, on every store.

Real threads through the use cases, on SQLite (a file: the write lock queues them) and on DynamoDB (a moto server
on loopback that answers one request at a time, as DynamoDB's transactions are isolated: the use cases interleave
between their reads and their commits, and the ones that lose a race run again).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shipcaptaincrew.adapters.dynamodb import DynamoDbStore, create_table
from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.bookings import EventChanges
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.domain.waivers import SignatureDraft
from shipcaptaincrew.services import booking, payments, waiver_audit, waivers
from shipcaptaincrew.services.context import Context
from tests.builders import event_details, set_waiver, sign_waiver
from tests.fakes import FakeClock, FakeMailer
from tests.moto_server import CREDENTIALS, REGION, moto_server

KEYS = Keys.derive(b"concurrency-contract-key-0123456789ab")
SIGNERS, PAYERS = 8, 8


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "dynamodb"])
def ctx(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Context]:
    if request.param == "dynamodb":
        for name, value in CREDENTIALS.items():
            monkeypatch.setenv(name, value)
        url = request.getfixturevalue("moto")
        import boto3

        client = boto3.client("dynamodb", region_name=REGION, endpoint_url=url)
        table = f"scc-{uuid.uuid4().hex[:8]}"
        create_table(client, table)
        store: Any = DynamoDbStore(table, DEFAULT_PERIODS, client=client)
    else:
        store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
    store.close()


def at_once(calls: list[Callable[[], object]]) -> list[object]:
    barrier = threading.Barrier(len(calls))

    def released(call: Callable[[], object]) -> object:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(released, calls))


def draft(ctx: Context, name: str) -> SignatureDraft:
    version = waivers.current_waiver(ctx) or set_waiver(ctx)
    return SignatureDraft(
        name, "", "", date(1990, 1, 1), "Rui", "+1 555 0100", name, True, True, version.id, version.sha256
    )


def test_a_party_signing_dispatchers_paying_and_an_edit_all_at_once_are_all_saved(ctx: Context) -> None:
    slug = booking.create_event(ctx, event_details(party_size=SIGNERS, amount_due_cents=5000_00), "test").slug
    forms = [draft(ctx, f"Guest Number {n}") for n in range(SIGNERS)]
    amounts = [100_00 + 7 * n for n in range(PAYERS)]
    signing = [lambda form=form: sign_waiver(ctx, slug, form) for form in forms]
    paying = [
        lambda cents=cents: payments.log_payment(ctx, slug, PaymentDraft(cents, "cash", "Sarah"), "admin")
        for cents in amounts
    ]
    editing = [lambda: booking.update_event(ctx, slug, EventChanges(notes="Bring ice"), 1, "admin")]

    at_once([*signing, *paying, *editing])

    statement = payments.statement(ctx, slug)
    event, records = waivers.signatures(ctx, slug)
    assert sorted(line.amount_cents for line in statement.entries) == sorted(amounts)
    assert (event.payment.paid_cents, event.waivers_signed) == (sum(amounts), SIGNERS)
    assert (event.version, event.details.notes) == (2, "Bring ice")
    assert sorted(record.signature.position or 0 for record in records) == list(range(1, SIGNERS + 1))
    report = waiver_audit.verify_signatures(ctx)
    assert (report.checked, report.problems) == (SIGNERS, [])


def test_a_crowd_with_a_guest_signing_again_and_a_void_keeps_the_count_exact(ctx: Context) -> None:
    slug = booking.create_event(ctx, event_details(party_size=SIGNERS), "test").slug
    left_early = sign_waiver(ctx, slug, draft(ctx, "Left Early"))
    sign_waiver(ctx, slug, draft(ctx, "Signs Twice"))
    newcomers = [lambda n=n: sign_waiver(ctx, slug, draft(ctx, f"Guest Number {n}")) for n in range(SIGNERS - 2)]
    again = [lambda: sign_waiver(ctx, slug, draft(ctx, "Signs Twice"))]
    voiding = [lambda: waivers.void_signature(ctx, left_early.id, "stayed ashore", "admin")]

    at_once([*newcomers, *again, *voiding])

    event, records = waivers.signatures(ctx, slug)
    counted = sorted(record.signature.guest_name for record in records if record.status == "counted")
    assert counted == sorted(["Signs Twice", *(f"Guest Number {n}" for n in range(SIGNERS - 2))])
    assert event.waivers_signed == SIGNERS - 1
    report = waiver_audit.verify_signatures(ctx)
    assert (report.checked, report.problems) == (SIGNERS + 2, []), "nine signatures and the void, sealed"
