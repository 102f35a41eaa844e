"""The whole-store export and import: SQLite -> DynamoDB -> export is byte-identical, and back; bad files fail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.adapters.dynamodb import DynamoDbStore
from shipcaptaincrew.adapters.dynamodb_transfer import DynamoDbTransfer
from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.adapters.sqlite_transfer import SqliteTransfer
from shipcaptaincrew.domain.bookings import EventChanges, Patron
from shipcaptaincrew.domain.errors import Conflict, InvalidInput, Unauthorized, Unavailable
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.domain.roster import Person
from shipcaptaincrew.domain.signing import SignatureDraft
from shipcaptaincrew.domain.waivers import Signature, WaiverVersion
from shipcaptaincrew.ports import CredentialsUnavailable, Transfer
from shipcaptaincrew.services import (
    admin,
    booking,
    charter_day,
    day_sheets,
    outbox,
    payments,
    queries,
    reminders,
    roster,
    waivers,
)
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.transfer import KINDS, export_jsonl, import_jsonl
from tests.builders import PASSWORD, WAIVER_TEXT, event_details, sign_waiver
from tests.contract.dynamodb import dynamodb_store
from tests.fakes import FakeClock, FakeMailer

SECRET = b"transfer-test-secret-of-32-bytes+"


@dataclass
class Built:
    ctx: Context
    revoked_token: str
    live_token: str


def context(store: SqliteStore | DynamoDbStore) -> Context:
    hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)
    return Context(store=store, clock=FakeClock(), hasher=hasher, keys=Keys.derive(SECRET), mailer=FakeMailer())


def populate(ctx: Context) -> Built:
    """Rich data, made through the real use cases only."""
    clock = ctx.clock
    assert isinstance(clock, FakeClock)

    def later() -> None:
        clock.advance(minutes=7)

    admin.set_admin_password(ctx, "first password is long", "test")
    later()
    admin.set_admin_password(ctx, PASSWORD, "test")  # a password change
    revoked, _ = admin.log_in(ctx, PASSWORD, "127.0.0.1")
    admin.log_out(ctx, revoked)
    live, _ = admin.log_in(ctx, PASSWORD, "127.0.0.1")
    first_version = waivers.set_waiver_text(ctx, WAIVER_TEXT, "test")
    ship = roster.add_ship(ctx, "Osprey", 12, "test")
    old_ship = roster.add_ship(ctx, "Old Tern", 6, "test")
    captain = roster.add_person(
        ctx, Person("", "Ana Ruiz", "captain", "ana@example.org", licence_expires=date(2027, 1, 31)), "test"
    )
    deckhand = roster.add_person(ctx, Person("", "Ben Clarke", "crew", "ben@example.org"), "test")
    gone = roster.add_person(ctx, Person("", "Cora Diaz", "crew"), "test")
    roster.retire_ship(ctx, old_ship.id, "test")
    roster.retire_person(ctx, gone.id, "test")
    later()
    sarah = booking.create_event(ctx, event_details(amount_due_cents=90000, notes="José — bring a cake 🎂"), "test")
    free = booking.create_event(ctx, event_details(date(2026, 5, 24), "am", "Ben", party_size=3), "test")
    legacy = booking.import_legacy_event(ctx, event_details(date(2026, 5, 25), "sunset", "Rui"), "rui-party", "test")
    renamed = booking.rename_event(ctx, legacy.slug, "2026-05-25-rui-sunset", "test")
    roster.assign_crew(ctx, sarah.slug, ship.id, captain.id, [deckhand.id], "", "test")
    roster.assign_crew(ctx, renamed.slug, ship.id, None, [], "", "test")
    later()
    first = payments.log_payment(ctx, sarah.slug, PaymentDraft(40000, "venmo", "Sarah Lopez", "@sarah"), "test")
    later()
    draft = PaymentDraft(50000, "check", "Sarah Lopez", "1042", "second half", date(2026, 4, 30))
    for _ in range(2):  # a replay returns the first answer and writes nothing
        payments.log_payment_once(ctx, sarah.slug, draft, "test", "key-1", "fp-1")
    later()
    payments.reverse_payment(ctx, first.entry.id, "typed the wrong amount", "test")
    payments.log_payment(ctx, free.slug, PaymentDraft(2500, "cash", "Ben"), "test")
    sign(ctx, sarah.slug, "Ana Lima", first_version)
    later()
    sign(ctx, sarah.slug, "Tiago Lima", waivers.set_waiver_text(ctx, "Version two: life jackets on. Café!", "test"))
    stranger = sign(ctx, sarah.slug, "Not In The Party", waivers.current_waiver(ctx) or first_version)
    waivers.void_signature(ctx, stranger.id, "not in this party", "test")
    booking.update_event(ctx, free.slug, EventChanges(reminders=False), 1, "test")
    tomorrow = replace(event_details(date(2026, 5, 2), "am", "Dora"), patron=Patron("Dora", "", "dora@example.org"))
    booking.create_event(ctx, tomorrow, "test")
    reminders.send_reminders(ctx)
    at_the_dock(ctx, captain, deckhand, ship.id, waivers.current_waiver(ctx))
    deliver(ctx, FakeMailer())  # sent
    deliver(ctx, FakeMailer(failures=-1))  # pending, one attempt and its error
    deliver(ctx, FakeMailer(failures=-1, error=CredentialsUnavailable("no Gmail token")))  # waiting
    return Built(ctx, revoked, live)


def at_the_dock(ctx: Context, captain: Person, deckhand: Person, ship_id: str, version: WaiverVersion) -> None:
    """Today's charter: a signer and a walk-up checked in, one taken off again, departed with a reason, returned."""
    dee = booking.create_event(ctx, event_details(date(2026, 5, 1), "pm", "Dee", party_size=3), "test")
    roster.assign_crew(ctx, dee.slug, ship_id, captain.id, [deckhand.id], "", "test")
    sign(ctx, dee.slug, "Eva Gray", version)
    secret = day_sheets.sheet_path(ctx, captain).rsplit("/", 1)[1]
    (signer,) = day_sheets.day_sheet(ctx, captain.id, secret).charters[-1].guests
    charter_day.set_aboard(ctx, captain.id, secret, dee.slug, signer.key, True)
    charter_day.add_walk_up(ctx, captain.id, secret, dee.slug, "Walker Pérez")
    charter_day.add_walk_up(ctx, captain.id, secret, dee.slug, "Gone Ashore")
    gone = day_sheets.day_sheet(ctx, captain.id, secret).charters[-1].guests[-1]
    charter_day.set_aboard(ctx, captain.id, secret, dee.slug, gone.key, False)
    charter_day.depart(ctx, captain.id, secret, dee.slug, "signs at the first stop")
    ctx.clock.advance(hours=3)  # type: ignore[attr-defined]
    charter_day.mark_returned(ctx, captain.id, secret, dee.slug)


