"""One key per purpose, derived from SCC_SECRET_KEY with HKDF (RFC 5869, SHA-256).

A key that signs sign-in tokens never seals a waiver record or makes a guest link: a flaw or a leak in one
use cannot be turned against another, and none of the derived keys is ever stored.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

MIN_SECRET_BYTES = 32
_SALT = b"shipcaptaincrew key derivation"


class WeakSecret(ValueError):
    """The secret key is too short to derive keys from."""


@dataclass(frozen=True, repr=False)
class Keys:
    sign_in: bytes
    """Signs the admin's bearer tokens."""
    form: bytes
    """Signs the tokens guest forms carry."""
    guest_link: bytes
    """Turns an event's stored link nonce into the secret its guest links carry."""
    seal: bytes
    """Seals waiver records (an HMAC the database never holds the key to)."""
    calendar: bytes
    """Crew calendar feed links."""
    day_sheet: bytes
    """Crew day sheet links."""
    password_tag: bytes
    """Tags the admin password for sorting sign-ins before argon2 runs (domain/password_tags.py)."""

    @classmethod
    def derive(cls, secret: bytes) -> Keys:
        """Every purpose's key; raise WeakSecret if `secret` is shorter than MIN_SECRET_BYTES."""
        if len(secret) < MIN_SECRET_BYTES:
            raise WeakSecret(f"the secret key must be at least {MIN_SECRET_BYTES} bytes; it has {len(secret)}")
        master = hmac.new(_SALT, secret, hashlib.sha256).digest()
        return cls(*(_expand(master, purpose) for purpose in PURPOSES))

    def __repr__(self) -> str:
        return "Keys(<derived, not shown>)"


PURPOSES = ("sign-in", "form", "guest-link", "seal", "calendar", "day-sheet", "password-tag")


def _expand(master: bytes, purpose: str) -> bytes:
    """HKDF-Expand for one 32-byte key (a single block: T(1) = HMAC(PRK, info | 0x01))."""
    return hmac.new(master, purpose.encode() + b"\x01", hashlib.sha256).digest()
