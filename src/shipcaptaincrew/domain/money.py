"""Money is integer cents. Amounts are parsed from their decimal text, never through float."""

from __future__ import annotations

import re

from shipcaptaincrew.domain.errors import InvalidInput

_AMOUNT = re.compile(r"([0-9]+)(?:\.([0-9]{1,2}))?")
MAX_CENTS = 999_999_999_99
MAX_AMOUNT = "999,999,999.99"
"""The largest amount accepted, as the messages say it."""
_WHOLE_DIGITS = len(str(MAX_CENTS // 100))


def parse_cents(text: str, field: str = "amount") -> int:
    """`"125.5"` → 12550. Refuses zero, negatives, more than two decimals, exponents, NaN and blanks, and
    amounts above MAX_AMOUNT, saying so.

    The caller passes the amount's exact text: a JSON string's contents or a JSON number's literal.
    """
    match = _AMOUNT.fullmatch(text.strip())
    if match and len(match.group(1).lstrip("0")) > _WHOLE_DIGITS:
        raise InvalidInput(f"{field} must be at most {MAX_AMOUNT}; got {text[:32]!r}", field)
    if not match or len(match.group(1)) > _WHOLE_DIGITS:
        raise InvalidInput(
            f"{field} must be a positive amount with at most two decimals, like 125.50; got {text[:32]!r}", field
        )
    whole, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    cents = int(whole) * 100 + int(fraction)
    if cents == 0:
        raise InvalidInput(f"{field} must be more than zero", field)
    return cents


def format_cents(cents: int) -> str:
    """12550 → `125.50`; negative amounts keep their sign."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole}.{fraction:02d}"


def say_cents(cents: int) -> str:
    """12345678 → `$123,456.78`: an amount as a message says it, thousands grouped."""
    whole, fraction = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}${whole:,}.{fraction:02d}"