def sign(ctx: Context, slug: str, name: str, version: WaiverVersion) -> Signature:
    email = f"{name.split()[0].lower()}@example.org"
    signed = SignatureDraft(
        name, email, "", date(1990, 1, 1), "Rui", "+1 555 0100", name, True, True, version.id, version.sha256
    )
    return sign_waiver(ctx, slug, signed)


def deliver(ctx: Context, mailer: FakeMailer) -> None:
    ctx.mailer = mailer
    outbox.deliver_due(ctx, limit=1)
    ctx.clock.advance(seconds=1)  # type: ignore[attr-defined]


def exported(transfer: Transfer) -> bytes:
    """The whole store, secrets included: these tests move a store and expect every byte back."""
    return b"".join(export_jsonl(transfer, include_secrets=True))


def restore(transfer: Transfer, data: bytes) -> int:
    return import_jsonl(transfer, data.splitlines(keepends=True), lambda done, total: None)


@pytest.fixture
def dynamodb() -> Iterator[DynamoDbStore]:
    yield from dynamodb_store()


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield store
    store.close()


def test_sqlite_to_dynamodb_and_back_out_is_byte_identical_and_holds_every_kind(
    sqlite: SqliteStore, dynamodb: DynamoDbStore
) -> None:
    populate(context(sqlite))
    first = exported(SqliteTransfer(sqlite.path))

    restore(DynamoDbTransfer(dynamodb), first)

    assert exported(DynamoDbTransfer(dynamodb)) == first
    kinds = {json.loads(line)["type"] for line in first.splitlines()[1:]}
    assert kinds == set(KINDS)
    statuses = {json.loads(line).get("status") for line in first.splitlines() if b'"outbox_message"' in line}
    assert {"sent", "pending", "waiting"} <= statuses
    credentials = {json.loads(line)["name"] for line in first.splitlines() if b'"credential"' in line}
    assert credentials == {"admin_password_hash", "admin_password_tag"}, "the password's tag moves with its hash"
    keys = [json.loads(line) for line in first.splitlines() if b'"idempotency_key"' in line]
    for key in keys:  # the table's time-to-live forgets an imported key when it would have been forgotten
        item = dynamodb.get_item((f"IDEM#{key['key']}", "IDEM"))
        assert item is not None and item["expires"] == int(
            (datetime.fromisoformat(key["created_at"]) + payments.KEEP_KEYS_FOR).timestamp()
        )
    assert keys


