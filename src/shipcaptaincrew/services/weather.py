"""The weather call: cancel or move every live charter of some periods of one day, one transaction each.

Each charter is changed on its own (`booking.cancel_event`, `booking.reschedule_event`), so one that cannot be
changed leaves the others done and is reported; nothing is half-done. A second identical call finds no live
charter left in those periods and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shipcaptaincrew.domain import booking_mail, waivers
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.errors import DomainError, InvalidInput
from shipcaptaincrew.domain.text import clean_line
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services import booking, patron_mail
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.retries import retried

ACTIONS = ("cancel", "reschedule")


@dataclass(frozen=True)
class WeatherCall:
    """What the dispatcher decided: `action` on the live charters of `periods` of `day`, and why."""

    day: date
    periods: tuple[str, ...]
    action: str
    reason: str
    to_day: date | None = None
    to_period: str | None = None
    """Reschedule: the new period; None keeps each charter's own."""


@dataclass(frozen=True)
class Outcome:
    slug: str
    result: str
    """`cancelled`, `moved`, `would cancel`, `would move` or `failed`."""
    new_slug: str | None = None
    paid_cents: int = 0
    refund_due_cents: int = 0
    emailed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    error: str = ""


def make_weather_call(ctx: Context, call: WeatherCall, actor: str, dry_run: bool = False) -> list[Outcome]:
    """Apply the call to each live charter (or, with `dry_run`, say what would happen to each: who would be
    emailed and the money). Raise InvalidInput for a call that cannot be made (no reason, an unknown period, a
    reschedule without a day); a charter that fails is reported in its outcome and the others go on."""
    _check(ctx, call)
    outcomes = [
        _preview(ctx, event, call) if dry_run else _apply(ctx, event, call, actor) for event in _live(ctx, call)
    ]
    if not dry_run and outcomes:
        _record(ctx, call, outcomes, actor)
    return outcomes


@retried
def _record(ctx: Context, call: WeatherCall, outcomes: list[Outcome], actor: str) -> None:
    """The call as a whole, in the audit log (each charter's change has its own entry too)."""
    with ctx.store.writing() as uow:
        facts: dict[str, object] = {
            "date": call.day.isoformat(),
            "periods": list(call.periods),
            "action": call.action,
            "reason": call.reason.strip(),
            "charters": {outcome.slug: outcome.result for outcome in outcomes},
        }
        uow.audit.append("weather_call.made", actor, ctx.clock.now(), facts)


def _check(ctx: Context, call: WeatherCall) -> None:
    if call.action not in ACTIONS:
        raise InvalidInput(f"action must be one of {', '.join(ACTIONS)}", "action")
    clean_line(call.reason, "reason", max_len=300)
    if not call.periods:
        raise InvalidInput("name at least one period", "periods")
    for period in (*call.periods, *([call.to_period] if call.to_period else [])):
        ctx.periods.get(period)
    if call.action == "reschedule" and call.to_day is None:
        raise InvalidInput("a reschedule needs the day to move the charters to", "to_date")


def _live(ctx: Context, call: WeatherCall) -> list[Event]:
    with ctx.store.reading() as uow:
        found = uow.events.on_date(call.day)
    return [event for event in found if event.details.status == "booked" and event.details.period in call.periods]


def _apply(ctx: Context, event: Event, call: WeatherCall, actor: str) -> Outcome:
    told: list[str] = []

    def tell(uow: UnitOfWork, before: Event, after: Event) -> None:
        told[:] = _tell_others(ctx, uow, before, after)  # a change run again (a lost race) tells them once

    try:
        if call.action == "cancel":
            done = booking.cancel_event(ctx, event.slug, call.reason, actor, also=tell)
        else:
            assert call.to_day is not None
            period = call.to_period or event.details.period
            done = booking.reschedule_event(ctx, event.slug, call.to_day, period, event.version, actor, also=tell)
    except DomainError as error:
        return Outcome(event.slug, "failed", paid_cents=event.payment.paid_cents, error=error.message)
    patron = [done.details.patron.email] if done.details.patron.email else []
    return Outcome(
        event.slug,
        "cancelled" if call.action == "cancel" else "moved",
        new_slug=None if done.slug == event.slug else done.slug,
        paid_cents=done.payment.paid_cents,
        refund_due_cents=done.refund_due_cents,
        emailed=patron + told,
        conflicts=[conflict.message for conflict in done.assignment.conflicts],
    )


def _preview(ctx: Context, event: Event, call: WeatherCall) -> Outcome:
    with ctx.store.reading() as uow:
        crew = [email for _, email in _crew(uow, event)]
        guests = [email for _, email in _guests(uow, event)] if call.action == "reschedule" else []
    patron = [event.details.patron.email] if event.details.patron.email else []
    if call.action == "cancel":
        return Outcome(
            event.slug,
            "would cancel",
            paid_cents=event.payment.paid_cents,
            refund_due_cents=event.payment.paid_cents,
            emailed=patron + crew,
        )
    return Outcome(event.slug, "would move", paid_cents=event.payment.paid_cents, emailed=patron + crew + guests)


def _tell_others(ctx: Context, uow: UnitOfWork, before: Event, after: Event) -> list[str]:
    """Queue the crew's emails (and, for a move, the signed guests'), in the change's transaction."""
    now, told = ctx.clock.now(), []
    for name, email in _crew(uow, after):
        patron_mail.queue(
            uow, booking_mail.crew_change(after, before, name, email, patron_mail.words(ctx)), now, "crew-change"
        )
        told.append(email)
    if after.details.status != "cancelled":
        for name, email in _guests(uow, after):
            patron_mail.queue(
                uow, booking_mail.guest_moved(after, before, name, email, patron_mail.words(ctx)), now, "guest-moved"
            )
            told.append(email)
    return told


def _crew(uow: UnitOfWork, event: Event) -> list[tuple[str, str]]:
    people = [uow.roster.person(ref.id) for ref in event.assignment.people()]
    return [(person.name, person.email) for person in people if person is not None and person.email]


def _guests(uow: UnitOfWork, event: Event) -> list[tuple[str, str]]:
    """Guests who signed and gave an email, once each, the patron (told already) left out."""
    voided = {void.signature_id for void in uow.waivers.voids_for_event(event.slug)}
    signed = waivers.counted(uow.waivers.for_event(event.slug), voided)
    seen = {event.details.patron.email.casefold()}
    found = []
    for signature in signed:
        if signature.email and signature.email.casefold() not in seen:
            seen.add(signature.email.casefold())
            found.append((signature.guest_name, signature.email))
    return found
