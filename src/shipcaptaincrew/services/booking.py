"""Booking use cases: create, change and rename events."""

from __future__ import annotations

from dataclasses import replace

from shipcaptaincrew.domain import events, ledger, slugs
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.events import Event, EventChanges, EventDetails
from shipcaptaincrew.services import conflicts, guest_links
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.ids import new_key
from shipcaptaincrew.services.lookup import existing_event
from shipcaptaincrew.services.retries import retried


@retried
def create_event(ctx: Context, details: EventDetails, actor: str, slug: str | None = None) -> Event:
    """Book an event. Raise InvalidInput for bad fields, SlugTaken when the slug is in use. Writes nothing on error."""
    now = ctx.clock.now()
    event = events.new_event(details, slug, ctx.periods, now, guest_links.new_nonce(), new_key())
    with ctx.store.writing() as uow:
        uow.events.add(event)
        uow.audit.append("event.created", actor, now, {"slug": event.slug})
    return event


@retried
def import_legacy_event(ctx: Context, details: EventDetails, slug: str, actor: str) -> Event:
    """Store an event from the old system under its old, possibly non-conforming, slug."""
    now = ctx.clock.now()
    event = events.legacy_event(details, slug, ctx.periods, now, guest_links.new_nonce(), new_key())
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
        current = existing_event(uow, slug)
        details = events.apply_changes(current.details, changes)
        revised = events.revise(current, details, expected_version, ctx.periods, now)
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
        revised = uow.events.get(revised.slug) or revised
        uow.audit.append("event.updated", actor, now, {"slug": revised.slug, "version": revised.version})
    return revised


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


def _slug_after_reschedule(before: Event, after: Event, ctx: Context) -> str:
    same_day = (before.details.date, before.details.period) == (after.details.date, after.details.period)
    if same_day or not slugs.is_conforming(before.slug, ctx.periods):
        return before.slug
    name = slugs.parse(before.slug, ctx.periods).first_name
    return f"{after.details.date.isoformat()}-{name}-{after.details.period}"
