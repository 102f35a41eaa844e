"""The live-server helper: a shared server is started once per worker, a fresh one leaves nothing running."""

from __future__ import annotations

import socket
import time
import urllib.parse
from pathlib import Path

from tests.live_server import LiveServerFactory


def listening(url: str) -> bool:
    address = urllib.parse.urlsplit(url)
    with socket.socket() as probe:
        return probe.connect_ex((address.hostname or "127.0.0.1", address.port or 80)) == 0


def running_in(group: int) -> list[int]:
    """Pids of the processes of this process group still running (a killed one waiting to be reaped is not)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            state, _, process_group = (entry / "stat").read_text().rpartition(")")[2].split()[:3]
        except (OSError, ValueError):
            continue
        if int(process_group) == group and state != "Z":
            found.append(int(entry.name))
    return found


def ended(group: int, seconds: float = 10.0) -> bool:
    """Whether every process of the group has ended within `seconds` (a SIGKILL takes effect asynchronously)."""
    deadline = time.monotonic() + seconds
    while running_in(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not running_in(group)


def test_a_shared_server_is_started_once_per_group_and_settings(live_server_factory: LiveServerFactory) -> None:
    first = live_server_factory.shared("helper")

    assert live_server_factory.shared("helper") is first
    assert live_server_factory.shared("helper", SCC_OPERATOR_NAME="Other charters") is not first
    assert listening(first.url) and first.token()


def test_a_fresh_server_and_its_delivery_process_are_gone_once_stopped(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory.fresh()
    assert server.process is not None
    session, url = server.process.pid, server.url
    assert listening(url) and "Uvicorn running" in server.printed()
    assert len(running_in(session)) == 2, "the server and its delivery process"

    live_server_factory.stop()

    assert server.process is None and not listening(url)
    assert ended(session), "the server's delivery process is left running"


def test_a_killed_server_starts_again_on_its_store(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory.fresh()
    token, before = server.token(), server.url

    server.kill()
    assert not listening(before)
    after = server.start()

    assert listening(after) and server.token() != token
