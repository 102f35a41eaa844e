"""Day-sheet links: `/day/<person id>/<secret>`, a captain's or crew member's private page for the charter day.

The store keeps a random nonce per person; the secret is an HMAC of the person's id and that nonce under the
day-sheet key, which is never stored, so a copy of the database alone opens no day sheet. A new nonce (rotation)
kills the old link at once. The link is the only credential: whoever holds it acts as that person at the dock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SECRET_BYTES = 18
"""144 bits, as guest links: a guesser never finds one."""
PREFIX = "/day"


def secret(key: bytes, person_id: str, nonce: str) -> str:
    digest = hmac.new(key, f"{person_id}:{nonce}".encode(), hashlib.sha256).digest()[:SECRET_BYTES]
    return base64.urlsafe_b64encode(digest).decode()


def opens(key: bytes, person_id: str, nonce: str, given: str) -> bool:
    """Whether `given` is the person's secret, compared in constant time (an empty nonce opens nothing)."""
    expected = secret(key, person_id, nonce).encode()
    return bool(nonce) and hmac.compare_digest(expected, given.encode("utf-8", "replace"))


def path(person_id: str, link_secret: str) -> str:
    return f"{PREFIX}/{person_id}/{link_secret}"
