"""Payment use cases: log one (optionally idempotent), reverse one, list an event's ledger.

Field names in errors are the domain's (`event`, `idempotency_key`); the web layer names them as its clients do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from shipcaptaincrew.domain import booking_mail, ledger, mail
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.days import check_window
from shipcaptaincrew.domain.errors import Conflict, IdempotencyKeyReused, InvalidInput, NotFound
from shipcaptaincrew.domain.ledger import KEEP_KEYS_FOR, Entry, PaymentDraft
from shipcaptaincrew.ports import IdempotencyRecord, UnitOfWork
from shipcaptaincrew.services import guest_links, patron_mail
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.ids import new_id
from shipcaptaincrew.services.lookup import existing_event
from shipcaptaincrew.services.retries import retried


@dataclass(frozen=True)
class PaymentResult:
    entry: Entry
    event: Event


@dataclass(frozen=True)
class Logged:
    """What an idempotent log gave: the entry and its event, and whether the key had made it before."""

    result: PaymentResult
    replayed: bool


@dataclass(frozen=True)
class Statement:
    event: Event
    entries: list[Entry]
    balances: list[int]


@retried
def log_payment(ctx: Context, slug: str, draft: PaymentDraft, actor: str) -> PaymentResult:
    """Append a payment, update the event's paid state, audit it and queue the receipt, in one transaction.

    Raise NotFound for an unknown event, InvalidInput for a bad field, NeedsConfirmation for an unconfirmed amount
    more than ten times what is owed; nothing is written then.
    Never sends mail itself: delivery happens after commit (`outbox.deliver_due`).
    """
    with ctx.store.writing() as uow:
        return _log(ctx, uow, slug, draft, actor)


@retried
def log_payment_once(ctx: Context, slug: str, draft: PaymentDraft, actor: str, key: str, fingerprint: str) -> Logged:
    """Like log_payment, but a replay of `key` writes nothing and gives back the entry it made, `replayed`.

    `fingerprint` identifies the request; the same key with another fingerprint raises IdempotencyKeyReused.
    The key and the entry it made are stored in the entry's transaction, so requests racing with one key write
    exactly one entry: on SQLite the write lock queues them; on DynamoDB the key is stored on the condition that
    it is not yet, and the slower request runs again and finds it.
    """
    return _once(ctx, key, fingerprint, lambda uow: _log(ctx, uow, slug, draft, actor))


@retried
def log_refund(ctx: Context, slug: str, draft: PaymentDraft, actor: str) -> PaymentResult:
    """Append a refund (money sent back to the patron), update the paid state, audit it (`payment.refunded`) and
    queue the patron's refund receipt, in one transaction.

    Raise NotFound, InvalidInput for a bad field or more than was paid (net of refunds); nothing is written then.
    """
    with ctx.store.writing() as uow:
        return _refund(ctx, uow, slug, draft, actor)


@retried
def log_refund_once(ctx: Context, slug: str, draft: PaymentDraft, actor: str, key: str, fingerprint: str) -> Logged:
    """Like log_refund, with an idempotency key as `log_payment_once` has."""
    return _once(ctx, key, fingerprint, lambda uow: _refund(ctx, uow, slug, draft, actor))


@retried
def give_rain_check(ctx: Context, slug: str, to_slug: str, amount_cents: int | None, actor: str) -> RainCheck:
    """Move what a cancelled charter owes back (or `amount_cents` of it) onto another live booking of the same
    patron, as a credit on its balance: two ledger entries, both payment states, an audit entry
    (`payment.rain_check`), in one transaction.

    Raise NotFound, InvalidInput (nothing due, too much, the same charter, another patron, a cancelled target).
    """
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        source, target = existing_event(uow, slug, "event"), existing_event(uow, to_slug, "to_event")
        _check_rain_check(source, target)
        ids = (new_id("rch", now), new_id("crd", now))
        patron = f"{source.details.patron.first_name} {source.details.patron.last_name}".strip()
        out, credit = ledger.rain_check(
            ids,
            (source.slug, target.slug),
            amount_cents or source.refund_due_cents,
            source.refund_due_cents,
            patron,
            actor,
            now,
        )
        uow.ledger.append(out)
        uow.ledger.append(credit)
        source, target = _append_to_state(uow, source, out), _append_to_state(uow, target, credit)
        facts = {"from": source.slug, "to": target.slug, "amount_cents": out.amount_cents}
        uow.audit.append("payment.rain_check", actor, now, facts)
    return RainCheck(out, credit, source, target)


@dataclass(frozen=True)
class RainCheck:
    left: Entry
    arrived: Entry
    source: Event
    target: Event


def _check_rain_check(source: Event, target: Event) -> None:
    if source.key == target.key:
        raise InvalidInput("choose another booking to carry the rain check", "to_event")
    if target.details.status != "booked":
        raise InvalidInput(f"{target.slug} is not a live booking; choose one the patron is coming on", "to_event")
    if _patron(source) != _patron(target):
        raise InvalidInput(f"{target.slug} is another patron's booking: a rain check stays with its patron", "to_event")


def _patron(event: Event) -> tuple[str, ...]:
    patron = event.details.patron
    if patron.email:
        return (patron.email.casefold(),)
    return (patron.first_name.casefold(), patron.last_name.casefold())


def _once(ctx: Context, key: str, fingerprint: str, work: Callable[[UnitOfWork], PaymentResult]) -> Logged:
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        earlier = uow.idempotency.get(key)
        if earlier is not None:
            return Logged(_made_by(uow, earlier, fingerprint), replayed=True)
        result = work(uow)
        uow.idempotency.forget_older_than(now - KEEP_KEYS_FOR)
        uow.idempotency.put(key, IdempotencyRecord(fingerprint, result.entry.id, now), now + KEEP_KEYS_FOR)
    return Logged(result, replayed=False)


def _made_by(uow: UnitOfWork, earlier: IdempotencyRecord, fingerprint: str) -> PaymentResult:
    """The entry an earlier request with this key made, and its event as it is now."""
    if earlier.fingerprint != fingerprint:
        raise IdempotencyKeyReused("this idempotency key was used for a different request", "idempotency_key")
    entry = uow.ledger.get(earlier.entry_id)
    if entry is None:
        raise NotFound(f"no payment with id {earlier.entry_id!r}", "idempotency_key")
    return PaymentResult(entry, existing_event(uow, entry.event_slug, "event"))


@retried
def reverse_payment(ctx: Context, entry_id: str, reason: str, actor: str) -> PaymentResult:
    """Append the reversal of a payment and recompute the event's paid state, and tell the patron (who had a
    receipt) that it no longer counts. The original is never changed.

    Raise NotFound for an unknown entry, Conflict if it is a reversal or was reversed already.
    """
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        original = uow.ledger.get(entry_id)
        if original is None:
            raise NotFound(f"no payment with id {entry_id!r}", "id")
        reversed_already = uow.ledger.is_reversed(entry_id)
        entry = ledger.reversal(new_id("rev", now), original, reversed_already, reason, actor, now)
        uow.ledger.append(entry)
        event = _append_to_state(uow, existing_event(uow, original.event_slug, "event"), entry)
        uow.audit.append("payment.reversed", actor, now, {"id": entry.id, "reverses": entry_id, "slug": event.slug})
        if event.details.patron.email and original.kind == ledger.PAYMENT:
            notice = booking_mail.reversal_notice(event, original, entry, patron_mail.words(ctx))
            patron_mail.queue(uow, notice, now, "reversal")
    return PaymentResult(entry, event)


def statement(ctx: Context, slug: str) -> Statement:
    """The event and its ledger entries in order, with the balance after each."""
    with ctx.store.reading() as uow:
        event = existing_event(uow, slug, "event")
        entries = uow.ledger.for_event(event.slug)
    return Statement(event, entries, ledger.running_balances(entries, event.details.amount_due_cents))


def entries_between(ctx: Context, start: date, end: date) -> list[Entry]:
    """The ledger entries recorded from `start` to `end` inclusive; InvalidInput naming `to` if it is before
    `from`."""
    check_window(start, end)
    with ctx.store.reading() as uow:
        return uow.ledger.between(start, end)


def _log(ctx: Context, uow: UnitOfWork, slug: str, draft: PaymentDraft, actor: str) -> PaymentResult:
    now = ctx.clock.now()
    event = existing_event(uow, slug, "event")
    if event.details.status == "cancelled":
        raise Conflict(f"event {event.slug} is cancelled: log what goes back as a refund, not a payment", "event")
    ledger.check_amount_is_likely(draft, event.details.amount_due_cents, event.balance_cents)
    entry = ledger.payment(new_id("pay", now), event.slug, draft, ctx.payment_methods, actor, now)
    uow.ledger.append(entry)
    event = _append_to_state(uow, event, entry)
    uow.audit.append(
        "payment.logged", actor, now, {"id": entry.id, "slug": event.slug, "amount_cents": entry.amount_cents}
    )
    if event.details.patron.email:
        path, words = guest_links.party_path(ctx, event), patron_mail.words(ctx)
        patron_mail.queue(uow, mail.payment_receipt(event, entry, path, ctx.public_url, words), now, "receipt")
    return PaymentResult(entry, event)


def _refund(ctx: Context, uow: UnitOfWork, slug: str, draft: PaymentDraft, actor: str) -> PaymentResult:
    now = ctx.clock.now()
    event = existing_event(uow, slug, "event")
    paid = event.payment.paid_cents
    entry = ledger.refund(new_id("ref", now), event.slug, draft, ctx.payment_methods, actor, now, paid)
    uow.ledger.append(entry)
    event = _append_to_state(uow, event, entry)
    facts = {"id": entry.id, "slug": event.slug, "amount_cents": entry.amount_cents}
    uow.audit.append("payment.refunded", actor, now, facts)
    if event.details.patron.email:
        email = booking_mail.refund_receipt(event, entry, patron_mail.words(ctx))
        patron_mail.queue(uow, email, now, "refund")
    return PaymentResult(entry, event)


def _append_to_state(uow: UnitOfWork, event: Event, entry: Entry) -> Event:
    """The event with `entry` applied to its payment state as read, which moves by this entry in this transaction
    (on DynamoDB by an atomic ADD: a payment landing meanwhile is kept, and shows in the next read)."""
    state = ledger.after(event.payment, entry, event.details.amount_due_cents)
    uow.events.move_payment_state(event, state)
    return replace(event, payment=state)
