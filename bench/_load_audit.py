"""The audit after bench/load.py's load: does the store hold exactly what the clients were told it holds?

Each store (the application's, on SQLite or DynamoDB, and the baseline's) is read into one `StoreView`, straight from
its database file (or table) with the server stopped; `audit` compares it with the writes the clients saw
acknowledged.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class StoreView:
    integrity: list[str]
    entries: list[tuple[str, str, int]]  # entry id, event slug, signed cents
    keys: dict[str, str]  # Idempotency-Key -> the entry id it made (the baseline: its stored answer names)
    paid: dict[str, int]  # event slug -> the paid amount the event row carries
    signatures: list[tuple[str, str]]  # event slug, guest name
    signed: dict[str, int]  # event slug -> the signature count the event row carries
    outbox: dict[str, int]  # status -> messages


def read_app_store(database: Path) -> StoreView:
    with _reading(database) as db:
        return StoreView(
            integrity=[row[0] for row in db.execute("PRAGMA integrity_check")],
            entries=db.execute(
                "SELECT l.id, e.slug, CASE l.kind WHEN 'payment' THEN l.amount_cents "
                "ELSE -l.amount_cents END FROM ledger l JOIN events e ON e.id = l.event_id"
            ).fetchall(),
            keys=dict(db.execute("SELECT key, entry_id FROM idempotency_keys").fetchall()),
            paid=dict(db.execute("SELECT slug, paid_cents FROM events").fetchall()),
            signatures=db.execute(
                "SELECT e.slug, s.guest_name FROM signatures s JOIN events e ON e.id = s.event_id"
            ).fetchall(),
            signed=dict(db.execute("SELECT slug, waivers_signed FROM events").fetchall()),
            outbox=dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()),
        )


def read_dynamodb_store(env: dict[str, str]) -> StoreView:
    """The application's DynamoDB table, read whole as `scc export --jsonl` reads it (a consistent Scan: the audit,
    not the application); its integrity is `scc waiver verify`: every seal, the chain and each event's count."""
    from shipcaptaincrew.adapters.dynamodb_transfer import DynamoDbTransfer
    from shipcaptaincrew.bootstrap import build_context
    from shipcaptaincrew.config import Settings
    from shipcaptaincrew.services import waiver_audit

    ctx = build_context(Settings.from_env(env))
    try:
        records = list(DynamoDbTransfer(ctx.store).dump())  # type: ignore[arg-type]
        problems = waiver_audit.verify_signatures(ctx).problems
    finally:
        ctx.store.close()
    kind: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        kind.setdefault(record["type"], []).append(record)
    entries = [
        (r["id"], r["event"], r["amount_cents"] * (1 if r["kind"] == "payment" else -1))
        for r in kind.get("ledger_entry", [])
    ]
    keys = {r["key"]: r["entry_id"] for r in kind.get("idempotency_key", [])}
    return StoreView(
        integrity=[f"{problem.record_id}: {problem.problem}" for problem in problems] or ["ok"],
        entries=entries,
        keys=keys,
        paid={r["slug"]: r["paid_cents"] for r in kind.get("event", [])},
        signatures=[(r["event"], r["guest_name"]) for r in kind.get("signature", [])],
        signed={r["slug"]: r["waivers_signed"] for r in kind.get("event", [])},
        outbox=dict(Counter(r["status"] for r in kind.get("outbox_message", []))),
    )


def read_baseline_store(database: Path) -> StoreView:
    with _reading(database) as db:
        return StoreView(
            integrity=[row[0] for row in db.execute("PRAGMA integrity_check")],
            entries=db.execute("SELECT id, slug, amount_cents FROM ledger").fetchall(),
            keys={
                key: json.loads(body)["payment"]["id"]
                for key, body in db.execute("SELECT key, body FROM idempotency_keys")
            },
            paid=dict(db.execute("SELECT slug, paid_cents FROM events").fetchall()),
            signatures=db.execute("SELECT slug, guest_name FROM signatures").fetchall(),
            signed=dict(db.execute("SELECT slug, waivers_signed FROM events").fetchall()),
            outbox={},
        )


class _reading:
    def __init__(self, database: Path) -> None:
        self.connection = sqlite3.connect(database)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()


def audit(
    view: StoreView,
    payments: Sequence[Sequence[Any]],
    signatures: Sequence[Sequence[str]],
    errors: dict[str, int],
    replays_differing: int,
) -> dict[str, Any]:
    """Compare the store with what the clients saw acknowledged: every check must hold."""
    acknowledged_ids = Counter(entry for _, entry, _, _ in payments)
    stored_ids = Counter(entry for entry, _, _ in view.entries)
    per_event: Counter[str] = Counter()
    for _, _, slug, cents in payments:
        per_event[slug] += cents
    stored_per_event: Counter[str] = Counter()
    for _, slug, cents in view.entries:
        stored_per_event[slug] += cents
    signed_per_event = Counter(slug for slug, _ in view.signatures)
    checks = {
        "store integrity ok": view.integrity == ["ok"],
        "every acknowledged payment is in the ledger": not acknowledged_ids - stored_ids,
        "no entry that was not acknowledged": not stored_ids - acknowledged_ids,
        "no duplicate entry": max(stored_ids.values(), default=1) == 1,
        "one entry per key, the one its answer named": view.keys == {key: entry for key, entry, _, _ in payments},
        "sums per event exact": +stored_per_event == +per_event,
        "paid amounts are the ledger's sums": all(view.paid[slug] == stored_per_event[slug] for slug in view.paid),
        "signatures are exactly the acknowledged ones": Counter(map(tuple, view.signatures))
        == Counter(map(tuple, signatures)),
        "signature counts match": all(view.signed[slug] == signed_per_event[slug] for slug in view.signed),
        "a replayed key answers the same entry": replays_differing == 0,
        "no unexpected answer": not any(errors.values()),
        "no email dead-lettered": not view.outbox.get("dead"),
    }
    unexpected = {kind: count for kind, count in errors.items() if count}
    summary = (
        f"{len(view.entries):,} ledger entries for {len(payments):,} acknowledged payments "
        f"(total {sum(stored_per_event.values()) / 100:,.2f}), {len(view.signatures):,} signatures for "
        f"{len(signatures):,} acknowledged, unexpected answers {unexpected or 'none'}, "
        f"outbox {view.outbox or '-'}"
    )
    return {"checks": checks, "ok": all(checks.values()), "summary": summary}
