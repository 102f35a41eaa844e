"""A short keyed tag of the admin password, kept beside its argon2id hash, that sorts sign-ins before argon2 runs.

The tag is the first TAG_BITS bits of HMAC-SHA256 of the password under a key derived from SCC_SECRET_KEY and
never stored. Computing it takes microseconds. A password whose tag differs from the stored one is certainly
wrong; one whose tag matches is the right password or one wrong guess in 4,096, and only those reach argon2,
in a lane of their own that a flood of guesses cannot fill.

A stored tag names the hash it was made for and the key it was made under, so a tag that a new password or a
new SCC_SECRET_KEY left behind is never trusted: the sign-in is checked as if there were no tag (docs/decisions,
"sign-in priority lane").
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from dataclasses import dataclass

TAG_BITS = 12
"""4,096 tag values: 1 wrong guess in 4,096 reaches argon2; with the database and the key, offline guessing
skips argon2 for 4,095 in 4,096 candidates."""
_KEY_CHECK = b"which key made this tag"


@dataclass(frozen=True)
class PasswordTag:
    """A password's tag and what it is valid for."""

    password: str
    """The fingerprint of the password hash it was made with (the one sign-in tokens carry)."""
    key: str
    """Which key made it: an HMAC of a constant under that key, never the key."""
    tag: str
    """TAG_BITS bits of HMAC-SHA256(key, password), in hex."""

    def text(self) -> str:
        """How the store keeps it: `password:key:tag`."""
        return f"{self.password}:{self.key}:{self.tag}"

    @classmethod
    def parse(cls, text: str) -> PasswordTag | None:
        """The tag a store kept, or None if the text is not one (it is then ignored, never trusted)."""
        parts = text.split(":")
        return cls(*parts) if len(parts) == 3 and all(parts) else None


class Lane(enum.Enum):
    """Where a sign-in's password check goes."""

    PRIORITY = "priority"
    """The tag matches: the right password (or 1 wrong guess in 4,096): argon2 in a lane of its own."""
    WRONG = "wrong"
    """The tag differs from the current one: a wrong password, known without argon2."""
    UNSORTED = "unsorted"
    """No current tag (a password set before tags, a new secret key, a new configured hash): argon2 in the
    capped lane, as every sign-in was before tags."""


def tag_password(key: bytes, password_fingerprint: str, password: str) -> PasswordTag:
    """The tag of `password` under `key`, for the hash whose fingerprint is `password_fingerprint`."""
    return PasswordTag(password_fingerprint, key_check(key), _tag(key, password))


def sort_password(stored: PasswordTag | None, key: bytes, password_fingerprint: str, password: str) -> Lane:
    """The lane for `password`, given the stored tag and the hash now in force."""
    if not is_current(stored, key, password_fingerprint):
        return Lane.UNSORTED
    assert stored is not None
    return Lane.PRIORITY if hmac.compare_digest(stored.tag, _tag(key, password)) else Lane.WRONG


def is_current(stored: PasswordTag | None, key: bytes, password_fingerprint: str) -> bool:
    """True if `stored` was made for this hash under this key."""
    if stored is None:
        return False
    same_password = hmac.compare_digest(stored.password, password_fingerprint)
    return same_password and hmac.compare_digest(stored.key, key_check(key))


def key_check(key: bytes) -> str:
    """Names the key without revealing it (32 bits: a replaced key is taken for the old one once in 4 billion)."""
    return hmac.new(key, _KEY_CHECK, hashlib.sha256).hexdigest()[:8]


def _tag(key: bytes, password: str) -> str:
    digest = hmac.new(key, password.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
    bits = int.from_bytes(digest[:4], "big") >> (32 - TAG_BITS)
    return f"{bits:0{(TAG_BITS + 3) // 4}x}"
