"""Twenty clients posting at once to a real server process: one Idempotency-Key makes exactly one entry."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

from tests.builders import PASSWORD, event_body, payment_body, unique_days
from tests.live_server import LiveServerFactory

CLIENTS = 20


def call(url: str, body: dict[str, object], headers: dict[str, str], method: str = "POST") -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body else None
    request = urllib.request.Request(url, data, {"content-type": "application/json", **headers}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def post_at_once(base_url: str, token: str, slug: str, key: str | None) -> list[tuple[int, bytes]]:
    barrier, results = threading.Barrier(CLIENTS), []
    headers = {"Authorization": f"Bearer {token}", **({"Idempotency-Key": key} if key else {})}

    def client() -> None:
        barrier.wait()
        results.append(call(f"{base_url}/api/payment-log", payment_body(event_id=slug, amount="10"), headers))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def book(base_url: str, auth: dict[str, str], day: str) -> str:
    """A 900.00 charter whose patron has no email (no receipts to send); its slug."""
    body = event_body(date=day, patron={"first_name": "Sarah"})
    status, answer = call(f"{base_url}/api/events", body, auth)
    assert status == 201, answer
    return str(json.loads(answer)["slug"])


def entries(base_url: str, token: str, slug: str) -> int:
    status, body = call(f"{base_url}/api/events/{slug}/payments", {}, {"Authorization": f"Bearer {token}"}, "GET")
    assert status == 200, body
    return len(json.loads(body)["entries"])


def test_twenty_concurrent_posts_with_one_key_make_one_entry_and_without_keys_twenty(
    live_server_factory: LiveServerFactory,
) -> None:
    base_url, days = live_server_factory.shared().url, unique_days()
    token = json.loads(call(f"{base_url}/api/login", {"password": PASSWORD}, {})[1])["token"]
    auth = {"Authorization": f"Bearer {token}"}
    keyed, control = (book(base_url, auth, day) for day in (days.at(5), days.at(6)))

    for slug, key in ((keyed, f"same-key-for-all-{keyed}"), (control, None)):
        results = post_at_once(base_url, token, slug, key)
        assert [status for status, _ in results] == [201] * CLIENTS
        if key:
            assert len({body for _, body in results}) == 1, "every replay returns the first answer"

    assert entries(base_url, token, keyed) == 1
    assert entries(base_url, token, control) == CLIENTS, "the control run shows the duplicates the key prevents"
