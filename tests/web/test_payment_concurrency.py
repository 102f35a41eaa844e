"""Twenty clients posting at once to a real server process: one Idempotency-Key makes exactly one entry."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.events import EventDetails, Patron
from shipcaptaincrew.services import admin, booking, payments
from tests.builders import PASSWORD, event_details, payment_body
from tests.live_server import live_server

CLIENTS = 20


def prepare(data_dir: Path) -> None:
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))
    admin.set_admin_password(ctx, PASSWORD, "test")
    details = event_details()
    booking.create_event(ctx, EventDetails(details.date, "pm", Patron("Sarah"), 6, amount_due_cents=900_00), "test")
    ctx.store.close()


def call(url: str, body: dict[str, object], headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def post_at_once(base_url: str, token: str, key: str | None) -> list[tuple[int, bytes]]:
    barrier, results = threading.Barrier(CLIENTS), []
    headers = {"Authorization": f"Bearer {token}", **({"Idempotency-Key": key} if key else {})}

    def client() -> None:
        barrier.wait()
        results.append(call(f"{base_url}/api/payment-log", payment_body(amount="10"), headers))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def entries(data_dir: Path) -> int:
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))
    count = len(payments.statement(ctx, "2026-05-23-sarah-pm").entries)
    ctx.store.close()
    return count


def test_twenty_concurrent_posts_with_one_key_make_one_entry_and_without_keys_twenty(tmp_path: Path) -> None:
    keyed, control = tmp_path / "keyed", tmp_path / "control"
    for folder in (keyed, control):
        prepare(folder)

    for folder, key in ((keyed, "same-key-for-all"), (control, None)):
        with live_server(folder) as (base_url, _):
            token = json.loads(call(f"{base_url}/api/login", {"password": PASSWORD}, {})[1])["token"]
            results = post_at_once(base_url, token, key)
        assert [status for status, _ in results] == [201] * CLIENTS
        if key:
            assert len({body for _, body in results}) == 1, "every replay returns the first answer"

    assert entries(keyed) == 1
    assert entries(control) == CLIENTS, "the control run shows the duplicates the key prevents"
