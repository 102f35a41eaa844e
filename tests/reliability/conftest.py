"""A real `scc serve` on loopback with a known admin password, and in-process clients for the catalogue."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.context import Context
from tests.builders import PASSWORD
from tests.cli.conftest import scc as scc  # the in-process `scc` runner, for the CLI cases
from tests.live_server import free_port


@dataclass
class LiveServer:
    url: str
    ctx: Context
    log: Path
    """A context on the server's data folder: it mints tokens with the server's key and reads what it stored."""

    def token(self) -> str:
        """A fresh admin token, minted in this process so the server's sign-in throttle never refuses it."""
        return admin.log_in(self.ctx, PASSWORD, "test")[0]


def prepared_context(data_dir: Path) -> Context:
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))
    ctx.hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)  # still argon2id, cheaper to verify
    admin.set_admin_password(ctx, PASSWORD, "test")
    return ctx


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("live") / "data"
    ctx = prepared_context(data_dir)
    log = data_dir.parent / "server.log"
    try:
        with logging_server(data_dir, log) as url:
            yield LiveServer(url, ctx, log)
    finally:
        ctx.store.close()


@contextmanager
def logging_server(data_dir: Path, log: Path, **env: str) -> Iterator[str]:
    """`scc serve` on a free loopback port, everything it prints going to `log`; yield its base URL.

    Unlike tests/live_server.py, nothing has to read a pipe while it runs: the fuzzer makes thousands of
    requests, and an unread pipe fills with the access log and stops the server.
    """
    port = free_port()
    environ = {**os.environ, "SCC_DATA_DIR": str(data_dir), "SCC_PORT": str(port), **env}
    with (
        log.open("w") as out,
        subprocess.Popen(
            [sys.executable, "-m", "shipcaptaincrew", "serve"], env=environ, stdout=out, stderr=subprocess.STDOUT
        ) as server,
    ):
        try:
            _wait_until_listening(server, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_until_listening(server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        if "Uvicorn running" in log.read_text():
            return
        time.sleep(0.05)
    raise AssertionError("server did not start:\n" + log.read_text())


@pytest.fixture(autouse=True)
def loopback_is_never_proxied(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests honours proxy variables; the server on loopback must be reached directly whatever the machine sets."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
