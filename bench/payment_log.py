"""Sustained `POST /api/payment-log`, each request with its own Idempotency-Key, against raw SQLite commits.

The store is seeded through the project's own code and the application runs under uvicorn on loopback as
`scc serve` runs it, with its mail delivery process beside it. The event's patron has an email, so every payment
also queues a receipt, which the delivery process sends (claims the message, writes a `.eml` file, marks it
sent) while the load goes on; after each application round the benchmark waits until no receipt is pending and
reports how long that took. The baseline is what the database alone allows: one INSERT of a ledger-like row per
BEGIN IMMEDIATE ... COMMIT, with the same durability settings (WAL, synchronous=FULL), from one Python thread,
in the same folder. Goal: the application logs at least 0.3 of the baseline's entries/s.

A third target shows what the goal asks of the stack: the floor, a bare Starlette route over raw sqlite3
(`_mixed_baseline.py`) doing a payment's core writes (idempotency lookup, ledger insert, paid total, stored
answer) in one transaction per request, with no validation, auth, audit, receipt or event snapshot, under the
same load. All three run for the same time, interleaved, round by round. After the run, the ledger must hold
exactly one entry per 201 response, with no other answer, and every receipt must have been sent. Every payment
goes to one event, so a cost per payment that grows with the event's ledger shows as entries/s falling from round
to round.

Run alone: `python bench/payment_log.py [--seconds S] [--connections N]` (S: load time per target, split over the
rounds; N: 4 unless given, as `make bench` runs it).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from _harness import (
    Machine,
    Sample,
    Server,
    fetch,
    load_description,
    measure,
    serving,
    serving_script,
    summarize,
    write_results,
)
from _mixed_baseline import create as create_floor
from shipcaptaincrew.adapters.sqlite import connect
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.bookings import EventDetails, Patron
from shipcaptaincrew.services import admin, booking

NAME = "payment_log"
PATH = "/api/payment-log"
PASSWORD = "benchmark-only-password"
EVENTS = (  # a few charters; every payment goes to the first
    (date(2026, 6, 6), "pm", Patron("Sarah", "Lindqvist", "sarah.lindqvist@example.org", "+1 555 0142")),
    (date(2026, 6, 6), "sunset", Patron("Marco", "Bell", "marco.bell@example.org", "+1 555 0177")),
    (date(2026, 6, 7), "am", Patron("Priya", "Nair", "priya.nair@example.org", "+1 555 0108")),
)
AMOUNT_DUE_CENTS = 900_000  # more than the run pays, so every receipt shows a balance
PAYMENT = {"patron_name": "Bench", "amount": "1.00", "payment_method": "cash"}

SECONDS = 9.0  # load per target, split over ROUNDS interleaved rounds
ROUNDS = 3
WARMUP = 1.0
CONNECTIONS = 4
GOAL_OF_BASELINE = 0.3
DRAIN_TIMEOUT = 10.0  # seconds to wait, after each application round, for the receipts still being delivered

BASELINE_TABLE = """
CREATE TABLE ledger (
    id TEXT PRIMARY KEY, event_id INTEGER NOT NULL, kind TEXT NOT NULL, amount_cents INTEGER NOT NULL,
    method TEXT NOT NULL, patron_name TEXT NOT NULL, reference TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '', received_on TEXT, actor TEXT NOT NULL, recorded_at TEXT NOT NULL,
    reverses TEXT UNIQUE, reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX ledger_by_event ON ledger (event_id, recorded_at, id);
CREATE INDEX ledger_by_time ON ledger (recorded_at, id);
"""
BASELINE_INSERT = (
    "INSERT INTO ledger (id, event_id, kind, amount_cents, method, patron_name, reference, note, received_on, actor,"
    " recorded_at, reverses, reason) VALUES (?, 1, 'payment', 100, 'cash', 'Bench', '', '', NULL, 'admin', ?, NULL, '')"
)


def seed(data_dir: Path) -> tuple[str, str]:
    """A fresh store with an admin password and EVENTS; return a sign-in token and the paid event's slug."""
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))
    try:
        admin.set_admin_password(ctx, PASSWORD, "bench")
        token, _ = admin.log_in(ctx, PASSWORD, "127.0.0.1")
        slugs = [
            booking.create_event(
                ctx, EventDetails(day, period, patron, 6, "Bench charter", "", AMOUNT_DUE_CENTS), "bench"
            ).slug
            for day, period, patron in EVENTS
        ]
    finally:
        ctx.store.close()
    return token, slugs[0]


def check_answer(server: Server, headers: dict[str, str], body: str) -> None:
    """One payment answered 201 with the entry and the event; its replay answers the same bytes."""
    key = {**headers, "Content-Type": "application/json", "Idempotency-Key": "bench-check"}
    answers = [fetch(server.port, PATH, key, "POST", body.encode()) for _ in range(2)]
    status, content = answers[0]
    if status != 201 or "payment" not in json.loads(content) or answers[1] != answers[0]:
        raise RuntimeError(f"POST {PATH} answered {status}: {content[:300]!r}")


