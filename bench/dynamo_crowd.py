"""A crowd writing one charter on the DynamoDB store: what the races cost, in DynamoDB calls and attempts.

Twelve guests sign one charter at the same moment; twelve payments land on one charter at the same moment. Each is
a use case run in a thread of its own, through the store, against the moto server that answers one request at a
time (`tests/moto_server.py`, as DynamoDB's transactions are isolated). The baseline, in the same run on a fresh
table, is the same twelve one after another: no race. Counted: DynamoDB calls per use case (crowd / alone is the
ratio printed), races lost (each one a pause and a fresh attempt, `services/retries.py`), transactions the server
cancelled, and that every one was saved. Signatures all move the one waiver chain's head, so they race each other
by design; payments add to the charter's paid amount atomically, so they should not race at all. Only the counts
carry over to DynamoDB, not moto's times.

Run alone: `python bench/dynamo_crowd.py [--seconds S]` (S is ignored: the work is fixed, three rounds).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from _harness import Machine, write_results

NAME = "dynamo_crowd"
CROWD = 12
ROUNDS = 3


@dataclass(frozen=True)
class Tally:
    use_cases: int
    saved: int
    calls: int
    transactions: int
    cancelled: int
    races_lost: int
    seconds: float


def main(seconds: float | None = None) -> None:
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:  # the emulator the tests use
        sys.path.insert(0, root)
    from tests.moto_server import CREDENTIALS, moto_server

    os.environ.update(CREDENTIALS)  # dummy ones, for boto3 in this process
    machine = Machine.here()
    with moto_server() as url:
        found = {
            kind: [measure(url, kind, crowd) for _ in range(ROUNDS) for crowd in (False, True)]
            for kind in ("sign", "pay")
        }
    results = {
        "benchmark": NAME,
        "machine": asdict(machine),
        "crowd": CROWD,
        "rounds": ROUNDS,
        "runs": {kind: [asdict(run) for run in runs] for kind, runs in found.items()},
    }
    print(report(found, machine))
    print(f"results: {write_results(NAME, results)}")


def measure(url: str, kind: str, crowd: bool) -> Tally:
    """Twelve signatures (or payments) on one fresh charter, at once or one after another."""
    import boto3
    from tests.moto_server import REGION, tally

    from shipcaptaincrew.adapters.dynamodb import DynamoDbStore, create_table
    from shipcaptaincrew.domain.periods import DEFAULT_PERIODS

    client = boto3.client("dynamodb", region_name=REGION, endpoint_url=url)
    table = f"crowd-{uuid.uuid4().hex[:8]}"
    create_table(client, table)
    store = DynamoDbStore(table, DEFAULT_PERIODS, client=client)
    pauses: list[float] = []
    work = _prepared(store, kind, pauses)
    before, began = tally(url), time.perf_counter()
    outcomes = _at_once(work) if crowd else [_outcome(one) for one in work]
    elapsed, after = time.perf_counter() - began, tally(url)
    moved = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    store.close()
    return Tally(
        len(work),
        outcomes.count("saved"),
        sum(n for name, n in moved.items() if " " not in name),
        moved.get("TransactWriteItems", 0),
        moved.get("TransactWriteItems refused", 0),
        len(pauses),
        elapsed,
    )


def _prepared(store: Any, kind: str, pauses: list[float]) -> list[Callable[[], object]]:
    """The use cases to run on a fresh charter, each a call of its own; lost races are counted in `pauses`."""
    from shipcaptaincrew.domain.bookings import EventDetails, Patron
    from shipcaptaincrew.domain.keys import Keys
    from shipcaptaincrew.domain.ledger import PaymentDraft
    from shipcaptaincrew.domain.tokens import FormTicket
    from shipcaptaincrew.domain.waivers import SignatureDraft
    from shipcaptaincrew.services import booking, payments, waivers
    from shipcaptaincrew.services.context import Context
    from shipcaptaincrew.services.retries import Retries

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        time.sleep(seconds)

    ctx = Context(
        store=store,
        clock=_Clock(),
        hasher=None,
        keys=Keys.derive(b"bench-crowd-key-0123456789abcdefgh"),  # type: ignore[arg-type]
        mailer=None,
        retries=Retries(sleep=sleep),
    )  # type: ignore[arg-type]
    details = EventDetails(date(2030, 6, 1), "pm", Patron("Sarah", "Crowd"), CROWD, amount_due_cents=10**9)
    slug = booking.create_event(ctx, details, "bench").slug
    version = waivers.current_waiver(ctx)
    if kind == "pay":
        return [
            lambda n=n: payments.log_payment(ctx, slug, PaymentDraft(100 + n, "cash", "Sarah"), "bench")
            for n in range(CROWD)
        ]
    forms = [
        SignatureDraft(
            f"Guest {n}",
            "",
            "",
            date(1990, 1, 1),
            "Rui",
            "+1 555 0100",
            f"Guest {n}",
            True,
            True,
            version.id,
            version.sha256,
        )
        for n in range(CROWD)
    ]
    ticket = lambda: FormTicket(uuid.uuid4().hex, _Clock().now().replace(year=2100))  # noqa: E731
    return [lambda form=form: waivers.sign_waiver(ctx, slug, form, ("127.0.0.1", "bench"), ticket()) for form in forms]


class _Clock:
    def now(self) -> Any:
        from datetime import UTC, datetime

        return datetime(2030, 5, 1, 9, tzinfo=UTC)


def _outcome(work: Callable[[], object]) -> str:
    try:
        work()
    except Exception as error:  # a lost race past every attempt, reported, not raised
        return type(error).__name__
    return "saved"


def _at_once(work: list[Callable[[], object]]) -> list[str]:
    barrier = threading.Barrier(len(work))

    def released(one: Callable[[], object]) -> str:
        barrier.wait(timeout=60)
        return _outcome(one)

    with ThreadPoolExecutor(len(work)) as pool:
        return list(pool.map(released, work))


def report(found: dict[str, list[Tally]], machine: Machine) -> str:
    lines = [
        f"{NAME}: {CROWD} use cases on one charter at once vs one after another, {ROUNDS} rounds, moto server "
        "answering one request at a time (counts carry over, not times)",
        machine.describe(),
        "",
        f"{'kind':<6}{'run':<7}{'saved':>7}{'calls/use case':>16}{'races lost':>12}{'cancelled tx':>14}{'seconds':>9}",
    ]
    for kind, runs in found.items():
        for number, run in enumerate(runs):
            label = "crowd" if number % 2 else "alone"
            lines.append(
                f"{kind:<6}{label:<7}{run.saved:>4}/{run.use_cases:<2}{run.calls / run.use_cases:>16.1f}"
                f"{run.races_lost:>12}{run.cancelled:>14}{run.seconds:>9.2f}"
            )
        alone = sum(r.calls for r in runs[0::2]) / sum(r.use_cases for r in runs[0::2])
        crowd = sum(r.calls for r in runs[1::2]) / sum(r.use_cases for r in runs[1::2])
        lines.append(f"{kind}: {crowd:.1f} calls per use case in the crowd vs {alone:.1f} alone: {crowd / alone:.2f}x")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, help="ignored: the work is fixed")
    main(parser.parse_args().seconds)
