"""The payment ledger: append-only entries, each a payment, the reversal of one, or a refund.

A mistake is corrected by a reversal with a reason, never by an edit or a delete. A refund is money that went
back to the patron (a cancelled charter, a rain check paid out): its own entry, never more than was paid net.
What an event has paid, and when it was cleared, is always derived from its entries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from shipcaptaincrew.domain.bookings import PaymentState
from shipcaptaincrew.domain.days import optional_in_range
from shipcaptaincrew.domain.errors import Conflict, InvalidInput, NeedsConfirmation
from shipcaptaincrew.domain.money import format_cents, say_cents
from shipcaptaincrew.domain.text import clean_line, clean_text

DEFAULT_METHODS = ("cash", "check", "venmo", "zelle", "card", "other")
PAYMENT, REVERSAL, REFUND = "payment", "reversal", "refund"
RAIN_CHECK, CREDIT = "rain_check", "credit"
"""A rain check moves what a cancelled charter owes back onto another booking of the same patron: it leaves the
cancelled one as `rain_check` and arrives on the other as `credit`, two entries written together."""
KINDS = (PAYMENT, REVERSAL, REFUND, RAIN_CHECK, CREDIT)
_MONEY_IN = (PAYMENT, CREDIT)
KEEP_KEYS_FOR = timedelta(hours=48)
"""How long a payment's idempotency key and the entry it made are kept at least: a client resending after a lost
answer does so well within it."""
CONFIRM_ABOVE = 10
"""A payment of more than this many times what is owed is taken for a typo (a zero or two too many) until the
dispatcher confirms it."""


@dataclass(frozen=True)
class PaymentDraft:
    """What a dispatcher types when logging a payment, before it is checked."""

    amount_cents: int
    method: str
    patron_name: str
    reference: str = ""
    note: str = ""
    received_on: date | None = None
    confirmed: bool = False
    """The dispatcher confirmed an amount far above what is owed (see `check_amount_is_likely`)."""


@dataclass(frozen=True)
class Entry:
    id: str
    event_slug: str
    kind: str
    amount_cents: int
    method: str
    patron_name: str
    actor: str
    recorded_at: datetime
    reference: str = ""
    note: str = ""
    received_on: date | None = None
    reverses: str | None = None
    reason: str = ""

    @property
    def signed_cents(self) -> int:
        return self.amount_cents if self.kind in _MONEY_IN else -self.amount_cents


def payment(
    entry_id: str, event_slug: str, draft: PaymentDraft, methods: tuple[str, ...], actor: str, now: datetime
) -> Entry:
    """A checked payment entry; raise InvalidInput naming the field at fault. The method is one of `methods` in
    any case, and kept as it is configured."""
    if draft.amount_cents <= 0:
        raise InvalidInput("amount must be more than zero", "amount")
    optional_in_range(draft.received_on, "received_on")
    method = draft.method.lower() if draft.method.isascii() else draft.method  # full-width letters stay unknown
    if method not in methods:
        raise InvalidInput(
            f"payment_method must be one of {', '.join(methods)}; got {draft.method!r}", "payment_method"
        )
    return Entry(
        id=entry_id,
        event_slug=event_slug,
        kind=PAYMENT,
        amount_cents=draft.amount_cents,
        method=method,
        patron_name=clean_line(draft.patron_name, "patron_name", max_len=120),
        actor=actor,
        recorded_at=now,
        reference=clean_line(draft.reference, "reference", max_len=120, required=False),
        note=clean_text(draft.note, "note", max_len=1000),
        received_on=draft.received_on,
    )


def check_amount_is_likely(draft: PaymentDraft, amount_due_cents: int | None, balance_cents: int) -> None:
    """Raise NeedsConfirmation naming `amount` for an unconfirmed payment of more than CONFIRM_ABOVE times what is
    owed: the balance due, or the price once nothing is left due. A charter with no price has no yardstick."""
    if draft.confirmed or not amount_due_cents:
        return
    owed, what = (balance_cents, "due") if balance_cents > 0 else (amount_due_cents, "price")
    if draft.amount_cents > CONFIRM_ABOVE * owed:
        raise NeedsConfirmation(
            f"amount {say_cents(draft.amount_cents)} is more than {CONFIRM_ABOVE} times the {say_cents(owed)} {what}",
            "amount",
        )


def refund(
    entry_id: str,
    event_slug: str,
    draft: PaymentDraft,
    methods: tuple[str, ...],
    actor: str,
    now: datetime,
    paid_cents: int,
) -> Entry:
    """A checked refund of `draft.amount_cents` going back to the patron; raise InvalidInput naming the field at
    fault, and for more than `paid_cents` (what the event has paid, net of refunds and reversals)."""
    checked = payment(entry_id, event_slug, draft, methods, actor, now)
    if draft.amount_cents > paid_cents:
        raise InvalidInput(
            f"amount is more than was paid: at most ${format_cents(max(paid_cents, 0))} can be refunded", "amount"
        )
    return replace(checked, kind=REFUND)


def rain_check(
    ids: tuple[str, str],
    slugs: tuple[str, str],
    amount_cents: int,
    refund_due_cents: int,
    patron_name: str,
    actor: str,
    now: datetime,
) -> tuple[Entry, Entry]:
    """The pair of entries that moves `amount_cents` of a cancelled charter's refund due (`slugs[0]`) onto another
    booking (`slugs[1]`) as a credit; raise InvalidInput for nothing due or more than is due."""
    if refund_due_cents <= 0:
        raise InvalidInput("nothing is due back on this charter: a rain check moves a refund due", "event")
    if not 0 < amount_cents <= refund_due_cents:
        raise InvalidInput(
            f"amount must be more than zero and at most ${format_cents(refund_due_cents)}, the refund due", "amount"
        )
    out = Entry(
        ids[0],
        slugs[0],
        RAIN_CHECK,
        amount_cents,
        "rain check",
        patron_name,
        actor,
        now,
        reference=f"credit on {slugs[1]}",
    )
    credit = Entry(
        ids[1],
        slugs[1],
        CREDIT,
        amount_cents,
        "rain check",
        patron_name,
        actor,
        now,
        reference=f"rain check from {slugs[0]}",
    )
    return out, credit


def reversal(entry_id: str, original: Entry, already_reversed: bool, reason: str, actor: str, now: datetime) -> Entry:
    """The entry that cancels `original`; raise Conflict if it is a reversal or a refund, or was reversed already."""
    if original.kind in (REFUND, RAIN_CHECK, CREDIT):
        raise Conflict(
            f"entry {original.id} is a {original.kind.replace('_', ' ')}: money that went back or moved "
            "cannot be reversed; log a payment if the patron paid it back",
            "id",
        )
    if original.kind != PAYMENT:
        raise Conflict(f"entry {original.id} is a reversal; reverse a payment instead", "id")
    if already_reversed:
        raise Conflict(f"payment {original.id} was reversed already", "id")
    return Entry(
        id=entry_id,
        event_slug=original.event_slug,
        kind=REVERSAL,
        amount_cents=original.amount_cents,
        method=original.method,
        patron_name=original.patron_name,
        actor=actor,
        recorded_at=now,
        reverses=original.id,
        reason=clean_line(reason, "reason", max_len=500),
    )


def payment_state(entries: list[Entry], amount_due_cents: int | None) -> PaymentState:
    """Paid so far and when the event became cleared, replaying entries in the order they were appended.

    Cleared means paid >= amount due; an event with no price is cleared once anything is paid. A reversal
    that reopens the balance clears the flag; paying again sets a new time.
    """
    state = PaymentState()
    for entry in entries:
        state = after(state, entry, amount_due_cents)
    return state


def after(state: PaymentState, entry: Entry, amount_due_cents: int | None) -> PaymentState:
    """The state once `entry` is appended: one step of `payment_state`, so logging costs the same at any length."""
    paid = state.paid_cents + entry.signed_cents
    if not _is_cleared(paid, amount_due_cents):
        return PaymentState(paid, None)
    return PaymentState(paid, state.cleared_at or entry.recorded_at)


def running_balances(entries: list[Entry], amount_due_cents: int | None) -> list[int]:
    """The balance after each entry (negative is a credit)."""
    balances, balance = [], amount_due_cents or 0
    for entry in entries:
        balance -= entry.signed_cents
        balances.append(balance)
    return balances


def clearing_point(amount_due_cents: int | None) -> int:
    """The least paid amount (cents) at which an event is cleared: its price, or one cent when it has none."""
    return max(amount_due_cents or 0, 1)


def _is_cleared(paid: int, amount_due_cents: int | None) -> bool:
    return paid >= clearing_point(amount_due_cents)