def raw_commits(database: Path, seconds: float) -> Sample:
    """Insert+commit ledger-like rows, one per BEGIN IMMEDIATE transaction, for `seconds`, timing each."""
    connection = connect(database)  # the project's own pragmas: WAL, synchronous=FULL, busy timeout
    try:
        latencies, prefix = [], f"pay_{time.time_ns():x}_"
        began, cpu_began = time.perf_counter_ns(), time.thread_time()
        while (started := time.perf_counter_ns()) < began + seconds * 1e9:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(BASELINE_INSERT, (f"{prefix}{len(latencies)}", datetime.now(UTC).isoformat()))
            connection.execute("COMMIT")
            latencies.append((time.perf_counter_ns() - started) // 1000)
        elapsed = (time.perf_counter_ns() - began) / 1e9
        return Sample(
            latencies, 0, elapsed, (time.thread_time() - cpu_began) / elapsed, 0.0, {"commit": len(latencies)}
        )
    finally:
        connection.close()


def create_baseline(database: Path) -> None:
    connection = connect(database)
    try:
        connection.executescript(BASELINE_TABLE)
    finally:
        connection.close()


def store_counts(store: Path) -> dict[str, int]:
    """Ledger entries, idempotency keys, and outbox messages by status, read straight from the database."""
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        counts = {
            "ledger_entries": connection.execute("SELECT count(*) FROM ledger").fetchone()[0],
            "idempotency_keys": connection.execute("SELECT count(*) FROM idempotency_keys").fetchone()[0],
        }
        query = "SELECT status, kind = 'receipt', count(*) FROM outbox GROUP BY status, kind = 'receipt'"
        for status, receipt, count in connection.execute(query):
            # Receipts by status; the booking's own mail (the confirmation) is counted apart.
            name = f"outbox_{status}" if receipt else f"other_mail_{status}"
            counts[name] = counts.get(name, 0) + count
        return counts
    finally:
        connection.close()


def _pending(counts: dict[str, int]) -> int:
    return counts.get("outbox_pending", 0) + counts.get("other_mail_pending", 0)


def drain(store: Path) -> float:
    """Wait until no receipt is pending (the background deliveries have caught up); return the seconds waited."""
    began = time.perf_counter()
    while _pending(store_counts(store)) and time.perf_counter() - began < DRAIN_TIMEOUT:
        time.sleep(0.02)
    return time.perf_counter() - began


def load_all(
    app: Server,
    floor: Server,
    headers: dict[str, str],
    body: str,
    store: Path,
    baseline: Path,
    seconds: float,
    connections: int,
) -> dict[str, Any]:
    """Warm all up, then alternate them, ROUNDS times, so a noisy spell hits them alike; count every answer."""
    request = {"method": "POST", "body": body, "unique_header": "Idempotency-Key", "expect": 201}
    warmup = measure(app, PATH, headers, WARMUP, connections, **request)
    drain(store)
    measure(floor, PATH, {}, WARMUP, connections, **request)
    raw_commits(baseline, WARMUP)
    samples: dict[str, list[Sample]] = {"baseline": [], "floor": [], "app": []}
    drained = []
    for _ in range(ROUNDS):
        samples["app"].append(measure(app, PATH, headers, seconds / ROUNDS, connections, **request))
        drained.append(drain(store))
        samples["floor"].append(measure(floor, PATH, {}, seconds / ROUNDS, connections, **request))
        samples["baseline"].append(raw_commits(baseline, seconds / ROUNDS))
    return {
        "targets": {name: summarize(found) for name, found in samples.items()},
        "statuses_with_warmup": summarize([warmup, *samples["app"]])["statuses"],
        "drain_seconds": drained,
    }


def audit(statuses: dict[str, int], state: dict[str, int], eml_files: int) -> dict[str, Any]:
    """Did every 201 leave exactly one entry, and nothing else answer? The check's own two requests count too."""
    created = statuses.get("201", 0) + 1  # check_answer's payment (its replay writes nothing)
    others = {status: count for status, count in statuses.items() if status != "201"}
    checks = {
        "ledger entries == 201 responses": state["ledger_entries"] == created,
        "no other responses": not others,
        "one idempotency key per entry": state["idempotency_keys"] == created,
        "one receipt sent per entry": state.get("outbox_sent", 0) == created,
        "a .eml file per message sent": eml_files == state.get("outbox_sent", 0) + state.get("other_mail_sent", 0),
    }
    return {
        "201_responses": created,
        "other_responses": others,
        **state,
        "eml_files": eml_files,
        "checks": checks,
        "ok": all(checks.values()),
    }


def run(folder: Path, seconds: float, connections: int) -> dict[str, Any]:
    data_dir, baseline, floor_store = folder / "store", folder / "baseline.sqlite3", folder / "floor.sqlite3"
    token, slug = seed(data_dir)
    create_baseline(baseline)
    create_floor(str(floor_store), [(slug, EVENTS[0][0].isoformat())])
    headers = {"Authorization": f"Bearer {token}"}
    body = json.dumps({"event_id": slug, **PAYMENT})
    with (
        serving("app", ["app"], {"SCC_DATA_DIR": str(data_dir)}) as app,
        serving_script("floor", ["_mixed_baseline.py"], [str(floor_store)]) as floor,
    ):
        check_answer(app, headers, body)
        measured = load_all(app, floor, headers, body, data_dir / "scc.sqlite3", baseline, seconds, connections)
    state = store_counts(data_dir / "scc.sqlite3")  # the server has stopped: every background task is done
    eml_files = len(list((data_dir / "outbox").glob("*.eml")))
    return {"event": slug, "body": body, **measured, "audit": audit(measured["statuses_with_warmup"], state, eml_files)}


def verdict(targets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    ratio = targets["app"]["requests_per_s"] / targets["baseline"]["requests_per_s"]
    return {
        "value": ratio,
        "unit": "x baseline entries/s",
        "goal": f">= {GOAL_OF_BASELINE}",
        "met": ratio >= GOAL_OF_BASELINE,
    }


def report(results: dict[str, Any], machine: Machine) -> str:
    load, found = results["load"], results["audit"]
    lines = [
        f"{NAME}: POST {PATH} {results['body']}, a unique Idempotency-Key each",
        machine.describe(),
        "every payment also queues an email receipt, sent meanwhile by the delivery process `scc serve` runs beside "
        "the server (claim, write a .eml file, mark sent)",
        "baseline: raw sqlite3, one INSERT of a ledger-like row per BEGIN IMMEDIATE ... COMMIT, WAL, "
        "synchronous=FULL, one thread",
        "floor: bare Starlette + raw sqlite3, a payment's core writes in one transaction per request (no validation, "
        "auth, audit, receipt or event snapshot), same load",
        f"load: {load['client_processes']} client processes, {load['connections']} keep-alive connections in all, "
        f"{ROUNDS} interleaved rounds of {load['seconds_per_round']:.1f} s per target after {WARMUP:.0f} s warm-up",
        "",
        f"{'target':<10}{'entries/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}{'server CPU':>12}"
        f"{'client CPU':>12}   entries/s by round",
    ]
    for name, row in results["targets"].items():
        rounds = ", ".join(f"{value:,.0f}" for value in row["rounds_requests_per_s"])
        lines.append(
            f"{name:<10}{row['requests_per_s']:>11,.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['max_ms']:>9.2f}"
            f"{row['errors']:>8}{server_cpu(name, row):>12}{row['client_cpu']:>12.0%}   {rounds}"
        )
    ratio, rate = results["ratio"], {name: row["requests_per_s"] for name, row in results["targets"].items()}
    drained = ", ".join(f"{seconds:.2f}" for seconds in results["drain_seconds"])
    lines += [
        "(baseline latencies are per commit; its client CPU is the committing thread's)",
        f"receipts still being sent after each application round took {drained} s to go out",
        "",
        f"app / baseline {ratio['value']:>6.2f} {ratio['unit']}  goal {ratio['goal']}  "
        f"{'PASS' if ratio['met'] else 'MISS'}",
        f"floor / baseline {rate['floor'] / rate['baseline']:.2f} x   app / floor {rate['app'] / rate['floor']:.2f} x",
        f"audit: {found['ledger_entries']:,} ledger entries (all on {results['event']}) for "
        f"{found['201_responses']:,} 201 responses, other answers: {found['other_responses'] or 'none'}, "
        f"{found['idempotency_keys']:,} idempotency keys, "
        f"{found.get('outbox_sent', 0):,} receipts sent ({found['eml_files']:,} .eml files), "
        f"{found.get('outbox_pending', 0)} pending, {found.get('outbox_dead', 0)} dead: "
        f"{'OK' if found['ok'] else 'FAILED ' + str([name for name, ok in found['checks'].items() if not ok])}",
    ]
    return "\n".join(lines)


def server_cpu(name: str, row: dict[str, Any]) -> str:
    return "-" if name == "baseline" else f"{row['server_cpu']:.0%}"


def main(seconds: float | None = None, connections: int = CONNECTIONS) -> None:
    machine, per_target = Machine.here(), seconds or SECONDS
    with tempfile.TemporaryDirectory(prefix="scc-bench-") as folder:
        measured = run(Path(folder), per_target, connections)
    results = {
        "benchmark": NAME,
        "request": f"POST {PATH}",
        "machine": asdict(machine),
        "load": load_description(connections, ROUNDS, per_target, WARMUP),
        **measured,
        "ratio": verdict(measured["targets"]),
    }
    print(report(results, machine))
    print(f"results: {write_results(NAME, results)}")
    if not measured["audit"]["ok"]:
        raise RuntimeError("the audit failed: see above")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, help=f"load time per target (default {SECONDS})")
    parser.add_argument(
        "--connections", type=int, default=CONNECTIONS, help=f"keep-alive connections in all (default {CONNECTIONS})"
    )
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.connections)
