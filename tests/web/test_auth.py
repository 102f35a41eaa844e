from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient
from starlette.types import ASGIApp

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.throttle import SignInLimits
from shipcaptaincrew.ports import PasswordHasher
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.app import create_app
from shipcaptaincrew.web.auth_api import PasswordChecks
from tests.builders import PASSWORD
from tests.fakes import FakeClock

PROTECTED = [
    ("GET", "/api/events"),
    ("POST", "/api/events"),
    ("GET", "/api/events/2026-05-23-sarah-pm"),
    ("PATCH", "/api/events/2026-05-23-sarah-pm"),
    ("POST", "/api/logout"),
]


@dataclass
class HeldHasher:
    """Holds the first password check until told to go on, as a slow argon2 under a flood would."""

    real: PasswordHasher
    checking: threading.Event = field(default_factory=threading.Event)
    go_on: threading.Event = field(default_factory=threading.Event)

    def hash(self, password: str) -> str:
        return self.real.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.checking.set()
        self.go_on.wait(10)
        return self.real.verify(password_hash, password)


def starlette_app(app: ASGIApp) -> Starlette:
    """The Starlette application inside create_app's wrappers."""
    while not isinstance(app, Starlette):
        app = app.app  # type: ignore[attr-defined]
    return app


def login(client: TestClient, password: str = PASSWORD, ip: str | None = None) -> tuple[int, dict[str, object]]:
    headers = {"x-forwarded-for": ip} if ip else {}
    response = client.post("/api/login", json={"password": password}, headers=headers)
    return response.status_code, response.json()


def authed(client: TestClient, token: str) -> int:
    return client.get("/api/events", headers={"Authorization": f"Bearer {token}"}).status_code


def test_every_api_route_but_login_and_the_spec_is_401_without_a_token(anonymous: TestClient) -> None:
    for method, path in PROTECTED:
        response = anonymous.request(method, path, json={})
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"] == "Bearer"
    assert anonymous.get("/api/openapi.json").status_code == 200


def test_the_right_password_gets_a_token_that_works(anonymous: TestClient) -> None:
    status, body = login(anonymous)

    assert status == 200
    assert authed(anonymous, str(body["token"])) == 200


def test_a_wrong_password_is_401_naming_the_field(anonymous: TestClient) -> None:
    status, body = login(anonymous, "guess")

    assert status == 401
    assert body["error"] == {"code": "unauthorized", "message": "wrong password", "field": "password"}


def test_a_token_expires_after_twelve_hours(anonymous: TestClient, clock: FakeClock) -> None:
    token = str(login(anonymous)[1]["token"])

    clock.advance(hours=11, minutes=59)
    assert authed(anonymous, token) == 200
    clock.advance(minutes=1)
    assert authed(anonymous, token) == 401


def test_changing_the_password_revokes_earlier_tokens(anonymous: TestClient, ctx: Context) -> None:
    token = str(login(anonymous)[1]["token"])

    admin.set_admin_password(ctx, "a brand new password", "test")

    assert authed(anonymous, token) == 401
    assert login(anonymous, "a brand new password")[0] == 200


def test_logging_out_revokes_that_token_only(anonymous: TestClient) -> None:
    first, second = str(login(anonymous)[1]["token"]), str(login(anonymous)[1]["token"])

    response = anonymous.post("/api/logout", headers={"Authorization": f"Bearer {first}"})

    assert response.status_code == 204
    assert authed(anonymous, first) == 401
    assert authed(anonymous, second) == 200


def test_a_tampered_or_garbage_token_is_401(anonymous: TestClient) -> None:
    token = str(login(anonymous)[1]["token"])
    payload, signature = token.split(".")

    for bad in [f"{payload}x.{signature}", f"{payload}.{signature[:-2]}", "nonsense", ".", "a.b.c", "%C3%A9"]:
        assert authed(anonymous, bad) == 401, bad


def test_repeated_failures_get_429_with_retry_after(anonymous: TestClient) -> None:
    for _ in range(5):
        assert login(anonymous, "guess")[0] == 401

    response = anonymous.post("/api/login", json={"password": PASSWORD})

    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["error"]["code"] == "throttled"


