"""The calendar days the system takes: far enough either way for any charter, payment or licence, and far
enough from Python's own limits (years 1 and 9999) that a window or a reminder computed from one never
overflows into a 500."""

from __future__ import annotations

import re
from datetime import date

from shipcaptaincrew.domain.errors import InvalidInput

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str, field: str) -> date:
    """The day written `YYYY-MM-DD`; InvalidInput naming the field if it is not one (`2026-02-30 is not a date`)
    or lies outside FIRST_DAY..LAST_DAY."""
    day = calendar_day(text)
    if day is None:
        raise InvalidInput(f"{field}: {not_a_date(text)}", field)
    return in_range(day, field)


def not_a_date(text: str) -> str:
    """Why `text` is not a day, in a dispatcher's words: `2026-02-30 is not a date`; for text not written
    YYYY-MM-DD, the way to write one."""
    if _DAY.fullmatch(text):
        return f"{text} is not a date"
    return f"{text[:32]!r} is not a date like 2026-05-23"


def calendar_day(text: str) -> date | None:
    """The day written `YYYY-MM-DD`, or None if the text is not one (any range)."""
    if not _DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def in_range(day: date, field: str) -> date:
    """The day, or InvalidInput naming the field if it lies outside FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"{field} must be between {FIRST_DAY} and {LAST_DAY}; got {day}", field)
    return day


def check_window(start: date, end: date, first: str = "from", last: str = "to") -> None:
    """Raise InvalidInput naming `last` (the end's name as the caller's user knows it) if the window ends before
    it starts: a reversed window is a mistake to point out, never an empty answer."""
    if end < start:
        raise InvalidInput(f"{last} must not be before {first}: {end} is before {start}", last)


def optional_in_range(day: date | None, field: str) -> date | None:
    return None if day is None else in_range(day, field)
