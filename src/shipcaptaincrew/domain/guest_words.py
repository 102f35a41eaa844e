"""How guest pages, copies and emails say when a charter is and when something happened: in the operator's words
and time zone ("Afternoon, 13:00 to 17:00" with an en dash, "Saturday 23 May 2026 at 9:51 (EDT)"), never as
stored values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from shipcaptaincrew.domain.periods import DEFAULT_PERIODS, Period, Periods

PERIOD_LABELS = {"am": "Morning", "pm": "Afternoon", "sunset": "Sunset", "full": "Full day"}
"""The board's labels too (web/static/dispatch/assets/format.js); another period shows as its name, capitalised."""


def period_label(name: str) -> str:
    return PERIOD_LABELS.get(name, name.capitalize())


def clock_time(moment: time) -> str:
    """`8:00`, `13:30`: no leading zero, a 24-hour clock."""
    return f"{moment.hour}:{moment.minute:02d}"


def window(period: Period) -> str:
    """`8:00` to `12:00` joined by an en dash."""
    return f"{clock_time(period.starts)}\u2013{clock_time(period.ends)}"


def period_words(period: Period) -> str:
    """`Morning, ` and the window."""
    return f"{period_label(period.name)}, {window(period)}"


def long_day(day: date) -> str:
    """`Saturday 23 May 2026`."""
    return f"{day:%A} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class GuestWords:
    """What the words need: the operator's name, periods and time zone (SCC_OPERATOR_NAME, SCC_PERIODS,
    SCC_TIMEZONE)."""

    operator: str = "ShipCaptainCrew charters"
    periods: Periods = DEFAULT_PERIODS
    zone: tzinfo = UTC

    def period(self, name: str) -> str:
        """`Morning, ` and the window; a period no longer configured shows as its label alone."""
        found = next((period for period in self.periods.items if period.name == name), None)
        return period_words(found) if found else period_label(name)

    def charter(self, day: date, period: str) -> str:
        """`Saturday 23 May 2026, Morning, ` and the window."""
        return f"{long_day(day)}, {self.period(period)}"

    def moment(self, stored: str) -> str:
        """A stored UTC time (ISO 8601) in the operator's zone: `Saturday 23 May 2026 at 9:51 (EDT)`."""
        try:
            when = datetime.fromisoformat(stored)
        except ValueError:
            return stored
        local = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(self.zone)
        return f"{long_day(local.date())} at {clock_time(local.time())} ({local.tzname() or 'UTC'})"

    def local_day(self, stored: str) -> str:
        """The day a stored UTC time falls on in the operator's zone: `Saturday 23 May 2026`."""
        try:
            when = datetime.fromisoformat(stored)
        except ValueError:
            return stored
        return long_day((when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(self.zone).date())
