"""Listing a two-week window from the DynamoDB store with 20,000 events stored: calls and items read per request.

The table lives in moto's in-process mock (no network, no account), seeded with BatchWriteItem from the same
season as `events_list.py` (the items the store itself writes). The store lists the window with a Query on its
index; the baseline, in the same run over the same table, is the obvious alternative: a Scan filtered to the
window, page after page, sorted afterwards. Both are counted by botocore event hooks on the one client: calls,
items the table read (ScannedCount), items returned, and read capacity estimated from the bytes read (half a unit
per 4 KB: an index Query and this Scan are both eventually consistent). Time per request is printed, but moto is
not DynamoDB: only the counts carry over.

Run alone: `python bench/dynamo_window.py [--seconds S]` (S: time budget per approach, default 10).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from _harness import Machine, write_results
from events_list import SEEDED_AT, SHIPS, WINDOW_EVENTS, WINDOW_START, season
from shipcaptaincrew.adapters.dynamodb import DynamoDbStore, create_table
from shipcaptaincrew.adapters.dynamodb_events import DynamoDbEvents
from shipcaptaincrew.adapters.dynamodb_table import decode, encode
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS

NAME = "dynamo_window"
EVENTS = 20_000
WINDOW_END = WINDOW_START + timedelta(days=13)
TABLE = "scc-bench"
PAGE = 200  # what GET /api/events asks the store for
SECONDS = 10.0
MAX_REQUESTS = 200


@dataclass
class Counter:
    """What the client did, from botocore's before-call and after-call events."""

    calls: dict[str, int] = field(default_factory=dict)
    scanned: int = 0
    returned: int = 0
    capacity: float = 0.0

    def before(self, model: Any, **_: Any) -> None:
        self.calls[model.name] = self.calls.get(model.name, 0) + 1

    def after(self, parsed: dict[str, Any], **_: Any) -> None:
        self.scanned += int(parsed.get("ScannedCount", 0))
        self.returned += int(parsed.get("Count", 0))
        self.capacity += float(parsed.get("ConsumedCapacity", {}).get("CapacityUnits", 0.0))

    def ask_for_capacity(self, params: dict[str, Any], **_: Any) -> None:
        params.setdefault("ReturnConsumedCapacity", "TOTAL")