def test_a_throttled_client_can_sign_in_again_once_the_window_passes(anonymous: TestClient, clock: FakeClock) -> None:
    for _ in range(5):
        login(anonymous, "guess")

    clock.advance(minutes=15, seconds=1)

    assert login(anonymous)[0] == 200


def fail_from_many_clients(ctx: Context, count: int) -> None:
    now, window = ctx.clock.now(), ctx.sign_in_limits.window
    with ctx.store.writing() as uow:
        for n in range(count):
            attempt = uow.credentials.claim_sign_in_attempt(f"10.0.{n // 250}.{n % 250}", now, now - window, 5)
            assert attempt is not None
            uow.credentials.record_failed_sign_in(f"10.0.{n // 250}.{n % 250}", attempt, now, now - window)


def test_failures_from_many_clients_slow_wrong_guesses_but_never_refuse_the_right_password(
    anonymous: TestClient, ctx: Context
) -> None:
    ctx.sign_in_limits = SignInLimits(slow_down=timedelta(seconds=0.3))
    fail_from_many_clients(ctx, ctx.sign_in_limits.overall)

    began = time.monotonic()
    assert login(anonymous, "guess")[0] == 401
    assert time.monotonic() - began >= 0.3
    assert login(anonymous)[0] == 200


def test_a_password_with_no_current_tag_that_finds_no_free_password_check_gets_503_and_is_not_counted(
    ctx: Context,
) -> None:
    # With a current tag the right password has a lane of its own and is never a 503 (test_sign_in_lanes.py);
    # without one (kept as before tags, or tagged under a replaced key) every sign-in shares the capped lane.
    with ctx.store.writing() as uow:
        uow.credentials.set_admin_password_hash(ctx.hasher.hash(PASSWORD))
    app = create_app(ctx)
    starlette_app(app).state.password_checks = PasswordChecks(at_once=1, wait_seconds=0.2)
    ctx.hasher = held = HeldHasher(ctx.hasher)
    with TestClient(app, raise_server_exceptions=False) as client, ThreadPoolExecutor(1) as pool:
        first = pool.submit(login, client)
        assert held.checking.wait(10)

        response = client.post("/api/login", json={"password": PASSWORD})
        held.go_on.set()

        assert response.status_code == 503
        assert response.json()["error"]["code"] == "unavailable"
        assert int(response.headers["retry-after"]) >= 1
        assert first.result(timeout=10)[0] == 200
    with ctx.store.reading() as uow:
        assert uow.credentials.failed_sign_ins(None, ctx.clock.now() - ctx.sign_in_limits.window, 50) == []


def test_a_sign_in_without_a_json_content_type_is_415(anonymous: TestClient) -> None:
    body = json.dumps({"password": PASSWORD})
    for headers in ({"content-type": "text/plain"}, {"content-type": "application/x-www-form-urlencoded"}, {}):
        response = anonymous.post("/api/login", content=body, headers=headers)

        assert response.status_code == 415, headers
        assert response.json()["error"] == {
            "code": "unsupported_media_type",
            "message": "send the password as JSON, with Content-Type: application/json",
            "field": "Content-Type",
        }


def test_a_second_server_on_the_same_store_counts_the_first_ones_failures(
    anonymous: TestClient, ctx: Context, tmp_path: Path
) -> None:
    # As a second Lambda container (or a second `scc serve`) would: its own process memory, the same store.
    for _ in range(5):
        assert login(anonymous, "guess")[0] == 401
    other = build_context(Settings.from_env({"SCC_DATA_DIR": str(tmp_path / "data")}), clock=ctx.clock)
    try:
        with TestClient(create_app(other), raise_server_exceptions=False) as second:
            assert login(second)[0] == 429
    finally:
        other.store.close()


def test_a_successful_sign_in_clears_the_clients_failures_but_not_everyones(
    anonymous: TestClient, ctx: Context
) -> None:
    for _ in range(4):
        login(anonymous, "guess")
    assert login(anonymous)[0] == 200

    for _ in range(4):
        assert login(anonymous, "guess")[0] == 401
    with ctx.store.reading() as uow:
        assert len(uow.credentials.failed_sign_ins(None, ctx.clock.now() - ctx.sign_in_limits.window, 50)) == 8
