"""Event slugs: `YYYY-MM-DD-<firstname>-<period>`, e.g. `2026-05-23-sarah-pm`.

`build` makes one from its parts, `parse` takes one apart, and `parse(build(x)) == x`.
Slugs from the old system that do not follow the pattern stay readable; `is_conforming` tells them apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.periods import Periods

_SHAPE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})-([a-z]+)-([a-z]+)")
# Anything stored as a slug, legacy ones included, must be safe in a URL path and a file name.
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
MAX_NAME_LETTERS = 40

# Letters that Unicode decomposition does not reduce to ASCII.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "\u1e9e": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "\u0131": "i",
    }
)


@dataclass(frozen=True)
class SlugParts:
    date: date
    first_name: str
    period: str


def slug_name(first_name: str) -> str:
    """`José` → `jose`, `Mary Kate` → `marykate`; raise InvalidInput if no letter a-z remains."""
    decomposed = unicodedata.normalize("NFKD", first_name.translate(_LETTERS))
    letters = "".join(ch for ch in decomposed if "a" <= ch.lower() <= "z").lower()
    if not letters:
        raise InvalidInput(
            "patron first name must contain at least one letter A-Z (after removing accents) to build the slug; "
            "give the slug explicitly instead",
            "patron.first_name",
        )
    return letters[:MAX_NAME_LETTERS]


def build(day: date, first_name: str, period: str, periods: Periods) -> str:
    periods.get(period)
    return f"{day.isoformat()}-{slug_name(first_name)}-{period}"


def parse(slug: str, periods: Periods, field: str = "slug") -> SlugParts:
    """Split a conforming slug; raise InvalidInput naming what is wrong."""
    match = _SHAPE.fullmatch(slug)
    if not match:
        raise InvalidInput(f"slug {slug!r} must look like YYYY-MM-DD-firstname-period, e.g. 2026-05-23-sarah-pm", field)
    year, month, day, name, period = match.groups()
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        raise InvalidInput(f"slug {slug!r} does not start with a real calendar date", field) from None
    if len(name) > MAX_NAME_LETTERS:
        raise InvalidInput(f"slug {slug!r}: the name part is longer than {MAX_NAME_LETTERS} letters", field)
    periods.get(period, field)
    return SlugParts(when, name, period)


def is_conforming(slug: str, periods: Periods) -> bool:
    try:
        parse(slug, periods)
    except InvalidInput:
        return False
    return True


def check_safe(slug: str, field: str = "slug") -> str:
    """Any slug we store, conforming or legacy, must be a short URL-safe token."""
    if not _SAFE.fullmatch(slug):
        raise InvalidInput(
            "slug must be 1-80 characters of letters, digits, '.', '_' or '-', starting with a letter or digit",
            field,
        )
    return slug
