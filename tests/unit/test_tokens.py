from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shipcaptaincrew.domain import tokens
from shipcaptaincrew.domain.errors import Unauthorized
from shipcaptaincrew.domain.tokens import Claims

SECRET = b"a secret key only the server knows"
NOW = datetime(2026, 5, 23, 9, 0, tzinfo=UTC)
FINGERPRINT = tokens.password_fingerprint("$argon2id$v=19$m=65536,t=3,p=4$old")


def claims(**overrides: object) -> Claims:
    defaults = Claims("admin", "token-1", NOW + timedelta(hours=12), FINGERPRINT)
    return replace(defaults, **overrides)


def token(**overrides: object) -> str:
    return tokens.issue(SECRET, claims(**overrides))


def verify(text: str, *, secret: bytes = SECRET, fingerprint: str = FINGERPRINT, now: datetime = NOW) -> Claims:
    return tokens.verify(secret, text, fingerprint, now)


def test_a_token_issued_is_verified_back_to_its_claims() -> None:
    assert verify(token()) == claims()


def test_a_token_is_a_base64url_payload_and_signature() -> None:
    payload, signature = token().split(".")
    assert set(payload + signature) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_token_with_a_forged_payload_is_refused() -> None:
    payload, signature = token().split(".")
    fields = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    fields["exp"] += 365 * 24 * 3600
    forged = base64.urlsafe_b64encode(json.dumps(fields).encode()).rstrip(b"=").decode()
    with pytest.raises(Unauthorized):
        verify(f"{forged}.{signature}")


@given(st.data())
def test_changing_any_one_character_of_a_token_is_refused(data: st.DataObject) -> None:
    text = token()
    index = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    replacement = data.draw(st.characters(codec="ascii").filter(lambda ch: ch != text[index]))
    with pytest.raises(Unauthorized):
        verify(text[:index] + replacement + text[index + 1 :])


def test_a_token_without_its_signature_is_refused() -> None:
    payload, _ = token().split(".")
    with pytest.raises(Unauthorized):
        verify(payload)
    with pytest.raises(Unauthorized):
        verify(f"{payload}.")


def test_a_token_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(Unauthorized):
        verify(token(), secret=b"another secret")


def test_a_token_is_refused_from_the_moment_it_expires() -> None:
    text = token(expires_at=NOW + timedelta(minutes=5))
    assert verify(text, now=NOW + timedelta(minutes=5) - timedelta(seconds=1)).subject == "admin"
    with pytest.raises(Unauthorized):
        verify(text, now=NOW + timedelta(minutes=5))
    with pytest.raises(Unauthorized):
        verify(text, now=NOW + timedelta(days=30))


def test_changing_the_password_revokes_the_tokens_issued_before() -> None:
    new_fingerprint = tokens.password_fingerprint("$argon2id$v=19$m=65536,t=3,p=4$new")
    assert new_fingerprint != FINGERPRINT
    with pytest.raises(Unauthorized):
        verify(token(), fingerprint=new_fingerprint)


def test_a_password_fingerprint_is_stable_and_short() -> None:
    assert tokens.password_fingerprint("hash") == tokens.password_fingerprint("hash")
    assert len(FINGERPRINT) == 16


@pytest.mark.parametrize("garbage", ["", ".", "..", "a.b", "a.b.c", "Bearer x", "null", "\x00", "é.é", "=.="])
def test_garbage_is_refused_as_unauthorized(garbage: str) -> None:
    with pytest.raises(Unauthorized):
        verify(garbage)


@given(st.text())
def test_any_text_is_refused_as_unauthorized_and_nothing_else(garbage: str) -> None:
    with pytest.raises(Unauthorized):
        verify(garbage)


@given(st.from_regex(r"\A[A-Za-z0-9_-]{0,200}\.[A-Za-z0-9_-]{0,60}\Z"))
def test_any_token_shaped_text_is_refused_as_unauthorized(garbage: str) -> None:
    with pytest.raises(Unauthorized):
        verify(garbage)


@pytest.mark.parametrize("garbage", ["\ud800.x", "x.\udfff"])
def test_text_with_a_lone_surrogate_is_refused_as_unauthorized(garbage: str) -> None:
    with pytest.raises(Unauthorized):
        verify(garbage)


def signed(raw: bytes) -> str:
    """A token the server really signed, around a payload of our choosing (the format the module documents)."""
    payload = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    signature = hmac.new(SECRET, payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def test_the_signature_is_checked_against_the_documented_format() -> None:
    payload, _ = token().split(".")
    assert signed(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))) == token()


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b"null",
        b'{"sub":"admin"}',
        b'{"sub":"a","jti":"b","exp":"soon","pv":"c"}',
        b'{"sub":"a","jti":"b","exp":100000000000000000000,"pv":"c"}',
        b'{"sub":"a","jti":"b","exp":1000000000000,"pv":"c"}',
        b'{"sub":"a","jti":"b","exp":Infinity,"pv":"c"}',
    ],
)
def test_a_signed_token_with_a_malformed_payload_is_refused(raw: bytes) -> None:
    with pytest.raises(Unauthorized):
        verify(signed(raw))
