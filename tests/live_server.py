"""The one way tests start `scc serve`: a real process on a free loopback port, what it prints kept in a file.

Tests take servers from the `live_server_factory` fixture (tests/conftest.py), which marks them `live`:

- `shared(group)` is this worker's server for a group of tests, started on first use and kept until the run
  ends. Its store holds what earlier tests left there, so a test on it books its own days and names
  (`tests.builders.unique_days`) and never counts what it did not make.
- `fresh(data_dir)` is a server of the test's own, stopped when the test ends: for an empty store, settings
  of its own, a store the test prepared, or a process the test kills.

Output goes to a file, not a pipe: a pipe nobody reads fills with the access log and stops the server.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.context import Context
from tests.builders import PASSWORD, set_waiver

LISTENING = "Uvicorn running"
START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def admin_context(data_dir: Path, **env: str) -> Context:
    """A context on the store in `data_dir`, hashing with cheaper argon2id parameters (still argon2id)."""
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir), **env}))
    ctx.hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)
    return ctx


def set_password(data_dir: Path, **env: str) -> None:
    """Give the store in `data_dir` the admin password PASSWORD, as `scc admin set-password` would, and the
    operator's waiver text (until one is set, no guest can sign)."""
    ctx = admin_context(data_dir, **env)
    try:
        admin.set_admin_password(ctx, PASSWORD, "test")
        set_waiver(ctx)
    finally:
        ctx.store.close()


def _wait_until_gone(session: int, seconds: float = 10.0) -> None:
    """Wait until no running process is left in the session: what a store's next user waits for, too."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_in_session(stat, session) for stat in Path("/proc").glob("[0-9]*/stat")):
        time.sleep(0.05)


def _in_session(stat: Path, session: int) -> bool:
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] != "Z" and int(fields[3]) == session  # state, then ppid, pgrp, session


class PortTaken(AssertionError):
    pass


class LiveServer:
    """`scc serve` on `data_dir`: `start` it (again after a `kill`, on a fresh port), read what it `printed`.

    `stop` ends it and whatever it started; `kill` is SIGKILL to the server and its delivery process, as a power
    cut is to the processes (not to the disk): no shutdown, no flush, no checkpoint.
    """

    def __init__(self, data_dir: Path, **env: str) -> None:
        self.data_dir, self.env = data_dir, env
        self.log = data_dir.parent / f"{data_dir.name}-server.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self._sessions: list[int] = []
        self._context: Context | None = None

    def start(self) -> str:
        """Start the server and wait until it listens; return its base URL. A port taken by someone else
        between choosing and binding it is tried again with another port."""
        for attempt in range(3):
            try:
                return self._start_on(free_port())
            except PortTaken:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def kill(self) -> None:
        assert self.process is not None
        session = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(session, signal.SIGKILL)  # the server and its delivery process, as a power cut takes both
        self.process.wait(timeout=10)
        self.process = None
        _wait_until_gone(session)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        for session in self._sessions:  # a leftover delivery process would hold the store and a core
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(session, signal.SIGKILL)
        if self._context is not None:
            self._context.store.close()
            self._context = None

    def printed(self) -> str:
        """Everything the server printed so far, over every start."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def token(self) -> str:
        """A fresh admin token, minted in this process with the server's key, so the server's sign-in throttle
        never refuses it (the store must have the password PASSWORD)."""
        if self._context is None:
            self._context = admin_context(self.data_dir, **self.env)
        return admin.log_in(self._context, PASSWORD, "test")[0]

    def _start_on(self, port: int) -> str:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        offset = self.log.stat().st_size if self.log.exists() else 0
        environ = {**os.environ, "SCC_DATA_DIR": str(self.data_dir), "SCC_PORT": str(port), **self.env}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "shipcaptaincrew", "serve"],
                env=environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._sessions.append(self.process.pid)
        self._wait_until_listening(offset)
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def _wait_until_listening(self, offset: int) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            printed = self._printed_since(offset)
            if LISTENING in printed:
                return
            if self.process.poll() is not None:
                self.process = None
                if "address already in use" in printed:
                    raise PortTaken(printed)
                break
            time.sleep(0.02)
        self.stop()
        raise AssertionError("server did not start:\n" + self._printed_since(offset))

    def _printed_since(self, offset: int) -> str:
        return self.log.read_bytes()[offset:].decode(errors="replace") if self.log.exists() else ""


class SharedServers:
    """One server per group and settings in this process (an xdist worker), started on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.running: dict[tuple[str, tuple[tuple[str, str], ...]], LiveServer] = {}

    def get(self, group: str, env: dict[str, str]) -> LiveServer:
        key = (group, tuple(sorted(env.items())))
        if key not in self.running:
            data_dir = self.root / f"{group}-{len(self.running)}" / "data"
            set_password(data_dir, **env)
            server = LiveServer(data_dir, **env)
            server.start()
            self.running[key] = server
        return self.running[key]

    def stop(self) -> None:
        for server in self.running.values():
            server.stop()
        self.running.clear()


class LiveServerFactory:
    """What the `live_server_factory` fixture hands a test: shared servers, and fresh ones it stops afterwards."""

    def __init__(self, shared_servers: SharedServers, tmp_path: Path) -> None:
        self.shared_servers, self.tmp_path = shared_servers, tmp_path
        self.own: list[LiveServer] = []

    def shared(self, group: str = "default", **env: str) -> LiveServer:
        """This worker's server for `group` (with these settings), admin password PASSWORD. Tests that change
        what the whole server does (fail sign-ins on purpose, change the password) use a group of their own."""
        return self.shared_servers.get(group, env)

    def fresh(self, data_dir: Path | None = None, *, with_password: bool = True, **env: str) -> LiveServer:
        """A started server of this test's own on `data_dir` (default: an empty folder in tmp_path), with the
        admin password PASSWORD unless `with_password` is false (a first run, or a store the test prepared)."""
        data_dir = data_dir or self.tmp_path / f"server-{len(self.own)}" / "data"
        if with_password:
            set_password(data_dir, **env)
        server = LiveServer(data_dir, **env)
        self.own.append(server)
        server.start()
        return server

    def stop(self) -> None:
        for server in self.own:
            server.stop()


@contextmanager
def live_server(data_dir: Path, **env: str) -> Iterator[tuple[str, list[str]]]:
    """A server of the caller's own for a `with` block: (base URL, what it printed). The list is completed with
    everything else it printed once it has stopped."""
    with live_server_process(data_dir, **env) as (_, url, lines):
        yield url, lines


@contextmanager
def live_server_process(data_dir: Path, **env: str) -> Iterator[tuple[subprocess.Popen[bytes], str, list[str]]]:
    """As `live_server`, with the server's process too (a test may measure or kill it)."""
    server = LiveServer(data_dir, **env)
    server.start()
    lines = Printed(server)
    try:
        assert server.process is not None
        yield server.process, server.url, lines
    finally:
        server.stop()


class Printed(list[str]):
    """The lines a server printed, read from its log each time they are looked at (so never out of date)."""

    def __init__(self, server: LiveServer) -> None:
        super().__init__()
        self.server = server

    def _now(self) -> list[str]:
        return self.server.printed().splitlines(keepends=True)

    def __iter__(self) -> Iterator[str]:
        return iter(self._now())

    def __len__(self) -> int:
        return len(self._now())

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self._now()[index]

    def __contains__(self, line: object) -> bool:
        return line in self._now()
