"""Attacks replayed against a real `scc serve` on loopback, as a stranger on the internet would send them."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from tests.builders import PASSWORD, set_waiver
from tests.live_server import live_server

LOOPBACK_IS_OUR_PROXY = {"SCC_TRUSTED_PROXIES": "127.0.0.1/32"}
"""How a server behind a reverse proxy on the same machine is set up: loopback is the only trusted hop."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, object]:
        decoded: dict[str, object] = json.loads(self.body)
        return decoded


@dataclass
class Server:
    url: str
    data_dir: Path
    printed: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    """The settings the server runs with beyond its data folder (its store), so tokens are minted for them."""

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
        """Exactly these headers (http.client adds no Content-Type of its own), one connection per request."""
        host, port = self.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, _lower(response.getheaders()), response.read())
        finally:
            connection.close()

    def token(self) -> str:
        """An admin token minted in this process with the server's key, so no sign-in throttle is involved."""
        ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(self.data_dir), **self.env}))
        try:
            return admin.log_in(ctx, PASSWORD, "test")[0]
        finally:
            ctx.store.close()

    def api(self, method: str, path: str, body: object = None) -> Answer:
        """An admin API call with a JSON body."""
        headers = {"Authorization": f"Bearer {self.token()}", "Content-Type": "application/json"}
        return self.send(method, path, None if body is None else json.dumps(body).encode(), headers)

    def log_in(self, password: str, forwarded_for: str | None = None) -> Answer:
        headers = {"Content-Type": "application/json"}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        return self.send("POST", "/api/login", json.dumps({"password": password}).encode(), headers)


def _lower(items: list[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


def prepare(data_dir: Path, **env: str) -> None:
    """A data folder (and the store `env` names) whose admin password is PASSWORD (hashed cheaply: the server
    verifies it all the same), with the operator's waiver set."""
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir), **env}))
    ctx.hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)
    admin.set_admin_password(ctx, PASSWORD, "test")
    set_waiver(ctx)
    ctx.store.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`scc serve` as it starts with nothing configured: no proxy in front of it."""
    prepare(tmp_path / "data")
    with live_server(tmp_path / "data") as (url, printed):
        yield Server(url, tmp_path / "data", printed)


@pytest.fixture
def proxied_server(tmp_path: Path) -> Iterator[Server]:
    """`scc serve` behind a reverse proxy on loopback, which appends the address it saw to X-Forwarded-For."""
    prepare(tmp_path / "data")
    with live_server(tmp_path / "data", **LOOPBACK_IS_OUR_PROXY) as (url, printed):
        yield Server(url, tmp_path / "data", printed)
