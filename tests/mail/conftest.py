from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mail.servers import Certificate, FakeGoogle, fake_google, throwaway_certificate


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
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)


def data_dir(tmp_path: Path) -> str:
    return str(tmp_path / "data")
