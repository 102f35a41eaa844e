"""The baseline of bench/load.py: the mixed load's four routes on a bare Starlette app doing raw sqlite3.

`python bench/_mixed_baseline.py PORT DATABASE` serves on loopback until stopped. WAL, synchronous=FULL, writers
queued on one lock before BEGIN IMMEDIATE ... COMMIT, as the application's store does; it answers what the client
needs and nothing more: no validation, no auth, no guest-link secret check, no audit log, no seal, no email, no
templates. (The application's guest limits count per client, and each guest of the load has an address of its own,
so none of them applies here.)
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import sys
import threading
import urllib.parse

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (slug TEXT PRIMARY KEY, day TEXT NOT NULL, paid_cents INTEGER NOT NULL DEFAULT 0,
                                   waivers_signed INTEGER NOT NULL DEFAULT 0) STRICT;
CREATE TABLE IF NOT EXISTS ledger (id TEXT PRIMARY KEY, slug TEXT NOT NULL, amount_cents INTEGER NOT NULL,
                                   recorded_at TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, body BLOB NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS signatures (id TEXT PRIMARY KEY, slug TEXT NOT NULL, guest_name TEXT NOT NULL,
                                       signed_at TEXT NOT NULL) STRICT;
"""
FORM = (
    '<form method="post"><input type="hidden" name="form_token" value="{token}">'
    '<input type="hidden" name="version_id" value="1"></form>'
)
LIST = "SELECT slug, day, paid_cents, waivers_signed FROM events WHERE day BETWEEN ? AND ? ORDER BY day, slug"


def create(database: str, events: list[tuple[str, str]]) -> None:
    """The baseline's tables and the same events (slug, day) as the application's store."""
    db = sqlite3.connect(database, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO events (slug, day) VALUES (?, ?)", events)
    finally:
        db.close()


class RawStore:
    """One connection per thread; writes one transaction each, queued on a lock like the application's."""

    def __init__(self, database: str) -> None:
        self.database, self.local, self.write_lock = database, threading.local(), threading.Lock()

    def connection(self) -> sqlite3.Connection:
        if not hasattr(self.local, "connection"):
            db = sqlite3.connect(self.database, isolation_level=None, check_same_thread=False, timeout=5)
            for pragma in ("journal_mode = WAL", "synchronous = FULL", "busy_timeout = 5000"):
                db.execute(f"PRAGMA {pragma}")
            self.local.connection = db
        connection: sqlite3.Connection = self.local.connection
        return connection

    def write(self, statements: list[tuple[str, tuple[object, ...]]]) -> None:
        db = self.connection()
        with self.write_lock:
            db.execute("BEGIN IMMEDIATE")
            for statement, values in statements:
                db.execute(statement, values)
            db.execute("COMMIT")

    def list_events(self, start: str, end: str) -> bytes:
        rows = self.connection().execute(LIST, (start, end)).fetchall()
        names = ("slug", "date", "paid_cents", "waivers_signed")
        events = [dict(zip(names, row, strict=True)) for row in rows]
        return json.dumps({"events": events, "next_cursor": None}).encode()

    def pay(self, key: str, body: dict[str, str]) -> bytes:
        found = self.connection().execute("SELECT body FROM idempotency_keys WHERE key = ?", (key,)).fetchone()
        if found:
            return bytes(found[0])
        whole, _, fraction = body["amount"].partition(".")
        cents, entry, slug = int(whole) * 100 + int(fraction or 0), f"pay_{secrets.token_hex(12)}", body["event_id"]
        answer = json.dumps({"payment": {"id": entry, "amount_cents": cents}, "event": {"slug": slug}}).encode()
        self.write([
            ("INSERT INTO ledger VALUES (?, ?, ?, datetime('now'))", (entry, slug, cents)),
            ("UPDATE events SET paid_cents = paid_cents + ? WHERE slug = ?", (cents, slug)),
            ("INSERT INTO idempotency_keys VALUES (?, ?)", (key, answer)),
        ])  # fmt: skip
        return answer

    def sign(self, slug: str, guest: str) -> bool:
        """Record a signature."""
        self.write(
            [
                ("INSERT INTO signatures VALUES (?, ?, ?, datetime('now'))", (secrets.token_hex(8), slug, guest)),
                ("UPDATE events SET waivers_signed = waivers_signed + 1 WHERE slug = ?", (slug,)),
            ]
        )
        return True


def application(database: str) -> Starlette:
    store = RawStore(database)

    async def events(request: Request) -> Response:
        query = request.query_params
        return Response(
            await run_in_threadpool(store.list_events, query["from"], query["to"]), media_type="application/json"
        )

    async def pay(request: Request) -> Response:
        body = json.loads(await request.body())
        answer = await run_in_threadpool(store.pay, request.headers["idempotency-key"], body)
        return Response(answer, 201, media_type="application/json")

    async def form(request: Request) -> Response:
        return HTMLResponse(FORM.format(token=secrets.token_hex(16)))

    async def sign(request: Request) -> Response:
        slug, answers = request.path_params["slug"], urllib.parse.parse_qs((await request.body()).decode())
        if not await run_in_threadpool(store.sign, slug, answers["guest_name"][0]):
            return HTMLResponse("Too many attempts", 429, {"Retry-After": "60"})
        return RedirectResponse(f"/g/{slug}/{request.path_params['secret']}/signed/x", 303)

    return Starlette(routes=[
        Route("/api/events", events, methods=["GET"]), Route("/api/payment-log", pay, methods=["POST"]),
        Route("/g/{slug}/{secret}/waiver", form, methods=["GET"]),
        Route("/g/{slug}/{secret}/waiver", sign, methods=["POST"]),
    ])  # fmt: skip


if __name__ == "__main__":
    uvicorn.run(
        application(sys.argv[2]), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False
    )
