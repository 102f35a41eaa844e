"""Booking use cases: create, change, rename, cancel and move events, and send the party's link again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from shipcaptaincrew.domain import bookings, ledger, slugs
from shipcaptaincrew.domain.bookings import Event, EventChanges, EventDetails
from shipcaptaincrew.domain.errors import Conflict as DomainConflict
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services import conflicts, guest_links
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.ids import new_key
from shipcaptaincrew.services.lookup import existing_event
from shipcaptaincrew.services.retries import retried

if TYPE_CHECKING:  # the mail code is loaded when a change tells someone, never on a first look at the board
    pass


@retried
def create_event(
    ctx: Context, details: EventDetails, actor: str, slug: str | None = None, notify: bool = True
) -> Event:
    """Book an event and (`notify`, and the patron has an email) queue the confirmation with the party's link.
    Raise InvalidInput for bad fields, SlugTaken when the slug is in use. Writes nothing on error."""
    now = ctx.clock.now()
    event = bookings.new_event(details, slug, ctx.periods, now, guest_links.new_nonce(), new_key())
    with ctx.store.writing() as uow:
        uow.events.add(event)
        uow.audit.append("event.created", actor, now, {"slug": event.slug})
        if notify and event.details.patron.email:
            from shipcaptaincrew.services import patron_mail  # mail code stays off the cold path

            patron_mail.queue_confirmation(ctx, uow, event, now)
    return event


@retried
def send_link_again(ctx: Context, slug: str, actor: str) -> Event:
    """Email the patron the party's link once more (audited `event.link_sent`).

    Raise NotFound, InvalidInput (`patron.email`) when the patron has no email, Conflict for a cancelled charter.
    """
    from shipcaptaincrew.services import patron_mail

    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        event = existing_event(uow, slug)
        if event.details.status == "cancelled":
            raise DomainConflict(f"event {event.slug} is cancelled; there is no link to send", "status")
        if not patron_mail.queue_confirmation(ctx, uow, event, now, again=True):
            raise InvalidInput("the patron has no email address: add one with Edit first", "patron.email")
        uow.audit.append("event.link_sent", actor, now, {"slug": event.slug})
    return event


@retried
def import_legacy_event(ctx: Context, details: EventDetails, slug: str, actor: str) -> Event:
    """Store an event from the old system under its old, possibly non-conforming, slug."""
    now = ctx.clock.now()
    event = bookings.legacy_event(details, slug, ctx.periods, now, guest_links.new_nonce(), new_key())
    with ctx.store.writing() as uow:
        uow.events.add(event)
        uow.audit.append("event.imported", actor, now, {"slug": event.slug})
    return event


@retried
def update_event(ctx: Context, slug: str, changes: EventChanges, expected_version: int, actor: str) -> Event:
    """Save new details. Raise NotFound, StaleVersion if someone saved first, InvalidInput for bad fields.

    A conforming slug whose date or period changes is renamed to match; the old slug stays an alias.
    The conflicts of the old and the new day are found again in the same transaction.
    """
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        revised = _update(ctx, uow, existing_event(uow, slug), changes, expected_version, now)
        uow.audit.append("event.updated", actor, now, {"slug": revised.slug, "version": revised.version})
    return revised


def _update(
    ctx: Context, uow: UnitOfWork, current: Event, changes: EventChanges, expected_version: int, now: datetime
) -> Event:
    details = bookings.apply_changes(current.details, changes)
    revised = bookings.revise(current, details, expected_version, ctx.periods, now)
    uow.events.save(revised, expected_version)
    if revised.details.amount_due_cents != current.details.amount_due_cents:
        state = ledger.payment_state(uow.ledger.for_event(current.slug), revised.details.amount_due_cents)
        uow.events.set_payment_state(current.slug, state)
        revised = replace(revised, payment=state)
    new_slug = _slug_after_reschedule(current, revised, ctx)
    if new_slug != current.slug:
        uow.events.rename(current.slug, new_slug)
        revised = replace(revised, slug=new_slug)
    conflicts.refresh_days(ctx, uow, {current.details.date, revised.details.date})
    return uow.events.get(revised.slug) or revised


@retried
def rename_event(ctx: Context, old: str, new: str, actor: str) -> Event:
    """Give an event a conforming slug; the old one keeps working as an alias."""
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        current = existing_event(uow, old)
        parts = slugs.parse(new, ctx.periods, field="new")
        if (parts.date, parts.period) != (current.details.date, current.details.period):
            raise InvalidInput(
                f"new slug {new!r} must carry the event's date {current.details.date} "
                f"and period {current.details.period!r}",
                "new",
            )
        uow.events.rename(current.slug, new)
        uow.audit.append("event.renamed", actor, now, {"from": current.slug, "to": new})
        renamed = uow.events.get(new)
    assert renamed is not None
    return renamed


Also = Callable[[UnitOfWork, Event, Event], None]
"""More to do in a change's transaction, with the event before and after (e.g. telling the crew)."""


