"""A state machine over log / replay / reverse (and payments far above what is owed), checking the ledger's
invariants after every step."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.errors import Conflict, IdempotencyKeyReused, NeedsConfirmation
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.services import booking, payments
from tests.builders import event_details
from tests.fakes import FakeClock, FakeMailer

SLUG = "2026-05-23-sarah-pm"


class Ledger(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.clock = FakeClock()
        self.ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(self.folder)}), clock=self.clock)
        self.ctx.hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)
        self.ctx.mailer = FakeMailer()
        self.paid: dict[str, int] = {}  # payment id -> cents, for payments not reversed
        self.reversed: set[str] = set()
        self.keys: dict[str, tuple[int, str]] = {}  # key -> the cents it was sent with, the entry it made
        self.due: int | None = None
        self.booked = False

    @initialize(due=st.one_of(st.none(), st.integers(1, 500_000)))
    def book(self, due: int | None) -> None:
        self.due = due
        booking.create_event(self.ctx, replace(event_details(), amount_due_cents=due), "test")
        self.booked = True

    @rule(cents=st.integers(1, 300_000), key=st.one_of(st.none(), st.sampled_from(["a", "b", "c"])))
    def log(self, cents: int, key: str | None) -> None:
        self.clock.advance(seconds=1)
        draft = PaymentDraft(cents, "cash", "Sarah", confirmed=True)
        if key is None:
            self.paid[payments.log_payment(self.ctx, SLUG, draft, "test").entry.id] = cents
            return
        if key in self.keys and self.keys[key][0] != cents:
            with pytest.raises(IdempotencyKeyReused):
                payments.log_payment_once(self.ctx, SLUG, draft, "test", key, str(cents))
            return
        logged = payments.log_payment_once(self.ctx, SLUG, draft, "test", key, str(cents))
        assert logged.replayed == (key in self.keys)
        if key in self.keys:
            assert logged.result.entry.id == self.keys[key][1], "a replay must give back the entry the key made"
        else:
            self.keys[key] = (cents, logged.result.entry.id)
            self.paid[logged.result.entry.id] = cents

    @rule(cents=st.integers(1, 3_000_000))
    def log_unconfirmed(self, cents: int) -> None:
        """Unconfirmed, a payment more than ten times what is owed (the balance, or the price once paid) is
        refused and writes nothing; any payment to a charter with no price is logged."""
        self.clock.advance(seconds=1)
        balance = (self.due or 0) - sum(self.paid.values())
        owed = balance if balance > 0 else self.due
        draft = PaymentDraft(cents, "cash", "Sarah")
        if owed and cents > 10 * owed:
            with pytest.raises(NeedsConfirmation):
                payments.log_payment(self.ctx, SLUG, draft, "test")
            return
        self.paid[payments.log_payment(self.ctx, SLUG, draft, "test").entry.id] = cents

    @precondition(lambda self: bool(self.paid))
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        self.clock.advance(seconds=1)
        entry_id = data.draw(st.sampled_from(sorted(self.paid)))
        payments.reverse_payment(self.ctx, entry_id, "mistake", "test")
        self.reversed.add(entry_id)
        del self.paid[entry_id]

    @precondition(lambda self: bool(self.reversed))
    @rule(data=st.data())
    def reverse_again(self, data: st.DataObject) -> None:
        with pytest.raises(Conflict):
            payments.reverse_payment(self.ctx, data.draw(st.sampled_from(sorted(self.reversed))), "again", "test")

    @invariant()
    def balance_is_the_sum_of_the_entries(self) -> None:
        if not self.booked:
            return
        statement = payments.statement(self.ctx, SLUG)
        paid = sum(entry.signed_cents for entry in statement.entries)
        assert paid == sum(self.paid.values()) == statement.event.payment.paid_cents
        assert statement.event.balance_cents == (self.due or 0) - paid
        assert statement.balances[-1:] in ([], [statement.event.balance_cents])
        cleared = paid > 0 and paid >= (self.due or 0)
        assert statement.event.payment_cleared is cleared
        assert len(statement.entries) == len(self.paid) + 2 * len(self.reversed)

    def teardown(self) -> None:
        self.ctx.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)


Ledger.TestCase.settings = settings(
    max_examples=40, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_the_ledger_keeps_its_invariants = Ledger.TestCase
