"""The calendar days the system takes: far enough either way for any charter, payment or licence, and far
enough from Python's own limits (years 1 and 9999) that a window or a reminder computed from one never
overflows into a 500."""

from __future__ import annotations

from datetime import date

from shipcaptaincrew.domain.errors import InvalidInput

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def in_range(day: date, field: str) -> date:
    """The day, or InvalidInput naming the field if it lies outside FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(f"{field} must be between {FIRST_DAY} and {LAST_DAY}; got {day}", field)
    return day


def optional_in_range(day: date | None, field: str) -> date | None:
    return None if day is None else in_range(day, field)
