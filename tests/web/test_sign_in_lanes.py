"""Sign-ins sorted by the password's tag: the right password has a lane of its own that no flood fills."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain import tokens
from shipcaptaincrew.domain.addresses import TrustedProxies
from shipcaptaincrew.domain.password_tags import Lane, sort_password
from shipcaptaincrew.domain.throttle import SignInLimits
from shipcaptaincrew.ports import PasswordHasher
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.app import create_app
from shipcaptaincrew.web.auth_api import PasswordChecks
from shipcaptaincrew.web.web_settings import WebSettings
from tests.builders import PASSWORD
from tests.web.test_auth import starlette_app

OTHER_KEY = "another-secret-key-of-at-least-32-bytes"


@dataclass
class CountingHasher:
    """The real hasher, counting the passwords it checked (argon2 runs), each check taking at least `seconds` (the
    tests' hashes are cheap; argon2id at production cost takes about a tenth of a second)."""

    real: PasswordHasher
    seconds: float = 0.0
    checked: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hash(self, password: str) -> str:
        return self.real.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        with self._lock:
            self.checked.append(password)
        time.sleep(self.seconds)
        return self.real.verify(password_hash, password)


def client_for(ctx: Context, capped: PasswordChecks) -> TestClient:
    """A client of the app behind one trusted proxy (so X-Forwarded-For names the client), with this capped lane."""
    app = create_app(ctx, web_settings=WebSettings(proxies=TrustedProxies(hops=1)))
    starlette_app(app).state.password_checks = capped
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def counted(ctx: Context) -> CountingHasher:
    ctx.hasher = counting = CountingHasher(ctx.hasher)
    return counting


def sign_in(client: TestClient, password: str, address: str = "203.0.113.7") -> int:
    response = client.post("/api/login", json={"password": password}, headers={"x-forwarded-for": address})
    return response.status_code


def guesses_whose_tag_differs(ctx: Context, count: int) -> Iterator[str]:
    """Wrong passwords whose tag differs from the admin's (4,095 guesses in 4,096 are such)."""
    with ctx.store.reading() as uow:
        stored, tag = uow.credentials.admin_password_hash(), uow.credentials.admin_password_tag()
    assert stored is not None
    candidates = (f"guess {n}" for n in range(count * 2))
    fingerprint = tokens.password_fingerprint(stored)
    wrong = (
        guess for guess in candidates if sort_password(tag, ctx.keys.password_tag, fingerprint, guess) is Lane.WRONG
    )
    for _ in range(count):
        yield next(wrong)


def test_the_right_password_signs_in_while_every_capped_password_check_is_taken(ctx: Context) -> None:
    with client_for(ctx, PasswordChecks(at_once=0, wait_seconds=0.2)) as client:
        assert sign_in(client, PASSWORD) == 200


def test_a_wrong_password_whose_tag_differs_is_401_and_counted_without_running_argon2(
    ctx: Context, counted: CountingHasher
) -> None:
    (guess,) = guesses_whose_tag_differs(ctx, 1)
    with client_for(ctx, PasswordChecks()) as client:
        response = client.post("/api/login", json={"password": guess}, headers={"x-forwarded-for": "203.0.113.8"})

    assert response.status_code == 401
    assert response.json()["error"] == {"code": "unauthorized", "message": "wrong password", "field": "password"}
    assert counted.checked == []
    with ctx.store.reading() as uow:
        assert len(uow.credentials.failed_sign_ins("203.0.113.8", ctx.clock.now() - ctx.sign_in_limits.window, 5)) == 1


def test_a_flood_from_two_hundred_ipv6_networks_cannot_keep_the_right_password_out(
    ctx: Context, counted: CountingHasher
) -> None:
    networks = [f"2001:db8:{n:x}::{n % 7 + 1}" for n in range(200)]  # 200 distinct /64s, five guesses each
    flood = [(f"guess {n}", networks[n % 200]) for n in range(1000)]
    ctx.sign_in_limits = SignInLimits(slow_down=timedelta(0))  # the overall slow-down is not what is tested here
    counted.seconds = 0.05
    # One check at a time, given up after half a second: on a capped lane alone this flood would queue for tens of
    # seconds, and every sign-in behind it, the right one too, would be a 503.
    with client_for(ctx, PasswordChecks(at_once=1, wait_seconds=0.5)) as client, ThreadPoolExecutor(40) as pool:
        answers = [pool.submit(sign_in, client, guess, address) for guess, address in flood]
        answers[100].result(timeout=60)  # the flood is under way
        admin_status = sign_in(client, PASSWORD, "2001:db8:ffff::1")
        statuses = Counter(answer.result(timeout=120) for answer in answers)

    assert admin_status == 200
    assert statuses == {401: 1000}
    wrong_checked = [password for password in counted.checked if password != PASSWORD]
    assert len(wrong_checked) <= 5, "argon2 ran only for the few guesses whose tag matched"


def test_a_password_set_before_tags_gets_its_tag_at_its_first_sign_in(ctx: Context) -> None:
    with ctx.store.writing() as uow:  # as an earlier version kept it: the hash alone
        uow.credentials.set_admin_password_hash(ctx.hasher.hash(PASSWORD))
    with client_for(ctx, PasswordChecks(at_once=1, wait_seconds=0.2)) as client:
        assert sign_in(client, PASSWORD) == 200
    with client_for(ctx, PasswordChecks(at_once=0, wait_seconds=0.2)) as client:
        assert sign_in(client, PASSWORD) == 200, "the priority lane, now that the password has a tag"


def test_after_the_secret_key_changes_the_admin_signs_in_and_the_password_is_tagged_anew(
    ctx: Context, counted: CountingHasher
) -> None:
    data_dir = ctx.store.path.parent  # type: ignore[attr-defined]
    rotated = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir), "SCC_SECRET_KEY": OTHER_KEY}))
    rotated.hasher = counted
    try:
        with client_for(rotated, PasswordChecks(at_once=1, wait_seconds=5)) as client:
            assert sign_in(client, PASSWORD) == 200, "a tag made under the old key is never trusted"
        with client_for(rotated, PasswordChecks(at_once=0, wait_seconds=0.2)) as client:
            assert sign_in(client, PASSWORD) == 200, "the priority lane, under the new key's tag"
    finally:
        rotated.store.close()


def test_a_new_configured_password_hash_signs_in_despite_the_old_tag_and_is_tagged_at_its_first_sign_in(
    ctx: Context,
) -> None:
    new_password = "a new password set in the environment"
    ctx.admin_password_hash = ctx.hasher.hash(new_password)  # SCC_ADMIN_PASSWORD_HASH; the store's tag is PASSWORD's
    with client_for(ctx, PasswordChecks(at_once=1, wait_seconds=0.2)) as client:
        assert sign_in(client, new_password) == 200, "a tag made for another hash is never trusted"
        assert sign_in(client, PASSWORD) == 401
    with client_for(ctx, PasswordChecks(at_once=0, wait_seconds=0.2)) as client:
        assert sign_in(client, new_password) == 200, "the priority lane, now that the configured password has a tag"
