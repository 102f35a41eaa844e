"""A real `scc serve` process on a free loopback port, for tests that need one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
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
    for attempt in range(3):
        port = free_port()
        environ = {**os.environ, "SCC_DATA_DIR": str(data_dir), "SCC_PORT": str(port), **env}
        command = [sys.executable, "-m", "shipcaptaincrew", "serve"]
        with subprocess.Popen(
            command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as server:
            try:
                lines = _read_until(server, "Uvicorn running", seconds=60)
            except PortTaken:
                server.wait(timeout=10)
                if attempt < 2:
                    continue
                raise
            try:
                yield f"http://127.0.0.1:{port}", lines
            finally:
                server.terminate()
                remaining, _ = server.communicate(timeout=10)
                lines.extend(remaining.splitlines(keepends=True))
            return


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
