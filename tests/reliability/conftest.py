"""A live `scc serve` with a known admin password for the fuzzer, and the in-process `scc` runner for the CLI cases."""

from __future__ import annotations

import pytest

from tests.cli.conftest import scc as scc  # the in-process `scc` runner, for the CLI cases
from tests.live_server import LiveServer, LiveServerFactory


@pytest.fixture
def server(live_server_factory: LiveServerFactory) -> LiveServer:
    """The fuzzer's own shared server: it signs out and fails sign-ins on purpose, which no other test should meet."""
    return live_server_factory.shared("fuzz")


@pytest.fixture(autouse=True)
def loopback_is_never_proxied(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests honours proxy variables; the server on loopback must be reached directly whatever the machine sets."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
