"""Charter periods (am, pm, sunset, full) and their time windows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from shipcaptaincrew.domain.errors import InvalidInput

_NAME = re.compile(r"[a-z]{1,12}")
_SPEC = re.compile(r"([a-z]{1,12})=([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})")

DEFAULT_PERIODS_SPEC = "am=08:00-12:00,pm=13:00-17:00,sunset=18:00-21:00,full=08:00-17:00"


@dataclass(frozen=True)
class Period:
    name: str
    starts: time
    ends: time

    def overlaps(self, other: Period) -> bool:
        return self.starts < other.ends and other.starts < self.ends


@dataclass(frozen=True)
class Periods:
    """The operator's configured set of periods, in the order they are listed."""

    items: tuple[Period, ...]

    def names(self) -> tuple[str, ...]:
        return tuple(period.name for period in self.items)

    def get(self, name: str, field: str = "period") -> Period:
        for period in self.items:
            if period.name == name:
                return period
        allowed = ", ".join(self.names())
        raise InvalidInput(f"period must be one of {allowed}; got {name!r}", field)

    def __contains__(self, name: object) -> bool:
        return any(period.name == name for period in self.items)


def parse_periods(spec: str) -> Periods:
    """Parse `am=08:00-12:00,pm=13:00-17:00`; raise ValueError naming the bad part."""
    items = tuple(_parse_one(part.strip()) for part in spec.split(",") if part.strip())
    if not items:
        raise ValueError("at least one period is required")
    names = [period.name for period in items]
    if len(set(names)) != len(names):
        raise ValueError(f"period names repeat: {spec}")
    return Periods(items)


def _parse_one(part: str) -> Period:
    match = _SPEC.fullmatch(part)
    if not match or not _NAME.fullmatch(match.group(1)):
        raise ValueError(f"period {part!r} is not of the form name=HH:MM-HH:MM (name in a-z)")
    name, h1, m1, h2, m2 = match.groups()
    try:
        starts, ends = time(int(h1), int(m1)), time(int(h2), int(m2))
    except ValueError as error:
        raise ValueError(f"period {part!r}: {error}") from None
    if ends <= starts:
        raise ValueError(f"period {part!r} must end after it starts")
    return Period(name, starts, ends)


DEFAULT_PERIODS = parse_periods(DEFAULT_PERIODS_SPEC)
