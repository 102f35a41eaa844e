"""A real `scc serve` process on a free loopback port, for tests that need one."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_server(data_dir: Path, **env: str) -> Iterator[tuple[str, list[str]]]:
    """Start the server, wait until it listens, yield (base URL, what it printed); stop it after.

    The list of printed lines is completed with everything else the server printed once it has stopped.
    A port taken by someone else between choosing and binding it is retried with another port.
    """
    with live_server_process(data_dir, **env) as (_, base_url, lines):
        yield base_url, lines


@contextmanager
def live_server_process(data_dir: Path, **env: str) -> Iterator[tuple[subprocess.Popen[str], str, list[str]]]:
    """As `live_server`, and the server's process too (a test may kill it)."""
    for attempt in range(3):
        port = free_port()
        environ = {**os.environ, "SCC_DATA_DIR": str(data_dir), "SCC_PORT": str(port), **env}
        command = [sys.executable, "-m", "shipcaptaincrew", "serve"]
        with subprocess.Popen(
            command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        ) as server:
            try:
                lines = _read_until(server, "Uvicorn running", seconds=60)
            except PortTaken:
                server.wait(timeout=10)
                if attempt < 2:
                    continue
                raise
            # Keep reading while the server runs: a full pipe would block it after some hundreds of log lines.
            reader = threading.Thread(target=_read_rest, args=(server, lines), daemon=True)
            reader.start()
            try:
                yield server, f"http://127.0.0.1:{port}", lines
            finally:
                server.terminate()
                server.wait(timeout=10)
                _stop_leftovers(server.pid)
                reader.join(timeout=10)
            return


def _stop_leftovers(session: int) -> None:
    """Kill whatever the server started and left running (its delivery process should have ended with it; the
    tests of that check it themselves). A leftover would hold the output pipe open and hang the test run."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(session, signal.SIGKILL)


def _read_rest(process: subprocess.Popen[str], lines: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)


class PortTaken(AssertionError):
    pass


def _read_until(process: subprocess.Popen[str], marker: str, seconds: float) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if marker in line:
            return lines
        if not line and process.poll() is not None:
            break
    printed = "".join(lines)
    if "address already in use" in printed:
        raise PortTaken(printed)
    raise AssertionError("server did not start:\n" + printed)


class KillableServer:
    """An `scc serve` process a test can kill -9 and start again on the same data folder.

    Its output goes to a file, not a pipe, so a long run never blocks on a full pipe; `printed()` reads it.
    Each start takes a fresh free port (`start` returns the new base URL).
    """

    def __init__(self, data_dir: Path, **env: str) -> None:
        self.data_dir, self.env = data_dir, env
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / f"{data_dir.name}-server.log"
        self.base_url = ""

    def start(self) -> str:
        for attempt in range(3):
            port, offset = free_port(), self.log.stat().st_size if self.log.exists() else 0
            environ = {**os.environ, "SCC_DATA_DIR": str(self.data_dir), "SCC_PORT": str(port), **self.env}
            with self.log.open("ab") as log:
                command = [sys.executable, "-m", "shipcaptaincrew", "serve"]
                self.process = subprocess.Popen(command, env=environ, stdout=log, stderr=subprocess.STDOUT)
            try:
                self._wait_for("Uvicorn running", offset, seconds=60)
            except PortTaken:
                self.process.wait(timeout=10)
                if attempt < 2:
                    continue
                raise
            self.base_url = f"http://127.0.0.1:{port}"
            return self.base_url
        raise AssertionError("unreachable")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no checkpoint; as a power cut is to the process (not to the disk)."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def printed(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def __enter__(self) -> KillableServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_for(self, marker: str, offset: int, seconds: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            printed = self._printed_since(offset)
            if marker in printed:
                return
            if self.process.poll() is not None:
                if "address already in use" in printed:
                    raise PortTaken(printed)
                break
            time.sleep(0.02)
        self.stop()
        raise AssertionError("server did not start:\n" + self._printed_since(offset))

    def _printed_since(self, offset: int) -> str:
        return self.log.read_bytes()[offset:].decode(errors="replace") if self.log.exists() else ""