@retried
def cancel_event(
    ctx: Context,
    slug: str,
    reason: str,
    actor: str,
    keep_cents: int | None = None,
    expected_version: int | None = None,
    also: Also | None = None,
) -> Event:
    """Cancel a charter for `reason`: it then owes only what the operator keeps (`keep_cents`), so what was paid
    beyond that is a refund due; the ledger is kept as it is. The day's conflicts are found again, the patron is
    emailed, and it is audited (`event.cancelled`), in one transaction.

    Raise NotFound, StaleVersion (`expected_version` given and not current), Conflict (cancelled already),
    InvalidInput (no reason). Nothing is written then.
    """
    from shipcaptaincrew.domain import booking_mail
    from shipcaptaincrew.services import patron_mail

    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        current = existing_event(uow, slug)
        if expected_version is not None:
            bookings.revise(current, current.details, expected_version, ctx.periods, now)
        cancelled = bookings.cancelled(current, reason, keep_cents, ctx.periods, now)
        uow.events.save(cancelled, current.version)
        state = ledger.payment_state(uow.ledger.for_event(current.slug), cancelled.details.amount_due_cents)
        uow.events.set_payment_state(current.slug, state)
        conflicts.refresh_days(ctx, uow, {current.details.date})
        cancelled = replace(uow.events.get(current.slug) or cancelled, payment=state)
        why = reason.strip()
        if cancelled.details.patron.email:
            patron_mail.queue(
                uow, booking_mail.cancellation(cancelled, why, patron_mail.words(ctx)), now, "cancellation"
            )
        facts = {
            "slug": current.slug,
            "reason": why,
            "kept_cents": keep_cents or 0,
            "refund_due_cents": cancelled.refund_due_cents,
            "amount_due_was": current.details.amount_due_cents,
        }
        uow.audit.append("event.cancelled", actor, now, facts)
        if also is not None:
            also(uow, current, cancelled)
    return cancelled


@retried
def reschedule_event(
    ctx: Context, slug: str, day: date, period: str, expected_version: int, actor: str, also: Also | None = None
) -> Event:
    """Move a charter to another day or period: its slug is renamed (the old one keeps leading to it), the
    conflicts of both days are found again (and shown, not refused), and the patron is emailed the new time and
    the same party link. Raise as `update_event` does, and Conflict for a cancelled charter."""
    from shipcaptaincrew.domain import booking_mail
    from shipcaptaincrew.services import patron_mail

    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        before = existing_event(uow, slug)
        if before.details.status == "cancelled":
            raise DomainConflict(f"event {before.slug} is cancelled; it cannot be moved", "status")
        moved = _update(ctx, uow, before, EventChanges(date=day, period=period), expected_version, now)
        if moved.details.patron.email:
            party_url = guest_links.party_link(ctx, moved)
            email = booking_mail.rescheduled(moved, before, patron_mail.words(ctx), party_url)
            patron_mail.queue(uow, email, now, "reschedule")
        facts = {"from": before.slug, "to": moved.slug, "version": moved.version}
        uow.audit.append("event.rescheduled", actor, now, facts)
        if also is not None:
            also(uow, before, moved)
    return moved


def _slug_after_reschedule(before: Event, after: Event, ctx: Context) -> str:
    same_day = (before.details.date, before.details.period) == (after.details.date, after.details.period)
    if same_day or not slugs.is_conforming(before.slug, ctx.periods):
        return before.slug
    name = slugs.parse(before.slug, ctx.periods).first_name
    return f"{after.details.date.isoformat()}-{name}-{after.details.period}"
