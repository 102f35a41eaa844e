from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

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
from tests.live_server import LiveServerFactory, SharedServers

TESTS = Path(__file__).parent

# The tiers: `make check` runs every test that has none of these markers, `make test` runs them all.
TIERS = {
    "browser": "Chromium through Playwright against a live `scc serve`",
    "aws": "the deploy tooling, against a moto server checked with the real `aws` CLI",
    "drill": "kill -9, backup and restore, and a load run, on real server processes",
    "fuzz": "schemathesis against the OpenAPI document on a live server",
    "security": "attacks replayed against a live `scc serve`",
    "live": "starts `scc serve` (every test that takes `live_server_factory`)",
}
# Where each tier lives: a folder or file under tests/, and every test in it (new files too) takes the marker.
TIER_OF_PATH = {
    "browser": "browser",
    "deploy": "aws",
    "drills": "drill",
    "reliability/test_schema_fuzzing.py": "fuzz",
    "security": "security",
    "web/test_dynamodb_crowd.py": "live",
    "contract/test_concurrency.py": "live",
    "cli/test_serve_delivery.py": "live",
}

# Other markers.
MARKERS = {
    "fresh_server": "the test needs a live server of its own (an empty store, or it changes the whole server)",
}


def tiers_of(path: PurePosixPath, fixtures: list[str]) -> list[str]:
    """The markers of a test in `path` (relative to tests/) that uses `fixtures`."""
    found = [tier for place, tier in TIER_OF_PATH.items() if path.is_relative_to(place)]
    return found + (["live"] if "live_server_factory" in fixtures else [])


def pytest_configure(config: pytest.Config) -> None:
    for name, description in {**TIERS, **MARKERS}.items():
        config.addinivalue_line("markers", f"{name}: {description}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not item.path.is_relative_to(TESTS):
            continue
        path = PurePosixPath(item.path.relative_to(TESTS).as_posix())
        for tier in tiers_of(path, list(getattr(item, "fixturenames", []))):
            item.add_marker(tier)


@pytest.fixture(scope="session")
def shared_live_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedServers]:
    servers = SharedServers(tmp_path_factory.mktemp("shared"))
    yield servers
    servers.stop()


@pytest.fixture
def live_server_factory(shared_live_servers: SharedServers, tmp_path: Path) -> Iterator[LiveServerFactory]:
    """Live `scc serve` processes: this worker's shared ones, and fresh ones stopped when the test ends
    (tests/live_server.py says which to take)."""
    factory = LiveServerFactory(shared_live_servers, tmp_path)
    yield factory
    factory.stop()


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