def client() -> Any:
    import boto3

    return boto3.client("dynamodb", region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench")


def seed(store: DynamoDbStore) -> tuple[int, int]:
    """The season's events and the roster, 25 items a BatchWriteItem; return (items, bytes) stored."""
    events = DynamoDbEvents(store.reading())
    items = [events._item(event, f"k{number:06d}", []) for number, event in enumerate(season(EVENTS, DEFAULT_PERIODS))]
    items += [
        {
            "pk": "ROSTER",
            "sk": f"SHIP#shp_{n}",
            "id": f"shp_{n}",
            "name": name,
            "capacity": 12,
            "retired_at": None,
            "created_at": SEEDED_AT.isoformat(),
        }
        for n, name in enumerate(SHIPS)
    ]
    with unguarded_item_size():
        for start in range(0, len(items), 25):
            requests = [{"PutRequest": {"Item": encode(item)}} for item in items[start : start + 25]]
            store.client.batch_write_item(RequestItems={TABLE: requests})
    return len(items), sum(item_bytes(item) for item in items)


@contextmanager
def unguarded_item_size() -> Iterator[None]:
    """Seed without moto's 400 KB item guard, which re-sums the whole item at every attribute it sets (quadratic:
    20,000 items took 100 s instead of 10). The items here are under 1 KB; reads are measured with the guard on."""
    from moto.dynamodb.models.dynamo_type import LimitedSizeDict

    guarded = LimitedSizeDict.__setitem__
    LimitedSizeDict.__setitem__ = dict.__setitem__  # type: ignore[assignment]
    try:
        yield
    finally:
        LimitedSizeDict.__setitem__ = guarded  # type: ignore[method-assign]


def item_bytes(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it, near enough: attribute names plus values as text."""
    return sum(len(name) + len(json.dumps(value, default=str)) for name, value in item.items())


def by_query(store: DynamoDbStore) -> list[str]:
    """The store's own listing: a Query on the index per page, as GET /api/events does it."""
    slugs, after = [], None
    with store.reading() as uow:
        while True:
            page = uow.events.list_window(WINDOW_START, WINDOW_END, after, PAGE)
            slugs += [event.slug for event in page]
            if len(page) < PAGE:
                return slugs
            last = page[-1]
            after = (
                str(last.details.date),
                DEFAULT_PERIODS.get(last.details.period).starts.strftime("%H:%M"),
                last.slug,
            )


def by_scan(store: DynamoDbStore) -> list[str]:
    """The baseline: Scan the table filtered to the window's events and the roster (for the names), then sort."""
    request: dict[str, Any] = {
        "TableName": TABLE,
        "FilterExpression": "(gsi1pk = :events AND #date BETWEEN :start AND :end) OR pk = :roster",
        "ExpressionAttributeNames": {"#date": "date"},
        "ExpressionAttributeValues": encode(
            {":events": "EVENTS", ":start": str(WINDOW_START), ":end": str(WINDOW_END), ":roster": "ROSTER"}
        ),
    }
    found = []
    while True:
        answer = store.client.scan(**request)
        found += [decode(raw) for raw in answer.get("Items", [])]
        if "LastEvaluatedKey" not in answer:
            break
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
    events = sorted((item for item in found if item.get("kind") == "event"), key=lambda item: str(item["gsi1sk"]))
    return [str(item["slug"]) for item in events]


def measure(store: DynamoDbStore, lister: Callable[[DynamoDbStore], list[str]], seconds: float) -> dict[str, Any]:
    counter = Counter()
    events = store.client.meta.events
    hooks = [("provide-client-params.dynamodb.*", counter.ask_for_capacity),
             ("before-call.dynamodb.*", counter.before), ("after-call.dynamodb.*", counter.after)]  # fmt: skip
    for name, hook in hooks:
        events.register(name, hook)
    times, slugs, began = [], [], time.perf_counter()
    while not times or (time.perf_counter() - began < seconds and len(times) < MAX_REQUESTS):
        start = time.perf_counter()
        slugs = lister(store)
        times.append(time.perf_counter() - start)
    for name, hook in hooks:
        events.unregister(name, hook)
    requests = len(times)
    return {"requests": requests, "slugs": slugs,
            "calls_per_request": {name: count / requests for name, count in counter.calls.items()},
            "items_read_per_request": counter.scanned / requests,
            "items_returned_per_request": counter.returned / requests,
            "moto_capacity_per_request": counter.capacity / requests,
            "p50_ms": statistics.median(times) * 1000, "mean_ms": statistics.fmean(times) * 1000}  # fmt: skip


def capacity_estimate(read_bytes: float) -> float:
    """Read capacity units for reading this many bytes eventually consistently (4 KB per half unit)."""
    return math.ceil(read_bytes / 4096) * 0.5


def run(seconds: float) -> dict[str, Any]:
    from moto import mock_aws

    with mock_aws():
        made = client()
        create_table(made, TABLE)
        store = DynamoDbStore(TABLE, DEFAULT_PERIODS, client=made)
        began = time.perf_counter()
        stored, stored_bytes = seed(store)
        seeding = time.perf_counter() - began
        query, scan = measure(store, by_query, seconds), measure(store, by_scan, seconds)
    if (
        query.pop("slugs") != scan.pop("slugs")
        or query["items_returned_per_request"] != scan["items_returned_per_request"]
    ):
        raise RuntimeError("the Query and the Scan do not list the same window; the benchmark is off")
    window_bytes = stored_bytes / EVENTS * WINDOW_EVENTS
    query["estimated_rcu_per_request"] = capacity_estimate(window_bytes)
    scan["estimated_rcu_per_request"] = capacity_estimate(stored_bytes)
    return {
        "items_stored": stored,
        "bytes_stored": stored_bytes,
        "seeding_seconds": seeding,
        "targets": {"store (Query on gsi1)": query, "baseline (Scan + filter)": scan},
    }


def ratios(targets: dict[str, dict[str, Any]]) -> dict[str, float]:
    query, scan = targets["store (Query on gsi1)"], targets["baseline (Scan + filter)"]

    def calls(row: dict[str, Any]) -> float:
        return float(sum(row["calls_per_request"].values()))

    return {
        "calls: baseline / store": calls(scan) / calls(query),
        "items read: baseline / store": scan["items_read_per_request"] / query["items_read_per_request"],
        "estimated RCU: baseline / store": scan["estimated_rcu_per_request"] / query["estimated_rcu_per_request"],
        "time: baseline / store": scan["p50_ms"] / query["p50_ms"],
    }


def report(results: dict[str, Any], machine: Machine) -> str:
    lines = [
        f"{NAME}: list {WINDOW_START}..{WINDOW_END} ({WINDOW_EVENTS} events) with {EVENTS:,} events stored (moto)",
        machine.describe(),
        f"table: {results['items_stored']:,} items, ~{results['bytes_stored'] / 1e6:.1f} MB, seeded by BatchWriteItem "
        f"in {results['seeding_seconds']:.1f} s",
        "",
        f"{'approach':<26}{'requests':>9}{'calls/req':>18}{'items read/req':>16}{'returned/req':>14}"
        f"{'est. RCU/req':>14}{'moto RCU/req':>14}{'p50 ms':>9}",
    ]
    for name, row in results["targets"].items():
        calls = ", ".join(f"{count:g} {op}" for op, count in sorted(row["calls_per_request"].items()))
        lines.append(
            f"{name:<26}{row['requests']:>9}{calls:>18}{row['items_read_per_request']:>16,.0f}"
            f"{row['items_returned_per_request']:>14,.0f}{row['estimated_rcu_per_request']:>14,.1f}"
            f"{row['moto_capacity_per_request']:>14,.1f}{row['p50_ms']:>9,.1f}"
        )
    lines.append("")
    lines += [f"{name}: {value:,.1f}x" for name, value in results["ratios"].items()]
    return "\n".join(lines)


def main(seconds: float | None = None) -> None:
    machine = Machine.here()
    measured = run(seconds or SECONDS)
    results = {
        "benchmark": NAME,
        "machine": asdict(machine),
        "events_stored": EVENTS,
        "window": [str(WINDOW_START), str(WINDOW_END)],
        **measured,
        "ratios": ratios(measured["targets"]),
    }
    print(report(results, machine))
    print(f"results: {write_results(NAME, results)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, help=f"time budget per approach (default {SECONDS})")
    main(parser.parse_args().seconds)
