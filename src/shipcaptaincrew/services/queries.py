"""Read-only use cases: one event, a date window of events, slugs that need attention."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date

from shipcaptaincrew.domain import search, slugs
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.days import check_window, in_range
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.lookup import existing_event

MAX_PAGE = 500


@dataclass(frozen=True)
class EventPage:
    events: list[Event]
    next_cursor: str | None


@dataclass(frozen=True)
class LegacySlug:
    slug: str
    reason: str


def get_event(ctx: Context, slug: str) -> Event:
    """The event by slug or old alias; raise NotFound."""
    with ctx.store.reading() as uow:
        return existing_event(uow, slug)


def get_event_with_aliases(ctx: Context, slug: str) -> tuple[Event, list[str]]:
    """The event by slug or old alias, and its old slugs; raise NotFound."""
    with ctx.store.reading() as uow:
        event = existing_event(uow, slug)
        return event, uow.events.aliases(event.slug)


def list_events(ctx: Context, start: date, end: date, cursor: str | None = None, limit: int = 200) -> EventPage:
    """Events from start to end inclusive, by date then period; `next_cursor` continues the listing."""
    in_range(start, "from")
    in_range(end, "to")
    check_window(start, end)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", "limit")
    after = _decode_cursor(cursor) if cursor else None
    with ctx.store.reading() as uow:
        found = uow.events.list_window(start, end, after, limit + 1)
    page, more = found[:limit], len(found) > limit
    return EventPage(page, _encode_cursor(ctx, page[-1]) if more else None)


def search_events(ctx: Context, text: str, limit: int = 50) -> list[Event]:
    """Events of every date whose patron name, email, phone or slug hold each word of `text`, by date.

    Raise InvalidInput naming `q` for an empty or over-long search, or a limit out of range.
    """
    searched = search.words(text)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", "limit")
    with ctx.store.reading() as uow:
        return uow.events.search(searched, limit)


def list_legacy_slugs(ctx: Context) -> list[LegacySlug]:
    """Slugs that do not follow YYYY-MM-DD-firstname-period, with why."""
    with ctx.store.reading() as uow:
        every = list(uow.events.all_slugs())
    return [LegacySlug(slug, reason) for slug in every if (reason := _nonconformity(ctx, slug))]


def _nonconformity(ctx: Context, slug: str) -> str:
    try:
        slugs.parse(slug, ctx.periods)
    except InvalidInput as error:
        return error.message
    return ""


def _encode_cursor(ctx: Context, last: Event) -> str:
    starts = ctx.periods.get(last.details.period).starts.strftime("%H:%M")
    key = f"{last.details.date.isoformat()}|{starts}|{last.slug}"
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, str, str]:
    try:
        day, starts, slug = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor is not one this server issued; start the listing again", "cursor") from None
    return day, starts, slug