def test_dynamodb_to_sqlite_and_back_out_is_byte_identical(
    sqlite: SqliteStore, dynamodb: DynamoDbStore, tmp_path: Path
) -> None:
    populate(context(dynamodb))
    first = exported(DynamoDbTransfer(dynamodb))

    restore(SqliteTransfer(sqlite.path), first)

    assert exported(SqliteTransfer(sqlite.path)) == first


def test_failed_sign_ins_are_a_throttles_count_and_stay_out_of_the_export(dynamodb: DynamoDbStore) -> None:
    ctx = context(dynamodb)
    populate(ctx)
    before = exported(DynamoDbTransfer(dynamodb))
    with pytest.raises(Unauthorized):
        admin.log_in(ctx, "a wrong guess", "203.0.113.9")

    assert exported(DynamoDbTransfer(dynamodb)) == before


def test_a_table_holding_only_failed_sign_ins_still_takes_an_import(
    sqlite: SqliteStore, dynamodb: DynamoDbStore
) -> None:
    populate(context(sqlite))
    data = exported(SqliteTransfer(sqlite.path))
    with pytest.raises(Unauthorized):  # someone mistyped the password on the fresh stage
        admin.log_in(context(dynamodb), "a wrong guess", "203.0.113.9")

    restore(DynamoDbTransfer(dynamodb), data)

    assert exported(DynamoDbTransfer(dynamodb)) == data


