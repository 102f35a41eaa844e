"""Rules for text a person typed: printable, trimmed, bounded."""

from __future__ import annotations

import bisect
import re

from shipcaptaincrew.domain.errors import InvalidInput

EMAIL_PATTERN = r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{2,63}"
PHONE_PATTERN = r"\+?[0-9 ().-]{5,32}"
_EMAIL = re.compile(EMAIL_PATTERN)
_PHONE = re.compile(PHONE_PATTERN)

# Every code point in Unicode's categories Cc, Cf, Cs, Co, Zl and Zp (control and format characters such as
# CR/LF and the bidi overrides, surrogates, private use, line and paragraph separators), as inclusive ranges.
# A fixed table, not unicodedata: the rule then does not move with Python's Unicode version, and the API document
# states it exactly (a JSON Schema pattern). Unassigned code points are inert text and pass.
CONTROL_RANGES = (
    (0x0000, 0x001F), (0x007F, 0x009F), (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD),
    (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xD800, 0xF8FF), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD),
)  # fmt: skip
_STARTS = [start for start, _ in CONTROL_RANGES]


def clean_line(value: str, field: str, *, max_len: int, required: bool = True) -> str:
    """One line of printable text, trimmed: no control characters (so no CR/LF), at most max_len."""
    return _clean(value, field, max_len=max_len, required=required, allowed="")


def clean_text(value: str, field: str, *, max_len: int) -> str:
    """Free text such as notes: like clean_line but newlines and tabs are kept."""
    return _clean(value.replace("\r\n", "\n"), field, max_len=max_len, required=False, allowed="\n\t")


def clean_email(value: str, field: str) -> str:
    email = clean_line(value, field, max_len=254, required=False)
    if email and not _EMAIL.fullmatch(email):
        raise InvalidInput(f"{field} must be an email address like name@example.org", field)
    return email


def clean_phone(value: str, field: str) -> str:
    phone = clean_line(value, field, max_len=32, required=False)
    if phone and (not _PHONE.fullmatch(phone) or sum(ch.isdigit() for ch in phone) < 5):
        raise InvalidInput(f"{field} must have 5 to 32 digits, spaces or + ( ) . - with at least 5 digits", field)
    return phone


def _clean(value: str, field: str, *, max_len: int, required: bool, allowed: str) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput(f"{field} is required", field)
    if len(text) > max_len:
        raise InvalidInput(f"{field} must be at most {max_len} characters", field)
    if any(_is_control(ch) and ch not in allowed for ch in text):
        raise InvalidInput(f"{field} must not contain control characters or line breaks", field)
    return text


def _is_control(ch: str) -> bool:
    at = bisect.bisect_right(_STARTS, ord(ch)) - 1
    return at >= 0 and ord(ch) <= CONTROL_RANGES[at][1]
