"""Reminding patrons before their charter: one email per charter and number of days before, whoever runs it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shipcaptaincrew.domain import reminders
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.errors import AlreadyUsed
from shipcaptaincrew.services import guest_links
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.lookup import existing_event
from shipcaptaincrew.services.patron_mail import queue
from shipcaptaincrew.services.retries import retried


@dataclass(frozen=True)
class Reminder:
    slug: str
    days_before: int
    to: str


def send_reminders(ctx: Context, dry_run: bool = False) -> list[Reminder]:
    """Queue every reminder due today (in the operator's time zone) that has not gone out yet; return them.

    Each is queued with its mark in one transaction, so it goes out once per charter and days-before however
    often, and from however many processes, this runs. Cancelled charters, charters without a patron email and
    those whose reminders are off get none. `dry_run` writes nothing and returns what would be queued.
    """
    now = ctx.clock.now()
    today = now.astimezone(ctx.zone).date()
    queued: list[Reminder] = []
    for days_before, day in reminders.charter_days(today, ctx.reminder_days):
        for event in _due(ctx, day, days_before):
            if dry_run or _remind(ctx, event.slug, days_before, now):
                queued.append(Reminder(event.slug, days_before, event.details.patron.email))
    return queued


def _due(ctx: Context, day: date, days_before: int) -> list[Event]:
    with ctx.store.reading() as uow:
        charters = [event for event in uow.events.on_date(day) if reminders.wants_reminder(event)]
        return [event for event in charters if not uow.events.reminded(event.slug, days_before)]


@retried
def _remind(ctx: Context, slug: str, days_before: int, now: datetime) -> bool:
    """Queue one reminder with its mark; False if it is no longer due (sent meanwhile, or the charter changed)."""
    try:
        with ctx.store.writing() as uow:
            event = existing_event(uow, slug)
            if not reminders.wants_reminder(event):
                return False
            party_url = f"{ctx.public_url}{guest_links.party_path(ctx, event)}"
            email = reminders.reminder(event, days_before, ctx.periods, ctx.meeting_point, party_url, ctx.operator)
            uow.events.mark_reminded(event.slug, days_before, now)
            queue(uow, email, now, "reminder")
            uow.audit.append("event.reminded", "reminders", now, {"slug": event.slug, "days_before": days_before})
    except AlreadyUsed:  # another process sent it between our look and our write
        return False
    return True
