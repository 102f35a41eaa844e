"""Rules for text a person typed: printable, trimmed, bounded."""

from __future__ import annotations

import re
import unicodedata

from shipcaptaincrew.domain.errors import InvalidInput

_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{2,63}")
_PHONE = re.compile(r"\+?[0-9 ().-]{5,32}")


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
    return unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
