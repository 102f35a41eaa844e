"""Mixed traffic from 8 concurrent clients against uvicorn + SQLite, then an audit of what the store holds.

Each client (a keep-alive connection, see `_mixed.py`) lists the events of a two-week window, logs payments with
their own Idempotency-Keys (sending some a second time with the same key, as a client that lost the answer does:
the second answer must give back the same entry and write nothing), and signs waivers on the guest pages (the page, then
the form, each guest from an address of its own in X-Forwarded-For, as a proxy on loopback that
SCC_TRUSTED_PROXIES trusts would send it). The application runs as `scc serve` runs it, on a store seeded through
its own code, with email receipts delivered after each answer. The baseline is the same mix against a bare
Starlette app doing raw sqlite3 (`_mixed_baseline.py`), in the same run, interleaved.

After the load, with the servers stopped, the audit reads each store: the ledger holds exactly the acknowledged
payments (none missing, none doubled, one per key), every event's paid amount is the exact sum of its entries,
the signatures are exactly the acknowledged ones, and nothing answered otherwise than expected.

`--store dynamodb` runs the application on DynamoDB instead: a moto server on loopback that answers one request at
a time (`tests/moto_server.py`: DynamoDB's transactions are isolated, moto's only so), seeded and served through
the same code with SCC_STORE=dynamodb, audited from the table (and `scc waiver verify`) once the server stopped.
Only the counts carry over to DynamoDB (answers, writes, DynamoDB calls, transactions cancelled by a lost race),
not the times, so it runs without the baseline.

Run alone: `python bench/load.py [--seconds S] [--store sqlite|dynamodb]` (S: load time per target, split over the
rounds; default 60).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _harness import (
    HERE,
    STOP_TIMEOUT,
    Machine,
    Server,
    _finish_client,
    client_processes,
    load_description,
    merged,
    percentile,
    serving,
    serving_script,
    write_results,
)
from _load import STALL_LIMIT
from _load_audit import StoreView, audit, read_app_store, read_baseline_store, read_dynamodb_store
from _mixed import KINDS, MixedSpec
from _mixed_baseline import create as create_baseline
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.bookings import EventDetails, Patron
from shipcaptaincrew.services import admin, booking, guest_links, waivers

NAME = "load"
PASSWORD = "benchmark-only-password"
WINDOW_START, WINDOW_DAYS, PERIODS = date.today() + timedelta(days=30), 14, ("am", "pm")  # open for signing
WINDOW = f"/api/events?from={WINDOW_START}&to={WINDOW_START + timedelta(days=WINDOW_DAYS - 1)}"
FIRST_NAMES = ("Sarah", "Marco", "Priya", "Ana", "Ben", "Cora", "Dan")
AMOUNT_DUE_CENTS = 900_000_00  # more than a run pays: every receipt shows a balance

SECONDS = 60.0  # load per target, split over ROUNDS interleaved rounds
ROUNDS = 3
WARMUP = 1.0
CONNECTIONS = 8
GOAL_OF_BASELINE = 0.3
CLIENT_START_DELAY = 0.5


LOAD_WAIVER = "RELEASE OF LIABILITY\n\nI take part in this charter of my own will and follow the crew's instructions."


def seed(data_dir: Path, env: dict[str, str]) -> tuple[str, list[tuple[str, str, str]]]:
    """A fresh store: the admin password, the waiver text, two charters a day over the window, each patron with an
    email; return a sign-in token and the (slug, day, guest link) of every charter."""
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir), **env}))
    try:
        admin.set_admin_password(ctx, PASSWORD, "bench")
        token, _ = admin.log_in(ctx, PASSWORD, "127.0.0.1")
        waivers.set_waiver_text(ctx, LOAD_WAIVER, "bench")
        events = []
        for offset in range(WINDOW_DAYS):
            day = WINDOW_START + timedelta(days=offset)
            for index, period in enumerate(PERIODS):
                first = FIRST_NAMES[(offset * len(PERIODS) + index) % len(FIRST_NAMES)]
                patron = Patron(first, "Load", f"{first.lower()}.load@example.org", "+1 555 0142")
                details = EventDetails(day, period, patron, 12, "Load charter", "", AMOUNT_DUE_CENTS)
                event = booking.create_event(ctx, details, "bench")
                events.append((event.slug, day.isoformat(), guest_links.party_path(ctx, event)))
    finally:
        ctx.store.close()
    return token, events


def load_once(
    server: Server, token: str, events: list[tuple[str, str, str]], seconds: float, connections: int, seed_number: int
) -> dict[str, Any]:
    """Run the mix against `server` from `client_processes()` processes for `seconds`; merge what they counted."""
    processes = min(client_processes(), connections)
    start_at = time.time() + CLIENT_START_DELAY
    shares = [connections // processes + (i < connections % processes) for i in range(processes)]
    clients = []
    for number, share in enumerate(shares):
        slugs, parties = [slug for slug, _, _ in events], [party for _, _, party in events]
        spec = MixedSpec(
            "127.0.0.1",
            server.port,
            token,
            slugs,
            parties,
            WINDOW,
            share,
            seconds,
            start_at,
            seed_number * 100 + number,
        )
        command = [sys.executable, str(HERE / "_mixed.py"), json.dumps(asdict(spec))]
        clients.append(subprocess.Popen(command, stdout=subprocess.PIPE))
    cpu_before = server.cpu_seconds()
    tallies = [_finish_client(client, seconds + CLIENT_START_DELAY + STOP_TIMEOUT + STALL_LIMIT) for client in clients]
    elapsed = max(tally["elapsed"] for tally in tallies)
    return {
        "latencies_us": {kind: [n for tally in tallies for n in tally["latencies_us"][kind]] for kind in KINDS},
        "statuses": {kind: merged([tally["statuses"][kind] for tally in tallies]) for kind in KINDS},
        "errors": {kind: sum(tally["errors"][kind] for tally in tallies) for kind in KINDS},
        "payments": [payment for tally in tallies for payment in tally["payments"]],
        "signatures": [signature for tally in tallies for signature in tally["signatures"]],
        "replays_differing": sum(tally["replays_differing"] for tally in tallies),
        "elapsed": elapsed,
        "server_cpu": (server.cpu_seconds() - cpu_before) / (elapsed + CLIENT_START_DELAY),
    }


def summarize(samples: list[dict[str, Any]], measured: int) -> dict[str, Any]:
    """Requests/s and latency percentiles over the measured samples (the first `len - measured` are warm-up),
    per kind and in all; the errors and statuses of every sample, warm-up included."""
    timed = samples[len(samples) - measured :]
    elapsed = sum(sample["elapsed"] for sample in timed)
    kinds = {kind: _figures([n for s in timed for n in s["latencies_us"][kind]], elapsed) for kind in KINDS}
    every = [n for s in timed for kind in KINDS for n in s["latencies_us"][kind]]
    return {
        **_figures(every, elapsed),
        "seconds": elapsed,
        "server_cpu": sum(sample["server_cpu"] * sample["elapsed"] for sample in timed) / elapsed,
        "kinds": kinds,
        "errors": {kind: sum(sample["errors"][kind] for sample in samples) for kind in KINDS},
        "statuses": {kind: merged([sample["statuses"][kind] for sample in samples]) for kind in KINDS},
        "replays_differing": sum(sample["replays_differing"] for sample in samples),
        "rounds_requests_per_s": [sum(map(len, s["latencies_us"].values())) / s["elapsed"] for s in timed],
    }


def _figures(latencies: list[int], elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)
    if not ordered:
        return {"requests": 0, "requests_per_s": 0.0, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0}
    return {
        "requests": len(ordered),
        "requests_per_s": len(ordered) / elapsed,
        **{f"p{p}_ms": percentile(ordered, p / 100) / 1000 for p in (50, 95, 99)},
    }


def run(
    folder: Path,
    seconds: float,
    connections: int = CONNECTIONS,
    rounds: int = ROUNDS,
    with_baseline: bool = True,
    warmup: float = WARMUP,
    store: str = "sqlite",
) -> dict[str, Any]:
    """Seed, load (warm-up, then `rounds` interleaved rounds of seconds/rounds per target), stop, audit."""
    data_dir, baseline_db = folder / "store", folder / "baseline.sqlite3"
    with _store(store) as (store_env, dynamodb):
        token, events = seed(data_dir, store_env)
        create_baseline(str(baseline_db), [(slug, day) for slug, day, _ in events])
        samples: dict[str, list[dict[str, Any]]] = {"app": [], "baseline": []} if with_baseline else {"app": []}
        env = {"SCC_DATA_DIR": str(data_dir), "SCC_TRUSTED_PROXIES": "127.0.0.1/32", **store_env}  # a guest: an address
        with serving("app", ["app"], env) as app, _maybe_baseline(baseline_db, with_baseline) as baseline:
            targets = {"app": app, **({"baseline": baseline} if baseline else {})}
            for name, server in targets.items():
                samples[name].append(load_once(server, token, events, warmup, connections, 0))
            for round_number in range(1, rounds + 1):
                for name, server in targets.items():
                    samples[name].append(load_once(server, token, events, seconds / rounds, connections, round_number))
        # The servers have stopped: every background delivery is done, and the store is what a restart would read.
        views = {"app": read_dynamodb_store(env) if dynamodb else read_app_store(data_dir / "scc.sqlite3")}
        calls = dynamodb() if dynamodb else {}
    if with_baseline:
        views["baseline"] = read_baseline_store(baseline_db)
    return {
        "store_kind": store,
        "targets": {name: summarize(found, rounds) for name, found in samples.items()},
        "audit": {name: audit(views[name], *_acknowledged(samples[name])) for name in samples},
        "store": {name: _sizes(view) for name, view in views.items()},
        **({"dynamodb_calls": calls} if calls else {}),
    }


@contextmanager
def _store(kind: str) -> Iterator[tuple[dict[str, str], Callable[[], dict[str, int]] | None]]:
    """The settings that put the application on `kind`, and for DynamoDB how to read the emulator's call counts."""
    if kind == "sqlite":
        yield {}, None
        return
    if str(HERE.parent) not in sys.path:  # the emulator the tests use, one request at a time
        sys.path.insert(0, str(HERE.parent))
    import boto3
    from tests.moto_server import CREDENTIALS, REGION, moto_server, tally

    from shipcaptaincrew.adapters.dynamodb import create_table

    before = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)  # dummy ones, for boto3 in this process (seeding, the audit)
    try:
        with moto_server() as url:
            create_table(boto3.client("dynamodb", region_name=REGION, endpoint_url=url), "scc-load")
            env = {
                "SCC_STORE": "dynamodb",
                "SCC_DYNAMODB_TABLE": "scc-load",
                "SCC_AWS_ENDPOINT_URL": url,
                **CREDENTIALS,
            }
            yield env, lambda: tally(url)
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _maybe_baseline(database: Path, wanted: bool) -> Iterator[Server | None]:
    if not wanted:
        yield None
        return
    with serving_script("baseline", ["_mixed_baseline.py"], [str(database)]) as server:
        yield server


