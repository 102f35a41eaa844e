"""What the drills share: a store with one charter, a client that logs payments and remembers which were
acknowledged, and the ledger read straight from the database file."""

from __future__ import annotations

import http.client
import json
import sqlite3
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.bookings import EventDetails, Patron
from shipcaptaincrew.services import admin, booking
from tests.builders import PASSWORD, event_details

SLUG = "2026-05-23-sarah-pm"
AMOUNT_DUE_CENTS = 500_000_00  # more than any drill pays, so the event stays open


def prepare(data_dir: Path) -> str:
    """A fresh store with the admin password and one charter; return its slug."""
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))
    try:
        admin.set_admin_password(ctx, PASSWORD, "test")
        details = event_details()
        patron = Patron("Sarah", "Lopez", "sarah@example.org")  # every payment queues a receipt
        event = EventDetails(details.date, "pm", patron, 6, amount_due_cents=AMOUNT_DUE_CENTS)
        return booking.create_event(ctx, event, "test").slug
    finally:
        ctx.store.close()


def request(
    base_url: str,
    method: str,
    path: str,
    body: object = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, bytes]:
    """One request on its own connection; raises OSError (refused, reset, timed out) when the server is gone."""
    address = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=timeout)
    try:
        data = None if body is None else json.dumps(body).encode()
        sent = {"content-type": "application/json", **(headers or {})}
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        return response.status, response.read()
    except http.client.HTTPException as error:  # a half-written answer from a process that died: no answer
        raise ConnectionError(str(error)) from error
    finally:
        connection.close()


def sign_in(base_url: str) -> str:
    status, body = request(base_url, "POST", "/api/login", {"password": PASSWORD})
    assert status == 200, body
    return str(json.loads(body)["token"])


def payment(key: str) -> dict[str, str]:
    """The payment sent with `key`, always the same for a key (a retry must send the same body)."""
    cents = 100 + sum(key.encode()) % 900
    return {
        "event_id": SLUG,
        "patron_name": "Sarah",
        "amount": f"{cents // 100}.{cents % 100:02d}",
        "payment_method": "cash",
    }


def cents_of(key: str) -> int:
    amount = payment(key)["amount"]
    whole, _, fraction = amount.partition(".")
    return int(whole) * 100 + int(fraction)


@dataclass
class Payer:
    """Logs payments, each with its own Idempotency-Key; remembers every answer and every key left unanswered."""

    base_url: str
    token: str
    prefix: str = "pay"
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> ledger entry id, from a 2xx answer
    unanswered: list[str] = field(default_factory=list)  # sent, no answer (the server died, or answered 5xx)
    refused: list[tuple[str, int, bytes]] = field(default_factory=list)  # a 4xx: a bug in the drill or the server
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pay(self, key: str) -> bool:
        """Send the payment for `key`; True when it was acknowledged."""
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        try:
            status, body = request(self.base_url, "POST", "/api/payment-log", payment(key), headers)
        except OSError:
            status, body = 0, b""
        with self.lock:
            self.sent += 1
            if 200 <= status < 300:
                self.acknowledged[key] = json.loads(body)["payment"]["id"]
                return True
            if 400 <= status < 500:
                self.refused.append((key, status, body[:300]))
            elif key not in self.unanswered:
                self.unanswered.append(key)
        return False

    def keep_paying(self, stop: threading.Event) -> None:
        """New payments one after another until `stop` is set."""
        number = 0
        while not stop.is_set():
            number += 1
            self.pay(f"{self.prefix}-{number}")

    def retry_unanswered(self) -> None:
        """Send every unanswered key again, with the same body: at most one entry may come of each."""
        with self.lock:
            pending, self.unanswered = self.unanswered, []
        for key in pending:
            self.pay(key)


@dataclass(frozen=True)
class Ledger:
    """The ledger and the event's stored payment state, read from the database file."""

    entries: list[tuple[str, str, int]]  # (id, kind, amount_cents) in the order appended
    keys: dict[str, str]  # Idempotency-Key -> the entry id it made
    paid_cents: int
    integrity: list[str]
    receipts: int  # outbox messages, each written in the transaction of the payment it confirms

    @property
    def ids(self) -> list[str]:
        return [entry_id for entry_id, _, _ in self.entries]

    @property
    def total_cents(self) -> int:
        return sum(cents if kind == "payment" else -cents for _, kind, cents in self.entries)


def read_ledger(database: Path, slug: str = SLUG) -> Ledger:
    connection = sqlite3.connect(database)
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        entries = connection.execute("SELECT id, kind, amount_cents FROM ledger ORDER BY rowid").fetchall()
        keys = dict(connection.execute("SELECT key, entry_id FROM idempotency_keys").fetchall())
        paid = connection.execute("SELECT paid_cents FROM events WHERE slug = ?", (slug,)).fetchone()[0]
        receipts = connection.execute("SELECT count(*) FROM outbox WHERE kind = 'receipt'").fetchone()[0]
        return Ledger(entries, keys, int(paid), integrity, int(receipts))
    finally:
        connection.close()
