"""Crash drill: kill -9 the real server while a client logs payments; nothing acknowledged may be lost or doubled.

Each round a client thread logs payments, each with its own Idempotency-Key, against `scc serve` (uvicorn,
SQLite in WAL with synchronous=FULL); at a random moment the process gets SIGKILL. Before the restart the
database file must pass `PRAGMA integrity_check` and hold every acknowledged payment exactly once; after it,
every payment left unanswered is sent again with its key, which must make at most one entry.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from pathlib import Path

from tests.drills.ledger import Ledger, Payer, cents_of, prepare, read_ledger, sign_in
from tests.live_server import LiveServer, LiveServerFactory

ROUNDS = 5
LOAD_SECONDS = (0.4, 1.6)  # how long payments flow before each kill, drawn at random
TIME_LIMIT = 60.0


def check_after_crash(ledger: Ledger, payer: Payer) -> None:
    assert ledger.integrity == ["ok"]
    assert [entry_id for entry_id, count in Counter(ledger.ids).items() if count > 1] == []
    missing = {key: entry for key, entry in payer.acknowledged.items() if entry not in set(ledger.ids)}
    assert missing == {}, "acknowledged payments lost in the crash"
    assert sorted(ledger.keys.values()) == sorted(ledger.ids), "each entry was made by exactly one key"
    assert ledger.paid_cents == ledger.total_cents, "the event's paid amount is the ledger's sum"
    assert ledger.receipts == len(ledger.ids), "one receipt queued with each entry, in its transaction"


def crash_round(server: LiveServer, payer: Payer, rng: random.Random) -> None:
    stop = threading.Event()
    client = threading.Thread(target=payer.keep_paying, args=(stop,))
    client.start()
    time.sleep(rng.uniform(*LOAD_SECONDS))
    server.kill()
    stop.set()
    client.join(timeout=30)
    assert not client.is_alive()


def test_every_acknowledged_payment_survives_kill_9_exactly_once_and_retries_make_no_duplicates(
    tmp_path: Path, live_server_factory: LiveServerFactory
) -> None:
    data, seed = tmp_path / "data", random.randrange(2**32)
    rng, began = random.Random(seed), time.monotonic()
    prepare(data)
    server = live_server_factory.fresh(data, with_password=False)
    payer = Payer(server.url, "")
    payer.token = sign_in(payer.base_url)
    for round_number in range(ROUNDS):
        payer.prefix = f"round{round_number}"
        crash_round(server, payer, rng)
        check_after_crash(read_ledger(data / "scc.sqlite3"), payer)
        payer.base_url = server.start()
        payer.retry_unanswered()
    server.stop()
    final = read_ledger(data / "scc.sqlite3")

    assert payer.refused == [], f"seed {seed}"
    assert payer.unanswered == [], "a retry against a running server is answered"
    check_after_crash(final, payer)
    assert sorted(final.ids) == sorted(payer.acknowledged.values()), "every entry is an acknowledged payment"
    assert final.total_cents == sum(cents_of(key) for key in payer.acknowledged)
    assert len(payer.acknowledged) > ROUNDS * 5, "payments were flowing when the server was killed"
    assert time.monotonic() - began < TIME_LIMIT
