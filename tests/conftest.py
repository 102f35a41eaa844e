from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.app import create_app
from tests.builders import PASSWORD
from tests.fakes import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def ctx(tmp_path: Path, clock: FakeClock) -> Iterator[Context]:
    context = build_context(Settings.from_env({"SCC_DATA_DIR": str(tmp_path / "data")}), clock=clock)
    context.hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)  # still argon2id, cheaper to run
    admin.set_admin_password(context, PASSWORD, "test")
    yield context
    context.store.close()


@pytest.fixture
def anonymous(ctx: Context) -> Iterator[TestClient]:
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def client(anonymous: TestClient) -> TestClient:
    """A client signed in as the admin."""
    token = anonymous.post("/api/login", json={"password": PASSWORD}).json()["token"]
    anonymous.headers["Authorization"] = f"Bearer {token}"
    return anonymous
