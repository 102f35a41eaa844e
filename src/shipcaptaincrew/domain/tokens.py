"""Signed, expiring bearer tokens: `<payload>.<signature>`, both base64url, HMAC-SHA256.

A token carries a fingerprint of the admin password hash, so changing the password revokes every
token issued before, and an id so that signing out can revoke one token.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from shipcaptaincrew.domain.errors import Unauthorized


@dataclass(frozen=True)
class Claims:
    subject: str
    token_id: str
    expires_at: datetime
    password_fingerprint: str


def password_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def issue(secret: bytes, claims: Claims) -> str:
    fields = {
        "sub": claims.subject,
        "jti": claims.token_id,
        "exp": int(claims.expires_at.timestamp()),
        "pv": claims.password_fingerprint,
    }
    payload = _b64(json.dumps(fields, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_sign(secret, payload)}"


def verify(secret: bytes, token: str, fingerprint: str, now: datetime) -> Claims:
    """The token's claims; raise Unauthorized if it is malformed, forged, expired or from an old password."""
    claims = authentic_claims(secret, token)
    if now >= claims.expires_at:
        raise Unauthorized("the sign-in token has expired; sign in again")
    if not hmac.compare_digest(claims.password_fingerprint, fingerprint):
        raise Unauthorized("the password was changed since this token was issued; sign in again")
    return claims


@functools.lru_cache(maxsize=1024)
def authentic_claims(secret: bytes, token: str) -> Claims:
    """The claims of a token whose signature is right; raise Unauthorized if not. Cached: it is a pure function.

    Expiry and revocation are not checked here, since they depend on the time and the store.
    """
    payload, _, signature = token.partition(".")
    if not payload or not token.isascii():  # real tokens are ASCII; this also keeps .encode() below safe
        raise Unauthorized("the sign-in token is not valid; sign in again")
    if not hmac.compare_digest(signature.encode(), _sign(secret, payload).encode()):
        raise Unauthorized("the sign-in token is not valid; sign in again")
    return _decode(payload)


def _decode(payload: str) -> Claims:
    try:
        fields = json.loads(_unb64(payload))
        return Claims(
            subject=str(fields["sub"]),
            token_id=str(fields["jti"]),
            expires_at=datetime.fromtimestamp(int(fields["exp"]), UTC),
            password_fingerprint=str(fields["pv"]),
        )
    except (ValueError, KeyError, TypeError, OverflowError):
        raise Unauthorized("the sign-in token is not valid; sign in again") from None


def _sign(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class FormTicket:
    """What a valid form token grants: one use, named by its nonce, until `expires_at`."""

    nonce: str
    expires_at: datetime


def form_token(secret: bytes, purpose: str, now: datetime, nonce: str) -> str:
    """A token a form carries instead of a cookie: proves this server issued the form for `purpose`, and when.
    `nonce` (random, URL-safe) names this one form, so that it can be used once."""
    payload = f"{int(now.timestamp())}-{nonce}"
    return f"{payload}.{_sign(secret, f'{purpose}|{payload}')}"


def check_form_token(secret: bytes, token: str, purpose: str, now: datetime, max_age_seconds: int) -> FormTicket:
    """The token's ticket; raise Unauthorized if it was not issued by us for `purpose`, or is older than
    `max_age_seconds`. Whether it was used already is for the store to say."""
    payload, _, signature = token.partition(".")
    issued, _, nonce = payload.partition("-")
    if not issued.isdigit() or not nonce or not token.isascii():
        raise Unauthorized("this form is not valid; open the waiver page again", "form_token")
    if not hmac.compare_digest(signature.encode(), _sign(secret, f"{purpose}|{payload}").encode()):
        raise Unauthorized("this form is not valid; open the waiver page again", "form_token")
    if not 0 <= now.timestamp() - int(issued) <= max_age_seconds:
        raise Unauthorized("this form has expired; open the waiver page again, your answers will be kept", "form_token")
    return FormTicket(payload, datetime.fromtimestamp(int(issued) + max_age_seconds, UTC))
