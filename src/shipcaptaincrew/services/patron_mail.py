"""Queuing what a patron is sent, in the transaction of the change that causes it, in the operator's words."""

from __future__ import annotations

from datetime import datetime

from shipcaptaincrew.domain import booking_mail
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.guest_words import GuestWords
from shipcaptaincrew.domain.mail import Email, OutboxMessage
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services import guest_links
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.ids import new_id


def words(ctx: Context) -> GuestWords:
    """This operator's name, periods and time zone (SCC_OPERATOR_NAME, SCC_PERIODS, SCC_TIMEZONE)."""
    return GuestWords(ctx.operator, ctx.periods, ctx.zone)


def queue(uow: UnitOfWork, email: Email, now: datetime, kind: str) -> None:
    message_id = new_id("msg", now)
    uow.outbox.add(OutboxMessage(message_id, f"<{message_id}@shipcaptaincrew>", email, now, kind=kind))


def queue_confirmation(ctx: Context, uow: UnitOfWork, event: Event, now: datetime, again: bool = False) -> bool:
    """The booking confirmation with the party's link (or the link again); False when the patron has no email."""
    if not event.details.patron.email:
        return False
    email = booking_mail.confirmation(event, words(ctx), guest_links.party_link(ctx, event), again)
    queue(uow, email, now, "link" if again else "confirmation")
    return True
