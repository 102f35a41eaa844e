"""Between the wire shapes in `schemas.py` and the domain's records."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from shipcaptaincrew.domain import slugs
from shipcaptaincrew.domain.bookings import KEEP, Event, EventChanges, EventDetails, Keep, Patron
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.money import parse_cents
from shipcaptaincrew.services import guest_links
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import schemas

T = TypeVar("T")


def amount_text(raw: msgspec.Raw, field: str) -> str | None:
    """The exact text of a JSON amount: a string's contents or a number's literal; None for null."""
    text = bytes(raw).strip()
    if text == b"null":
        return None
    if text.startswith(b'"'):
        return msgspec.json.decode(text, type=str)
    if text[:1].isdigit() or text[:1] == b"-":
        return text.decode()
    raise InvalidInput(f'{field} must be a number or a string like "125.50"', field)


def optional_cents(raw: msgspec.Raw, field: str) -> int | None:
    text = amount_text(raw, field)
    return None if text is None else parse_cents(text, field)


def details_from(body: schemas.EventIn) -> EventDetails:
    patron = body.patron
    return EventDetails(
        date=body.date,
        period=body.period,
        patron=Patron(patron.first_name, patron.last_name, patron.email, patron.phone),
        party_size=body.party_size,
        title=body.title,
        notes=body.notes,
        amount_due_cents=optional_cents(body.amount_due, "amount_due"),
        reminders=body.reminders,
    )


def changes_from(body: schemas.EventPatch) -> EventChanges:
    patron = body.patron if not isinstance(body.patron, msgspec.UnsetType) else schemas.PatronPatch()
    amount: int | Keep | None = KEEP
    if not isinstance(body.amount_due, msgspec.UnsetType):
        amount = optional_cents(body.amount_due, "amount_due")
    return EventChanges(
        date=_keep(body.date),
        period=_keep(body.period),
        first_name=_keep(patron.first_name),
        last_name=_keep(patron.last_name),
        email=_keep(patron.email),
        phone=_keep(patron.phone),
        party_size=_keep(body.party_size),
        title=_keep(body.title),
        notes=_keep(body.notes),
        amount_due_cents=amount,
        status=_keep(body.status),
        reminders=_keep(body.reminders),
    )


def event_out(event: Event, ctx: Context) -> schemas.EventOut:
    return schemas.EventOut(**_event_fields(event, ctx))


def event_detail_out(event: Event, ctx: Context, aliases: list[str]) -> schemas.EventDetailOut:
    return schemas.EventDetailOut(**_event_fields(event, ctx), aliases=aliases)


def _event_fields(event: Event, ctx: Context) -> dict[str, Any]:
    details, patron, assignment = event.details, event.details.patron, event.assignment
    return {
        "slug": event.slug,
        "slug_conforming": slugs.is_conforming(event.slug, ctx.periods),
        "date": details.date,
        "period": details.period,
        "patron": schemas.PatronOut(patron.first_name, patron.last_name, patron.email, patron.phone),
        "party_size": details.party_size,
        "title": details.title,
        "notes": details.notes,
        "amount_due_cents": details.amount_due_cents,
        "status": details.status,
        "reminders": details.reminders,
        "ship": event.ship,
        "captain": event.captain,
        "crew": list(event.crew),
        "ship_id": assignment.ship.id if assignment.ship else None,
        "captain_id": assignment.captain.id if assignment.captain else None,
        "crew_ids": [member.id for member in assignment.crew],
        "conflicts": [schemas.ConflictOut(c.kind, c.message, c.other, c.overridden) for c in assignment.conflicts],
        "override_reason": assignment.override_reason,
        "payment_cleared": event.payment_cleared,
        "payment_cleared_at": event.payment.cleared_at,
        "paid_cents": event.payment.paid_cents,
        "balance_cents": event.balance_cents,
        "refund_due_cents": event.refund_due_cents,
        "waivers_signed": event.waivers_signed,
        "guest_url": ctx.path_prefix + guest_links.party_path(ctx, event),
        "guest_link": guest_links.party_link(ctx, event),
        "version": event.version,
        "created_at": event.created_at,
        "updated_at": event.updated_at,
        "dock_status": event.dock.status,
        "aboard": event.dock.aboard,
        "departed_at": event.dock.departed_at,
        "returned_at": event.dock.returned_at,
    }


def _keep(value: T | msgspec.UnsetType) -> T | Keep:
    return KEEP if isinstance(value, msgspec.UnsetType) else value
