"""Money is integer cents. Amounts are parsed from their decimal text, never through float."""

from __future__ import annotations

import re

from shipcaptaincrew.domain.errors import InvalidInput

_AMOUNT = re.compile(r"([0-9]{1,9})(?:\.([0-9]{1,2}))?")
MAX_CENTS = 999_999_999_99


def parse_cents(text: str, field: str = "amount") -> int:
    """`"125.5"` → 12550. Refuses zero, negatives, more than two decimals, exponents, NaN and blanks.

    The caller passes the amount's exact text: a JSON string's contents or a JSON number's literal.
    """
    match = _AMOUNT.fullmatch(text.strip()) if len(text) <= 32 else None
    if not match:
        raise InvalidInput(
            f"{field} must be a positive amount with at most two decimals, like 125.50; got {text[:32]!r}", field
        )
    whole, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    cents = int(whole) * 100 + int(fraction)
    if cents == 0:
        raise InvalidInput(f"{field} must be more than zero", field)
    if cents > MAX_CENTS:
        raise InvalidInput(f"{field} is larger than the largest amount accepted (999,999,999.99)", field)
    return cents


def format_cents(cents: int) -> str:
    """12550 → `125.50`; negative amounts keep their sign."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole}.{fraction:02d}"
