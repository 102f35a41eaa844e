"""Tokens that were tampered with, expired or revoked; security headers on every route; no secret in the logs."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import DEFAULT_METHODS, Settings
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import openapi
from shipcaptaincrew.web.app import create_app
from tests.builders import PASSWORD, WAIVER_TEXT, event_body, payment_body
from tests.fakes import FakeClock
from tests.mail.servers import RecordingHandler, smtp_server
from tests.web.test_guest_pages import SLUG, adult, sign


def token_of(client: TestClient) -> str:
    return str(client.post("/api/login", json={"password": PASSWORD}).json()["token"])


def status_with(client: TestClient, token: str) -> int:
    return client.get("/api/events", headers={"Authorization": f"Bearer {token}"}).status_code


def flip(text: str, at: int) -> str:
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_token_with_any_one_character_changed_is_refused(anonymous: TestClient) -> None:
    token = token_of(anonymous)
    payload, signature = token.split(".")

    for at in range(len(token)):
        if token[at] != ".":
            assert status_with(anonymous, flip(token, at)) == 401, at
    assert status_with(anonymous, token) == 200
    assert len(payload) > 10 and len(signature) > 10


def test_format_and_algorithm_games_are_refused(anonymous: TestClient) -> None:
    token = token_of(anonymous)
    payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forever = b64(json.dumps({**claims, "exp": 2**62}).encode())
    none_header = b64(b'{"alg":"none","typ":"JWT"}')
    games = [
        f"{forever}.{signature}",  # a later expiry with the old signature
        f"{payload}.",  # no signature
        f"{none_header}.{payload}.",  # a JWT with alg none
        f"{none_header}.{payload}.{signature}",
        f"{payload}.{signature}.{signature}",
        f"{payload}={signature}",
        f"{payload}.{signature}==",
        f"{payload.upper()}.{signature}",
        f"{payload}.{signature.lower()}",
        f" {payload}.{signature}x",
        "Bearer " + token,
        token + "\x00",
    ]
    for game in games:
        assert status_with(anonymous, game) == 401, game


def test_a_token_expires_by_the_clock_and_a_new_sign_in_works(anonymous: TestClient, clock: FakeClock) -> None:
    token = token_of(anonymous)

    clock.advance(hours=12)

    assert status_with(anonymous, token) == 401
    assert status_with(anonymous, token_of(anonymous)) == 200


def test_a_signed_out_token_stays_revoked_and_cannot_sign_out_again(anonymous: TestClient) -> None:
    token = token_of(anonymous)
    headers = {"Authorization": f"Bearer {token}"}

    assert anonymous.post("/api/logout", headers=headers).status_code == 204

    assert status_with(anonymous, token) == 401
    assert anonymous.post("/api/logout", headers=headers).status_code == 401


def test_a_password_change_revokes_every_earlier_token(anonymous: TestClient, ctx: Context) -> None:
    tokens = [token_of(anonymous) for _ in range(3)]

    admin.set_admin_password(ctx, "another long password", "test")

    assert [status_with(anonymous, token) for token in tokens] == [401, 401, 401]


HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def documented_requests() -> list[tuple[str, str]]:
    samples = {
        "{slug}": SLUG,
        "{entry_id}": "ent_x",
        "{ship_id}": "shp_x",
        "{person_id}": "per_x",
        "{token}": "tok",
        "{signature_id}": "sig_x",
    }
    found = []
    for path, methods in openapi.document(DEFAULT_PERIODS.names(), DEFAULT_METHODS)["paths"].items():
        for name, value in samples.items():
            path = path.replace(name, value)
        found.extend((method.upper(), path) for method in methods)
    return found


PAGES = [
    ("GET", "/"),
    ("GET", "/api/openapi.json"),
    ("GET", f"/g/{SLUG}"),
    ("GET", f"/g/{SLUG}/waiver"),
    ("POST", f"/g/{SLUG}/waiver"),
    ("GET", f"/g/{SLUG}/signed/nope"),
    ("GET", f"/g/{SLUG}/signed/nope.pdf"),
    ("GET", "/g/no-such-charter"),
    ("GET", "/assets/api.js"),
    ("GET", "/assets/board.css"),
    ("GET", "/g/_static/guest.css"),
    ("GET", "/assets/nope.js"),
    ("GET", "/no/such/page"),
    ("DELETE", "/api/events"),
    ("PUT", "/healthz"),
]


@pytest.mark.parametrize(("method", "path"), documented_requests() + PAGES)
def test_every_route_answers_with_the_security_headers(client: TestClient, method: str, path: str) -> None:
    client.post("/api/events", json=event_body())

    response = client.request(method, path, json={} if method in {"POST", "PUT", "PATCH"} else None)

    for name, expected in HEADERS.items():
        assert expected in response.headers.get(name, ""), (method, path, response.status_code, name)


def test_error_answers_carry_the_security_headers_too(client: TestClient, ctx: Context) -> None:
    too_large = client.post("/api/events", content=b"x" * 70_000, headers={"content-type": "application/json"})
    for _ in range(5):
        client.post("/api/login", json={"password": "guess"})
    throttled = client.post("/api/login", json={"password": "guess"})

    class Broken:
        def reading(self) -> None:
            raise RuntimeError("boom")

        writing = reading

    with TestClient(create_app(replace(ctx, store=Broken())), raise_server_exceptions=False) as broken:  # type: ignore[arg-type]
        failed = broken.get("/api/events", headers={"Authorization": "Bearer x.y"})

    for response, status in [(too_large, 413), (throttled, 429), (failed, 500)]:
        assert response.status_code == status
        for name, expected in HEADERS.items():
            assert expected in response.headers.get(name, ""), (status, name)


SECRET_KEY = "a-secret-key-for-the-log-test-0123456789"


@pytest.fixture
def mailing_context(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Context, RecordingHandler]]:
    handler = RecordingHandler()
    with smtp_server(handler) as port:
        env = {
            "SCC_DATA_DIR": str(tmp_path / "data"),
            "SCC_MAIL_TRANSPORT": "smtp",
            "SCC_SMTP_HOST": "127.0.0.1",
            "SCC_SMTP_PORT": str(port),
            "SCC_SMTP_SECURITY": "none",
            "SCC_SECRET_KEY": SECRET_KEY,
        }
        ctx = build_context(Settings.from_env(env), clock=clock)
        ctx.hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)
        admin.set_admin_password(ctx, PASSWORD, "test")
        yield ctx, handler
        ctx.store.close()


def test_a_realistic_session_logs_no_password_token_or_key(
    mailing_context: tuple[Context, RecordingHandler], caplog: pytest.LogCaptureFixture
) -> None:
    ctx, handler = mailing_context
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        client.post("/api/login", json={"password": "a wrong password guess"})
        token = token_of(client)
        client.headers["Authorization"] = f"Bearer {token}"
        client.put("/api/waiver", json={"text": WAIVER_TEXT})
        client.post("/api/events", json=event_body())
        client.post("/api/payment-log", json=payment_body(), headers={"Idempotency-Key": "key-1"})
        signed = sign(client, adult())
        refreshed = token_of(client)
        client.post("/api/logout")

    assert signed.status_code == 303 and handler.received, "the receipt went out through SMTP"
    copy_token = signed.headers["location"].rsplit("/", 1)[1]
    # What scc logs, not what the test's SMTP server (aiosmtpd, logger "mail.log") logs of the mail it receives:
    # the waiver copy carries the copy link to the guest by design.
    ours = "\n".join(record.getMessage() for record in caplog.records if not record.name.startswith("mail.log"))
    for secret in [PASSWORD, "a wrong password guess", token, refreshed, SECRET_KEY, copy_token]:
        assert secret not in ours
    for part in [token.split(".")[1], refreshed.split(".")[1]]:
        assert part not in ours
