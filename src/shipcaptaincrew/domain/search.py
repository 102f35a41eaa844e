"""Finding a charter by what a dispatcher remembers of it: part of the patron's name, email or phone, or the slug.

Every word typed must appear (case-insensitive); a word of phone characters also matches the phone's digits,
so `555-0112` and `5550112` both find `+1 555 0112`. Both stores apply this one rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from shipcaptaincrew.domain.errors import InvalidInput

MAX_TEXT = 100
MAX_WORDS = 8
_PHONE_WORD = re.compile(r"[0-9+().\-]*[0-9][0-9+().\-]*")


def words(text: str, field: str = "q") -> tuple[str, ...]:
    """The words of a search, folded for comparing; raise InvalidInput naming `field` for none or too many."""
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{field} must be at most {MAX_TEXT} characters", field)
    found = tuple(text.casefold().split())
    if not found:
        raise InvalidInput(f"{field} must hold a word to search for", field)
    if len(found) > MAX_WORDS:
        raise InvalidInput(f"{field} may hold at most {MAX_WORDS} words", field)
    return found


def matches(searched: Sequence[str], slug: str, first_name: str, last_name: str, email: str, phone: str) -> bool:
    """Whether every word is in the slug, the patron's names, email or phone."""
    text = " ".join((slug, first_name, last_name, email, phone)).casefold()
    digits = _digits(phone)
    return all(word in text or (_PHONE_WORD.fullmatch(word) and _digits(word) in digits) for word in searched)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