def _acknowledged(samples: list[dict[str, Any]]) -> tuple[list[Any], list[Any], dict[str, int], int]:
    payments = [payment for sample in samples for payment in sample["payments"]]
    signatures = [signature for sample in samples for signature in sample["signatures"]]
    errors = Counter[str]()
    for sample in samples:
        errors.update(sample["errors"])
    return payments, signatures, dict(errors), sum(sample["replays_differing"] for sample in samples)


def _sizes(view: StoreView) -> dict[str, int]:
    return {"ledger_entries": len(view.entries), "signatures": len(view.signatures),
            "outbox": sum(view.outbox.values())}  # fmt: skip


def verdict(targets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    ratio = targets["app"]["requests_per_s"] / targets["baseline"]["requests_per_s"]
    return {
        "value": ratio,
        "unit": "x baseline req/s (the same mix)",
        "goal": f">= {GOAL_OF_BASELINE}",
        "met": ratio >= GOAL_OF_BASELINE,
    }


def report(results: dict[str, Any], machine: Machine) -> str:
    load = results["load"]
    lines = [
        f"{NAME}: {CONNECTIONS} clients, mixed: list {WINDOW}, log payments (some sent twice with one key), "
        f"open and sign waivers; the application on {results.get('store_kind', 'sqlite')}",
        machine.describe(),
        "baseline: the same mix against a bare Starlette app on raw sqlite3 (WAL, synchronous=FULL), no auth, "
        "no validation, no audit log, no email; both refuse signatures past 1,000 in 10 minutes (429, nothing written)",
        f"load: {load['client_processes']} client processes, {CONNECTIONS} keep-alive connections in all, "
        f"{ROUNDS} interleaved rounds of {load['seconds_per_round']:.1f} s per target after {WARMUP:.0f} s warm-up",
        "",
        f"{'target':<10}{'kind':<13}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}",
    ]
    for name, row in results["targets"].items():
        for kind, figures in [("all", row), *row["kinds"].items()]:
            errors = sum(row["errors"].values()) if kind == "all" else row["errors"][kind]
            lines.append(
                f"{name:<10}{kind:<13}{figures['requests_per_s']:>9,.0f}{figures['p50_ms']:>9.2f}"
                f"{figures['p95_ms']:>9.2f}{figures['p99_ms']:>9.2f}{errors:>8}"
            )
        lines.append(
            f"{'':<10}server CPU {row['server_cpu']:.0%}, req/s by round: "
            + ", ".join(f"{value:,.0f}" for value in row["rounds_requests_per_s"])
        )
    if "ratio" in results:
        ratio = results["ratio"]
        lines += [
            "",
            f"app / baseline {ratio['value']:>6.2f} {ratio['unit']}  goal {ratio['goal']}  "
            f"{'PASS' if ratio['met'] else 'MISS'}",
        ]
    for name, found in results["audit"].items():
        failed = [check for check, ok in found["checks"].items() if not ok]
        lines.append(f"audit {name}: {found['summary']}: {'OK' if found['ok'] else 'FAILED ' + str(failed)}")
    if "dynamodb_calls" in results:
        calls = results["dynamodb_calls"]
        answered = sum(row["requests"] for row in results["targets"].values())
        total = sum(count for name, count in calls.items() if not name.endswith(" refused"))
        lines.append(
            f"DynamoDB (moto): {total:,} calls for {answered:,} timed answers ({calls}); "
            f"{calls.get('TransactWriteItems refused', 0):,} of {calls.get('TransactWriteItems', 0):,} "
            "transactions cancelled (a lost race, run again, or a real conflict)"
        )
    return "\n".join(lines)


def main(seconds: float | None = None, store: str = "sqlite") -> None:
    machine, per_target, baseline = Machine.here(), seconds or SECONDS, store == "sqlite"
    with tempfile.TemporaryDirectory(prefix="scc-bench-") as folder:
        measured = run(Path(folder), per_target, with_baseline=baseline, store=store)
    results = {
        "benchmark": NAME,
        "machine": asdict(machine),
        "load": load_description(CONNECTIONS, ROUNDS, per_target, WARMUP),
        **measured,
        **({"ratio": verdict(measured["targets"])} if baseline else {}),
    }
    print(report(results, machine))
    print(f"results: {write_results(NAME if baseline else f'{NAME}-{store}', results)}")
    if not all(found["ok"] for found in measured["audit"].values()):
        raise RuntimeError("the audit failed: see above")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, help=f"load time per target (default {SECONDS})")
    parser.add_argument(
        "--store",
        choices=("sqlite", "dynamodb"),
        default="sqlite",
        help="the application's store (dynamodb: on moto, no baseline; counts, not times)",
    )
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.store)
