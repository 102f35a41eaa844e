"""Races on the DynamoDB store, made to happen: another request commits between a use case's reads and its commit.

Which races cost a second attempt (the waiver chain's head, an edit's whole-item write, one idempotency key) and
which do not happen at all (payments add up, a signature's count needs no guard), and that the second attempt
reads afresh and saves what the first would have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Any

import pytest

from shipcaptaincrew.adapters.dynamodb import DynamoDbStore
from shipcaptaincrew.domain.bookings import EventChanges
from shipcaptaincrew.domain.errors import AlreadyUsed, StaleVersion
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.domain.waivers import SignatureDraft
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services import booking, payments, waiver_audit, waivers
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.retries import Retries
from tests.builders import event_details, form_ticket, set_waiver, sign_waiver
from tests.contract.dynamodb import dynamodb_store
from tests.fakes import FakeClock, FakeMailer

KEYS = Keys.derive(b"dynamodb-races-contract-key-0123456789")


@dataclass
class Pauses:
    taken: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.taken.append(seconds)


class RacedStore:
    """The store, but the first writing unit of work lets `meanwhile` (another request) commit before it commits."""

    def __init__(self, store: DynamoDbStore) -> None:
        self.store = store
        self.meanwhile: Callable[[], object] | None = None

    def writing(self) -> UnitOfWork:
        return _Raced(self.store.writing(), self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


class _Raced:
    def __init__(self, uow: Any, raced: RacedStore) -> None:
        self.uow, self.raced = uow, raced

    def __enter__(self) -> Any:
        return self.uow.__enter__()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        other, self.raced.meanwhile = self.raced.meanwhile, None
        if kind is None and other is not None:
            other()
        self.uow.__exit__(kind, error, tb)


@dataclass
class Race:
    ctx: Context
    """Runs through the raced store and retries; its pauses are recorded, one per race lost."""
    other: Context
    """Another request on the same table, straight through."""
    pauses: Pauses
    store: RacedStore

    def before_commit(self, other_request: Callable[[], object]) -> None:
        self.store.meanwhile = other_request


@pytest.fixture
def race() -> Iterator[Race]:
    for store in dynamodb_store():
        pauses, raced = Pauses(), RacedStore(store)
        retries = Retries(sleep=pauses.sleep)
        ctx = Context(store=raced, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer(), retries=retries)  # type: ignore[arg-type]
        other = Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
        yield Race(ctx, other, pauses, raced)


def draft(ctx: Context, name: str) -> SignatureDraft:
    version = waivers.current_waiver(ctx)
    assert version is not None, "set_waiver in the set-up"
    return SignatureDraft(
        name, "", "", date(1990, 1, 1), "Rui", "+1 555 0100", name, True, True, version.id, version.sha256
    )


def cash(cents: int) -> PaymentDraft:
    return PaymentDraft(cents, "cash", "Sarah Lopez")


def booked(race: Race, amount_due_cents: int | None = 1000_00) -> str:
    set_waiver(race.other)  # set before the race: the racing writes are the signatures
    return booking.create_event(race.other, event_details(amount_due_cents=amount_due_cents), "test").slug


def test_two_payments_to_one_event_at_once_both_commit_first_time_and_add_up(race: Race) -> None:
    slug = booked(race)
    race.before_commit(lambda: payments.log_payment(race.other, slug, cash(300_00), "other"))

    logged = payments.log_payment(race.ctx, slug, cash(200_00), "admin")

    assert race.pauses.taken == [], "an atomic ADD: nothing to run again"
    assert logged.event.payment.paid_cents == 200_00, "the answer shows what this payment read and added"
    event = payments.statement(race.other, slug).event
    assert (event.payment.paid_cents, event.payment_cleared) == (500_00, False)


def test_a_payment_that_read_the_event_unpaid_after_another_cleared_it_keeps_the_first_clearing_time(
    race: Race,
) -> None:
    slug = booked(race)
    race.other.clock.advance(minutes=1)  # type: ignore[attr-defined]
    race.before_commit(lambda: payments.log_payment(race.other, slug, cash(1100_00), "other"))

    payments.log_payment(race.ctx, slug, cash(600_00), "admin")

    assert len(race.pauses.taken) == 1, "it read the event unpaid; the other one cleared it: it runs again"
    event = payments.statement(race.other, slug).event
    assert (event.payment.paid_cents, event.payment.cleared_at) == (1700_00, race.other.clock.now())


def test_two_payments_that_cross_the_price_together_clear_the_event_at_the_crossing_ones_time(race: Race) -> None:
    slug = booked(race)
    race.other.clock.advance(minutes=1)  # type: ignore[attr-defined]
    race.before_commit(lambda: payments.log_payment(race.other, slug, cash(600_00), "other"))

    payments.log_payment(race.ctx, slug, cash(600_00), "admin")

    assert len(race.pauses.taken) == 1, "each read it unpaid and under the price: the slower one runs again"
    event = payments.statement(race.other, slug).event
    assert (event.payment.paid_cents, event.payment.cleared_at) == (1200_00, race.ctx.clock.now())


def test_a_reversal_racing_a_payment_reopens_the_balance_exactly(race: Race) -> None:
    slug = booked(race)
    first = payments.log_payment(race.other, slug, cash(1000_00), "other").entry
    race.before_commit(lambda: payments.log_payment(race.other, slug, cash(100_00), "other"))

    payments.reverse_payment(race.ctx, first.id, "bounced", "admin")

    event = payments.statement(race.other, slug).event
    assert (event.payment.paid_cents, event.payment_cleared) == (100_00, False)


def test_a_signature_racing_a_payment_on_its_event_commits_first_time(race: Race) -> None:
    slug = booked(race)
    race.before_commit(lambda: payments.log_payment(race.other, slug, cash(200_00), "other"))

    sign_waiver(race.ctx, slug, draft(race.ctx, "Ana Lima"))

    assert race.pauses.taken == []
    event = payments.statement(race.other, slug).event
    assert (event.waivers_signed, event.payment.paid_cents) == (1, 200_00)


def test_two_signatures_at_once_take_consecutive_places_in_the_chain_the_slower_one_after_a_fresh_read(
    race: Race,
) -> None:
    slug = booked(race, None)
    race.before_commit(lambda: sign_waiver(race.other, slug, draft(race.other, "Rui Lima")))

    signed = sign_waiver(race.ctx, slug, draft(race.ctx, "Ana Lima"))

    assert len(race.pauses.taken) == 1, "the chain's head moved: its form, unspent, signs on the second attempt"
    assert signed.position == 2
    report = waiver_audit.verify_signatures(race.other)
    assert (report.checked, report.problems) == (2, [])
    assert waivers.signatures(race.other, slug)[0].waivers_signed == 2


def test_an_edit_racing_a_payment_runs_again_and_is_saved_at_the_version_the_client_sent(race: Race) -> None:
    slug = booked(race)
    race.before_commit(lambda: payments.log_payment(race.other, slug, cash(200_00), "other"))

    edited = booking.update_event(race.ctx, slug, EventChanges(notes="Bring ice"), 1, "admin")

    assert len(race.pauses.taken) == 1, "the payment moved the event's revision, not its version"
    assert (edited.version, edited.details.notes, edited.payment.paid_cents) == (2, "Bring ice", 200_00)


def test_an_edit_racing_another_edit_is_still_a_stale_version(race: Race) -> None:
    slug = booked(race)
    race.before_commit(lambda: booking.update_event(race.other, slug, EventChanges(notes="Bring ice"), 1, "other"))

    with pytest.raises(StaleVersion):
        booking.update_event(race.ctx, slug, EventChanges(notes="Bring towels"), 1, "admin")

    assert race.pauses.taken == [], "a real conflict is never run again"


def test_one_idempotency_key_raced_by_itself_logs_one_payment_and_the_slower_gets_it_back(race: Race) -> None:
    slug = booked(race)

    def once(ctx: Context, actor: str) -> payments.Logged:
        return payments.log_payment_once(ctx, slug, cash(200_00), actor, "the-key", "fp")

    race.before_commit(lambda: once(race.other, "other"))

    logged = once(race.ctx, "admin")

    assert len(race.pauses.taken) == 1
    entries = payments.statement(race.other, slug).entries
    assert len(entries) == 1 and (logged.replayed, logged.result.entry.id) == (True, entries[0].id)


def test_one_form_sent_twice_at_the_same_moment_signs_once_and_the_slower_is_told_it_was_used(race: Race) -> None:
    slug = booked(race)
    ticket = form_ticket()
    origin = ("203.0.113.9", "test")
    race.before_commit(lambda: waivers.sign_waiver(race.other, slug, draft(race.other, "Ana Lima"), origin, ticket))

    with pytest.raises(AlreadyUsed):
        waivers.sign_waiver(race.ctx, slug, draft(race.ctx, "Ana Lima"), origin, ticket)

    assert race.pauses.taken == [], "the form was spent: a real conflict, even though the chain's head moved too"
    assert len(waivers.signatures(race.other, slug)[1]) == 1
