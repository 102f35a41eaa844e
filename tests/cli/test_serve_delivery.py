"""`scc serve` sends mail from a delivery process of its own, which lives exactly as long as the server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.bookings import EventDetails, Patron
from shipcaptaincrew.services import admin, booking
from tests.builders import PASSWORD, event_details, payment_body
from tests.live_server import LiveServerFactory

WORKER = "shipcaptaincrew.cli.delivery_worker"


def prepare(data_dir: Path) -> None:
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))
    admin.set_admin_password(ctx, PASSWORD, "test")
    patron = Patron("Sarah", "Lindqvist", "sarah@example.org")
    booking.create_event(ctx, EventDetails(event_details().date, "pm", patron, 6, amount_due_cents=900_00), "test")
    ctx.store.close()


def workers_of(parent: int | None = None) -> list[int]:
    """Pids of delivery processes (started by `parent`, if given)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text().rpartition(")")[2].split()
        except (OSError, ValueError):
            continue
        if WORKER.encode() in command and (parent is None or int(stat[1]) == parent):
            found.append(int(entry.name))
    return found


def receipts(outbox: Path) -> list[Path]:
    """The payment receipts written to the folder outbox (the booking's confirmation may be there too, before or
    in the same delivery round)."""
    return [message for message in outbox.glob("*.eml") if b"\nSubject: Payment received" in message.read_bytes()]


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Whether `condition` came true within `seconds`: a bound for a loaded machine, not a measure of speed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def log_payment(base_url: str) -> None:
    login = urllib.request.Request(
        f"{base_url}/api/login", json.dumps({"password": PASSWORD}).encode(), {"content-type": "application/json"}
    )
    with urllib.request.urlopen(login, timeout=30) as answer:
        token = json.loads(answer.read())["token"]
    payment = urllib.request.Request(
        f"{base_url}/api/payment-log",
        json.dumps(payment_body(amount="25")).encode(),
        {"content-type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(payment, timeout=30) as answer:
        assert answer.status == 201


def test_the_server_sends_a_receipt_from_its_delivery_process_which_stops_with_the_server(
    tmp_path: Path, live_server_factory: LiveServerFactory
) -> None:
    prepare(tmp_path)
    server = live_server_factory.fresh(tmp_path, with_password=False)
    assert server.process is not None
    pid = server.process.pid
    assert wait_for(lambda: len(workers_of(pid)) == 1)
    log_payment(server.url)

    assert wait_for(lambda: len(receipts(tmp_path / "outbox")) == 1)
    worker = workers_of(pid)[0]
    server.process.terminate()
    server.process.wait(timeout=15)

    assert wait_for(lambda: worker not in workers_of())
    printed = server.printed().splitlines()
    assert not [line for line in printed if "Warning" in line or "Traceback" in line or "ERROR" in line]


def test_a_delivery_process_left_behind_by_a_killed_server_ends_by_itself(
    tmp_path: Path, live_server_factory: LiveServerFactory
) -> None:
    prepare(tmp_path)
    server = live_server_factory.fresh(tmp_path, with_password=False)
    assert server.process is not None
    pid = server.process.pid
    assert wait_for(lambda: len(workers_of(pid)) == 1)
    worker = workers_of(pid)[0]
    server.kill()  # SIGKILL: no chance to stop its children

    assert wait_for(lambda: worker not in workers_of())


def test_the_delivery_process_stops_at_once_however_many_times_it_is_told(tmp_path: Path) -> None:
    prepare(tmp_path)
    command = [sys.executable, "-m", WORKER, str(os.getpid()), "0.2"]
    with subprocess.Popen(command, env={**os.environ, "SCC_DATA_DIR": str(tmp_path)}) as worker:
        assert wait_for(lambda: has_the_store_open(worker.pid)), "the delivery process never got going"
        for _ in range(3):  # the server's SIGTERM, then the one Linux sends when the server dies, and more
            worker.send_signal(signal.SIGTERM)

        assert worker.wait(timeout=10) == 0


def has_the_store_open(pid: int) -> bool:
    """True once the process has opened the store (after it set up how it takes SIGTERM)."""
    try:
        return any(link.resolve().name == "scc.sqlite3" for link in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
