"""What only the DynamoDB store must show: the calls it makes, and its conditions turned into domain errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from shipcaptaincrew.adapters.dynamodb import DynamoDbStore
from shipcaptaincrew.adapters.dynamodb_writes import Write, translate
from shipcaptaincrew.domain.bookings import Event, new_event
from shipcaptaincrew.domain.errors import AlreadyUsed, Conflict, Contention, SlugTaken, StaleVersion, Unavailable
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.ledger import Entry, PaymentDraft, reversal
from shipcaptaincrew.domain.mail import OutboxMessage, payment_receipt
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.domain.waivers import SignatureDraft
from shipcaptaincrew.ports import IdempotencyRecord
from shipcaptaincrew.services import booking, payments, waivers
from shipcaptaincrew.services.context import Context
from tests.builders import event_details, set_waiver, sign_waiver
from tests.contract.dynamodb import dynamodb_store
from tests.fakes import FakeClock, FakeMailer

NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)
KEYS = Keys.derive(b"k" * 32)


@pytest.fixture
def store() -> Iterator[DynamoDbStore]:
    yield from dynamodb_store()


class Calls:
    """Every DynamoDB operation the store's client makes, with the index a Query used."""

    def __init__(self, store: DynamoDbStore) -> None:
        self.made: list[tuple[str, str | None]] = []
        store.client.meta.events.register("before-parameter-build.dynamodb.*", self._record)

    def _record(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        self.made.append((model.name, params.get("IndexName")))

    def names(self) -> list[str]:
        return [name for name, _ in self.made]

    def clear(self) -> None:
        self.made.clear()


def booked(first_name: str, day: date, period: str = "pm", **more: Any) -> Event:
    return new_event(event_details(day, period, first_name, **more), None, DEFAULT_PERIODS, NOW)


def test_listing_a_window_is_one_query_on_the_index_per_page_and_never_a_scan(store: DynamoDbStore) -> None:
    days = [date(2026, 6, 1 + number % 20) for number in range(30)]
    with store.writing() as uow:
        for number, day in enumerate(days):
            uow.events.add(booked(f"guest{'abcdefghij'[number // 10]}{'abcdefghij'[number % 10]}", day))
    calls = Calls(store)
    pages, after = [], None
    with store.reading() as uow:
        while True:
            page = uow.events.list_window(date(2026, 6, 3), date(2026, 6, 16), after, 10)
            pages.append(page)
            if len(page) < 10:
                break
            last = page[-1]
            after = (
                last.details.date.isoformat(),
                DEFAULT_PERIODS.get(last.details.period).starts.strftime("%H:%M"),
                last.slug,
            )

    listed = [event.slug for page in pages for event in page]
    assert len(listed) == len(set(listed)) == sum(date(2026, 6, 3) <= day <= date(2026, 6, 16) for day in days)
    assert calls.made == [("Query", "gsi1")] * len(pages)
    assert "Scan" not in calls.names()


def test_a_search_is_queries_on_the_events_index_and_never_a_scan(store: DynamoDbStore) -> None:
    with store.writing() as uow:
        for number in range(12):
            uow.events.add(booked(f"guest{'abcdefghijkl'[number]}", date(2026, 6, 1 + number)))
    calls = Calls(store)

    with store.reading() as uow:
        found = uow.events.search(("guestk",), 10)

    assert [event.slug for event in found] == ["2026-06-11-guestk-pm"]
    assert set(calls.made) == {("Query", "gsi1")} and "Scan" not in calls.names()


def test_logging_a_payment_writes_everything_in_exactly_one_transaction(store: DynamoDbStore) -> None:
    ctx = Context(store=store, clock=FakeClock(NOW), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
    event = booked("Sarah", date(2026, 5, 23), amount_due_cents=90000)
    event = dataclasses.replace(
        event,
        details=dataclasses.replace(
            event.details, patron=dataclasses.replace(event.details.patron, email="sarah@example.org")
        ),
    )
    with store.writing() as uow:
        uow.events.add(event)
    calls = Calls(store)

    payments.log_payment_once(ctx, event.slug, PaymentDraft(40000, "venmo", "Sarah Lopez"), "admin", "key-1", "fp")

    assert calls.names().count("TransactWriteItems") == 1
    assert "Scan" not in calls.names() and "Query" not in calls.names(), "no index read to trim old keys"
    statement = payments.statement(ctx, event.slug)
    assert statement.event.payment.paid_cents == 40000 and len(statement.entries) == 1
    with store.reading() as uow:
        assert uow.outbox.count("pending") == 1
        assert uow.idempotency.get("key-1") is not None
    stored = store.get_item(("IDEM#key-1", "IDEM"))
    assert stored is not None and stored["expires"] == int((NOW + payments.KEEP_KEYS_FOR).timestamp())


def test_a_signature_reads_each_item_once_and_makes_one_call_between_the_chains_head_and_its_commit(
    store: DynamoDbStore,
) -> None:
    ctx = Context(store=store, clock=FakeClock(NOW), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
    event = booking.create_event(ctx, event_details(), "test")
    version = waivers.current_waiver(ctx) or set_waiver(ctx)
    draft = SignatureDraft(
        "Ana Lima", "", "", date(1990, 1, 1), "Rui", "+1 555 0100", "Ana Lima", True, True, version.id, version.sha256
    )
    sign_waiver(ctx, event.slug, draft)
    made: list[tuple[str, str]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        made.append((model.name, str(params.get("Key", {}).get("pk", {}).get("S", ""))))

    store.client.meta.events.register("before-parameter-build.dynamodb.*", record)

    sign_waiver(ctx, event.slug, dataclasses.replace(draft, guest_name="Rui Lima", typed_signature="Rui Lima"))

    reads = [call for call in made if call[0] == "GetItem"]
    assert len(reads) == len(set(reads)), f"an item read twice: {reads}"
    after_head = [name for name, _ in made[made.index(("GetItem", "WAIVER")) + 1 :]]
    assert after_head == ["Query", "TransactWriteItems"], "the event's signatures and voids in one Query, then commit"


def test_a_reversal_is_refused_the_second_time_even_when_both_read_before_either_wrote(store: DynamoDbStore) -> None:
    ctx = Context(store=store, clock=FakeClock(NOW), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
    event = booked("Sarah", date(2026, 5, 23), amount_due_cents=90000)
    with store.writing() as uow:
        uow.events.add(event)
    paid = payments.log_payment(ctx, event.slug, PaymentDraft(40000, "cash", "Sarah"), "admin").entry
    payments.reverse_payment(ctx, paid.id, "typed twice", "admin")

    with pytest.raises(Conflict):
        payments.reverse_payment(ctx, paid.id, "typed twice", "admin")
    racing = store.writing()  # a reversal that read "not reversed" before the first one wrote
    racing.ledger.append(reversal("rev_x", paid, False, "race", "admin", NOW))
    with pytest.raises(Conflict, match="reversed already"):
        racing.__exit__(None, None, None)
    with store.reading() as uow:
        assert [entry.kind for entry in uow.ledger.for_event(event.slug)] == ["payment", "reversal"]
        assert uow.events.get(event.slug).payment.paid_cents == 0  # type: ignore[union-attr]


def test_two_writers_of_one_event_cannot_both_win(store: DynamoDbStore) -> None:
    event = booked("Sarah", date(2026, 5, 23))
    with store.writing() as uow:
        uow.events.add(event)
    first, second = store.writing(), store.writing()
    first.events.save(dataclasses.replace(first.events.get(event.slug), version=2), 1)  # type: ignore[arg-type]
    second.events.save(dataclasses.replace(second.events.get(event.slug), version=2), 1)  # type: ignore[arg-type]
    first.__exit__(None, None, None)

    with pytest.raises(StaleVersion):
        second.__exit__(None, None, None)


def test_an_old_slug_cannot_be_taken_and_the_ledger_follows_a_rename(store: DynamoDbStore) -> None:
    ctx = Context(store=store, clock=FakeClock(NOW), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
    event = booked("Sarah", date(2026, 5, 23))
    with store.writing() as uow:
        uow.events.add(event)
    payments.log_payment(ctx, event.slug, PaymentDraft(100, "cash", "Sarah"), "admin")
    with store.writing() as uow:
        uow.events.rename(event.slug, "2026-05-23-sally-pm")
    with store.writing() as uow:
        uow.events.rename("2026-05-23-sally-pm", "2026-05-23-sal-pm")

    with pytest.raises(SlugTaken, match="old name"), store.writing() as uow:
        uow.events.add(event)
    with store.reading() as uow:
        assert uow.events.get(event.slug).slug == "2026-05-23-sal-pm"  # type: ignore[union-attr]
        assert uow.events.aliases("2026-05-23-sal-pm") == ["2026-05-23-sally-pm", "2026-05-23-sarah-pm"]
        assert [entry.event_slug for entry in uow.ledger.for_event("2026-05-23-sal-pm")] == ["2026-05-23-sal-pm"]
        assert [entry.event_slug for entry in uow.ledger.between(date(2026, 5, 1), date(2026, 5, 1))] == [
            "2026-05-23-sal-pm"
        ]


def test_an_idempotency_key_is_stored_once_with_the_moment_the_tables_time_to_live_forgets_it(
    store: DynamoDbStore,
) -> None:
    with store.writing() as uow:
        uow.idempotency.put("new", IdempotencyRecord("fp", "pay_1", NOW), NOW + timedelta(hours=48))
    with pytest.raises(Contention), store.writing() as uow:
        uow.idempotency.put("new", IdempotencyRecord("other", "pay_2", NOW), NOW + timedelta(hours=48))
    calls = Calls(store)
    with store.writing() as uow:
        uow.idempotency.forget_older_than(NOW + timedelta(days=30))

    assert calls.names() == [], "nothing to trim: the table forgets keys by itself"
    with store.reading() as uow:
        assert uow.idempotency.get("new") == IdempotencyRecord("fp", "pay_1", NOW)
    stored = store.get_item(("IDEM#new", "IDEM"))
    assert stored is not None and stored["expires"] == int((NOW + timedelta(hours=48)).timestamp())
    time_to_live = store.client.describe_time_to_live(TableName=store.table)["TimeToLiveDescription"]
    assert (time_to_live["TimeToLiveStatus"], time_to_live["AttributeName"]) == ("ENABLED", "expires")


def test_a_key_stored_with_the_apis_whole_answer_still_names_the_entry_it_made(store: DynamoDbStore) -> None:
    answer = b'{"payment":{"id":"pay_1","amount_cents":40000},"event":{"slug":"2026-05-23-sarah-pm"}}'
    expires = str(int((NOW + timedelta(hours=48)).timestamp()))
    store.client.put_item(
        TableName=store.table,
        Item={
            "pk": {"S": "IDEM#old"},
            "sk": {"S": "IDEM"},
            "fingerprint": {"S": "fp"},
            "status": {"N": "201"},
            "body": {"B": answer},
            "created_at": {"S": NOW.isoformat()},
            "expires": {"N": expires},
        },
    )

    with store.reading() as uow:
        assert uow.idempotency.get("old") == IdempotencyRecord("fp", "pay_1", NOW)


def test_the_outbox_finds_due_messages_by_status(store: DynamoDbStore) -> None:
    event = booked("Sarah", date(2026, 5, 23))
    email = payment_receipt(event, Entry("pay_1", event.slug, "payment", 100, "cash", "Sarah", "admin", NOW), "/g/x/y")
    first = OutboxMessage("m1", "<m1@x>", email, NOW, kind="receipt")
    later = OutboxMessage("m2", "<m2@x>", email, NOW + timedelta(seconds=1), next_attempt_at=NOW + timedelta(hours=1))
    with store.writing() as uow:
        uow.outbox.add(first)
        uow.outbox.add(later)
    with store.writing() as uow:
        assert [message.id for message in uow.outbox.due(NOW, 10)] == ["m1"]
        uow.outbox.update(dataclasses.replace(first, status="sent", sent_at=NOW))

    with store.reading() as uow:
        assert uow.outbox.get("m1") == dataclasses.replace(first, status="sent", sent_at=NOW)
        assert (uow.outbox.count("sent"), uow.outbox.count("pending")) == (1, 1)
        assert [message.id for message in uow.outbox.recent(10)] == ["m2", "m1"]
        assert uow.outbox.due(NOW + timedelta(hours=2), 10) == [later]


def test_a_lone_outbox_update_is_one_update_item_and_two_are_one_transaction(store: DynamoDbStore) -> None:
    event = booked("Sarah", date(2026, 5, 23))
    email = payment_receipt(event, Entry("pay_1", event.slug, "payment", 100, "cash", "Sarah", "admin", NOW), "/g/x/y")
    first, second = (OutboxMessage(f"m{n}", f"<m{n}@x>", email, NOW, kind="receipt") for n in (1, 2))
    with store.writing() as uow:
        uow.outbox.add(first)
        uow.outbox.add(second)
    calls = Calls(store)

    with store.writing() as uow:
        uow.outbox.update(dataclasses.replace(first, status="sent", sent_at=NOW))
    alone = calls.names()
    calls.clear()
    with store.writing() as uow:
        for message in (first, second):
            uow.outbox.update(dataclasses.replace(message, attempts=1))
    together = calls.names()

    assert (alone, together) == (["UpdateItem"], ["TransactWriteItems"])
    with store.reading() as uow:
        assert uow.outbox.get("m1") == dataclasses.replace(first, attempts=1)  # the later update's fields, whole


def test_a_lone_update_of_an_item_that_is_gone_is_contention_and_writes_nothing(store: DynamoDbStore) -> None:
    event = booked("Sarah", date(2026, 5, 23))
    email = payment_receipt(event, Entry("pay_1", event.slug, "payment", 100, "cash", "Sarah", "admin", NOW), "/g/x/y")

    with pytest.raises(Contention), store.writing() as uow:
        uow.outbox.update(OutboxMessage("gone", "<gone@x>", email, NOW, status="sent"))

    assert store.get_item(("OUTBOX#gone", "MSG")) is None


def test_no_float_reaches_boto3(store: DynamoDbStore) -> None:
    with pytest.raises(TypeError), store.writing() as uow:
        uow.writes.put({"pk": "X", "sk": "Y", "amount": 1.5})
    with store.writing() as uow:
        uow.writes.put({"pk": "X", "sk": "Y", "amount": Decimal("1.50")})
    assert store.get_item(("X", "Y")) == {"pk": "X", "sk": "Y", "amount": Decimal("1.50")}


def cancelled(*reasons: str) -> Any:
    from botocore.exceptions import ClientError

    error = {"Code": "TransactionCanceledException", "Message": f"Transaction cancelled [{', '.join(reasons)}]"}
    return ClientError(
        {"Error": error, "CancellationReasons": [{"Code": code} for code in reasons]}, "TransactWriteItems"
    )


def test_a_transaction_cancelled_by_another_on_the_same_item_is_contention_to_run_again() -> None:
    ops = [Write("put", ("EV#1", "SIG#1")), Write("update", ("META", "GEN"))]

    assert isinstance(translate(cancelled("None", "TransactionConflict"), ops), Contention)
    assert isinstance(translate(cancelled("ConditionalCheckFailed", "None"), ops), Contention)
    throttled = translate(cancelled("None", "ThrottlingError"), ops)
    assert isinstance(throttled, Unavailable) and not isinstance(throttled, Contention)


def test_a_real_conflict_failing_with_a_lost_race_wins_over_it() -> None:
    used = Write("put", ("FORM#n", "FORM"), error=lambda: AlreadyUsed("this form was used to sign already"))
    head = Write("put", ("WAIVER", "CHAIN"))

    assert isinstance(
        translate(cancelled("ConditionalCheckFailed", "ConditionalCheckFailed"), [head, used]), AlreadyUsed
    )
