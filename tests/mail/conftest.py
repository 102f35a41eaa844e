from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services.context import Context
from tests.fakes import FakeClock
from tests.mail.servers import Certificate, FakeGoogle, fake_google, throwaway_certificate


@pytest.fixture(autouse=True)
def loopback_is_never_proxied(monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib honours proxy variables; the loopback fakes must be reached directly whatever the machine sets."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return throwaway_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    with fake_google() as server:
        yield server


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake AWS credentials and region, so nothing could ever reach a real account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)


OpenContext = Callable[[Settings, FakeClock], Context]


@pytest.fixture
def contexts() -> Iterator[OpenContext]:
    """Build contexts as the application does (bootstrap picks the transport); their stores close afterwards."""
    opened: list[Context] = []

    def build(settings: Settings, clock: FakeClock) -> Context:
        opened.append(build_context(settings, clock=clock))
        return opened[-1]

    yield build
    for ctx in opened:
        ctx.store.close()
