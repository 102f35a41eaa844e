"""Guest links: `/g/<slug>/<secret>`, the readable slug beside a secret nobody can guess.

The store keeps a random nonce per event; the secret is an HMAC of it under the guest-link key, which is never
stored, so a copy of the database alone opens no guest page. A new nonce (rotation) kills every old link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from shipcaptaincrew.domain.links import guest_path

SECRET_BYTES = 18
"""144 bits: guessing one of a season's links takes about 2**134 tries."""


def secret(key: bytes, nonce: str) -> str:
    digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()[:SECRET_BYTES]
    return base64.urlsafe_b64encode(digest).decode()


def opens(key: bytes, nonce: str, given: str) -> bool:
    """Whether `given` is the event's secret, compared in constant time (an empty nonce opens nothing)."""
    return bool(nonce) and hmac.compare_digest(secret(key, nonce).encode(), given.encode("utf-8", "replace"))


def party_path(slug: str, link_secret: str) -> str:
    """The party page's path, under which every other guest page of the event lies (no stage prefix: the web layer
    and the public address put it in front)."""
    return guest_path(slug, link_secret)