def test_the_export_starts_with_the_header_and_is_canonical_json_lines(sqlite: SqliteStore) -> None:
    populate(context(sqlite))
    lines = exported(SqliteTransfer(sqlite.path)).splitlines()

    assert lines[0] == b'{"format":"scc-transfer","version":4}'
    for line in lines:
        assert json.dumps(json.loads(line), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() == line
    assert "José — bring a cake 🎂".encode() in b"\n".join(lines)


def test_after_an_import_the_app_works_on_the_restored_data(sqlite: SqliteStore, dynamodb: DynamoDbStore) -> None:
    built = populate(context(sqlite))
    restore(DynamoDbTransfer(dynamodb), exported(SqliteTransfer(sqlite.path)))
    ctx = context(dynamodb)
    ctx.clock = built.ctx.clock

    window = queries.list_events(ctx, date(2026, 5, 23), date(2026, 5, 25)).events
    sarah = next(event for event in window if event.slug == "2026-05-23-sarah-pm")
    assert [event.slug for event in window] == ["2026-05-23-sarah-pm", "2026-05-24-ben-am", "2026-05-25-rui-sunset"]
    assert (sarah.payment.paid_cents, sarah.balance_cents, sarah.waivers_signed) == (50000, 40000, 2)
    assert (sarah.ship, sarah.captain, sarah.crew) == ("Osprey", "Ana Ruiz", ("Ben Clarke",))
    assert queries.get_event(ctx, "rui-party").slug == "2026-05-25-rui-sunset"  # the old slug still leads there
    paid = payments.log_payment(ctx, sarah.slug, PaymentDraft(40000, "card", "Sarah Lopez"), "test").event
    assert (paid.balance_cents, paid.payment_cleared) == (0, True)
    assert [entry.kind for entry in payments.statement(ctx, sarah.slug).entries] == [
        "payment",
        "payment",
        "reversal",
        "payment",
    ]
    assert admin.check_token(ctx, built.live_token).actor == "admin"
    with pytest.raises(Unauthorized):
        admin.check_token(ctx, built.revoked_token)


def test_an_import_queues_no_mail_and_adds_no_audit_entry(sqlite: SqliteStore, dynamodb: DynamoDbStore) -> None:
    populate(context(sqlite))
    data = exported(SqliteTransfer(sqlite.path))

    restore(DynamoDbTransfer(dynamodb), data)

    again = exported(DynamoDbTransfer(dynamodb))
    assert again.count(b'"type":"audit"') == data.count(b'"type":"audit"')
    assert again.count(b'"type":"outbox_message"') == data.count(b'"type":"outbox_message"')


def small_export(tmp_path: Path) -> list[bytes]:
    store = SqliteStore(tmp_path / "source.sqlite3", DEFAULT_PERIODS)
    ctx = context(store)
    event = booking.create_event(ctx, event_details(amount_due_cents=90000), "test")
    payments.log_payment(ctx, event.slug, PaymentDraft(40000, "venmo", "Sarah Lopez"), "test")
    store.close()
    return exported(SqliteTransfer(store.path)).splitlines(keepends=True)


def line_of(lines: list[bytes], kind: str) -> int:
    return next(index for index, line in enumerate(lines) if f'"type":"{kind}"'.encode() in line)


def test_a_bad_line_is_refused_with_its_number_and_field_and_nothing_is_written(
    target: Transfer, tmp_path: Path
) -> None:
    lines = small_export(tmp_path)
    at = line_of(lines, "ledger_entry")
    lines[at] = lines[at].replace(b'"amount_cents":40000', b'"amount_cents":400.5')

    with pytest.raises(InvalidInput) as refused:
        import_jsonl(target, lines, lambda done, total: None)

    assert refused.value.message.startswith(f"line {at + 1} (ledger_entry): amount_cents must be an integer")
    assert refused.value.field == "amount_cents"
    assert target.is_empty()


def test_a_record_pointing_at_nothing_is_refused_and_nothing_is_written(target: Transfer, tmp_path: Path) -> None:
    lines = small_export(tmp_path)
    at = line_of(lines, "ledger_entry")
    lines[at] = lines[at].replace(b'"event":"2026-05-23-sarah-pm"', b'"event":"2026-05-23-nobody-pm"')

    with pytest.raises(InvalidInput, match=f"line {at + 1} .*event '2026-05-23-nobody-pm' is not a event"):
        import_jsonl(target, lines, lambda done, total: None)

    assert target.is_empty()


def test_a_file_without_the_header_or_with_a_torn_line_is_refused(target: Transfer, tmp_path: Path) -> None:
    lines = small_export(tmp_path)

    with pytest.raises(InvalidInput, match="line 1: not an scc-transfer file"):
        import_jsonl(target, lines[1:], lambda done, total: None)
    with pytest.raises(InvalidInput, match=f"line {len(lines)}: not JSON"):
        import_jsonl(target, [*lines[:-1], lines[-1][:20]], lambda done, total: None)
    assert target.is_empty()


def test_an_import_into_a_store_that_holds_anything_is_refused(target: Transfer, tmp_path: Path) -> None:
    lines = small_export(tmp_path)
    import_jsonl(target, lines, lambda done, total: None)

    with pytest.raises(Conflict, match="not empty"):
        import_jsonl(target, lines, lambda done, total: None)


def test_progress_is_reported_up_to_the_total(target: Transfer, tmp_path: Path) -> None:
    lines = small_export(tmp_path)
    reports: list[tuple[int, int]] = []

    count = import_jsonl(target, lines, lambda done, total: reports.append((done, total)))

    assert count == len(lines) - 1
    assert reports[-1] == (count, count)


def test_a_dynamodb_import_that_fails_half_way_deletes_what_it_wrote(
    sqlite: SqliteStore, dynamodb: DynamoDbStore
) -> None:
    from botocore.exceptions import ClientError

    populate(context(sqlite))
    lines = exported(SqliteTransfer(sqlite.path)).splitlines(keepends=True)
    calls = []

    def throttle_the_second_batch(**_: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "boom"}}, "BatchWriteItem")

    dynamodb.client.meta.events.register("before-call.dynamodb.BatchWriteItem", throttle_the_second_batch)
    transfer = DynamoDbTransfer(dynamodb)

    with pytest.raises(Unavailable, match="deleted again"):
        import_jsonl(transfer, lines, lambda done, total: None)

    dynamodb.client.meta.events.unregister("before-call.dynamodb.BatchWriteItem", throttle_the_second_batch)
    assert len(calls) >= 2
    assert transfer.is_empty()
