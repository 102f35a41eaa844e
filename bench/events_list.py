"""`GET /api/events` for a two-week window (50 events), with 200 and with 20,000 events stored.

Each store is seeded through the project's own code, the application runs under uvicorn on loopback as
`scc serve` runs it, and the baseline is a bare Starlette route answering the very same bytes. Goals: the
application reaches at least 0.5 of the baseline's requests/s, and the 20,000-event store is no more than
1.5x slower than the 200-event one. Ratios, not absolute figures, are what carry from machine to machine.

Run alone: `python bench/events_list.py [--seconds S]` (S: load time per target, split over the rounds).
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _harness import (
    Machine,
    Sample,
    Server,
    fetch,
    load_description,
    measure,
    serving,
    summarize,
    write_results,
)
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.bookings import Assignment, Event, EventDetails, Patron, PaymentState, Ref, new_event
from shipcaptaincrew.domain.periods import Periods
from shipcaptaincrew.domain.roster import Person, Ship
from shipcaptaincrew.domain.slugs import slug_name
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.demo import FIRST, LAST, PRICES, TITLES

NAME = "events_list"
STORE_SIZES = (200, 20_000)
WINDOW_START, WINDOW_DAYS = date(2026, 6, 1), 14
WINDOW_EVENTS = 50
PATH = f"/api/events?from={WINDOW_START}&to={WINDOW_START + timedelta(days=WINDOW_DAYS - 1)}"
WEEK = (4, 3, 4, 3, 4, 4, 3)  # events a day: 25 a week, so any two weeks that start a pattern week hold 50
DAY_PERIODS = {3: ("am", "pm", "sunset"), 4: ("am", "pm", "sunset", "full")}
SEEDED_AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)  # fixed, so both stores answer the window byte for byte
PASSWORD = "benchmark-only-password"
SHIPS = ("Osprey", "Kittiwake", "Cormorant")
CREW = ("Ana Ruiz", "Ben Clarke", "Cora Diaz", "Dan Moreau", "Eve Larsen", "Finn Walsh", "Gus Tanaka")
NOTES = (
    "",
    "",
    "Two guests under 12; bring child life jackets.",
    "Cooler and cake on board; pick-up at the fuel dock.",
)

SECONDS = 9.0  # load per target, split over ROUNDS interleaved rounds
ROUNDS = 3
WARMUP = 1.0
CONNECTIONS = 16
GOAL_OF_BASELINE = 0.5
GOAL_SLOWDOWN = 1.5


def season(count: int, periods: Periods) -> Iterator[Event]:
    """`count` events, WEEK's pattern a day, laid out so the window sits in the middle of the season."""
    start, made = first_day(count), 0
    for offset in range(count):  # far more days than needed; stops once `count` are made
        day = start + timedelta(days=offset)
        for period in DAY_PERIODS[WEEK[offset % 7]][: count - made]:
            yield booked(day, period, periods)
            made += 1
        if made == count:
            return


def first_day(count: int) -> date:
    return WINDOW_START - timedelta(weeks=math.ceil(count * 7 / sum(WEEK)) // 2 // 7)


def booked(day: date, period: str, periods: Periods) -> Event:
    """A realistic event, its fields a function of date and period only; assignments and payment filled in as
    the roster and ledger use cases will, since those are not written yet."""
    n = day.toordinal() * 4 + ("am", "pm", "sunset", "full").index(period)
    first, last = FIRST[n % len(FIRST)], LAST[n // 5 % len(LAST)]
    patron = Patron(first, last, f"{slug_name(first)}.{slug_name(last)}@example.org", f"+1 555 01{n % 90 + 10}")
    status = "cancelled" if n % 37 == 0 else "completed" if day < SEEDED_AT.date() else "booked"
    details = EventDetails(
        day, period, patron, 2 + n % 11, TITLES[n % len(TITLES)], NOTES[n % len(NOTES)], PRICES[period], status
    )
    event = new_event(details, None, periods, SEEDED_AT)
    paid = PaymentState(PRICES[period], SEEDED_AT) if n % 3 else PaymentState(PRICES[period] // 4, None)
    crew = tuple(_person(i) for i in (n % len(CREW), (n + 3) % len(CREW))[: 1 + n % 2])
    ship = Ref(f"shp_{n % len(SHIPS)}", SHIPS[n % len(SHIPS)])
    assignment = Assignment(ship, _person((n + 5) % len(CREW)), crew)
    return replace(event, assignment=assignment, payment=paid, waivers_signed=n % 7)


def _person(index: int) -> Ref:
    return Ref(f"per_{index}", CREW[index])


def seed(data_dir: Path, count: int) -> str:
    """A fresh store holding `count` events (one transaction) and an admin password; return a sign-in token."""
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))
    try:
        with ctx.store.writing() as uow:
            for index, name in enumerate(SHIPS):
                uow.roster.add_ship(Ship(f"shp_{index}", name, 12), SEEDED_AT)
            for index, name in enumerate(CREW):
                uow.roster.add_person(Person(f"per_{index}", name, "captain", calendar_token=f"cal-{index}"), SEEDED_AT)
            for event in season(count, ctx.periods):
                uow.events.add(event)
                uow.audit.append("event.created", "bench", SEEDED_AT, {"slug": event.slug})
        admin.set_admin_password(ctx, PASSWORD, "bench")
        token, _ = admin.log_in(ctx, PASSWORD, "127.0.0.1")
    finally:
        ctx.store.close()
    return token


def window_body(servers: dict[str, Server], headers: dict[str, dict[str, str]]) -> bytes:
    """The window's response, checked to be 200, to hold WINDOW_EVENTS events, and the same from every server."""
    answers = {name: fetch(server.port, PATH, headers[name]) for name, server in servers.items()}
    for name, (status, body) in answers.items():
        if status != 200:
            raise RuntimeError(f"{name} answered {status}: {body[:300]!r}")
        page = json.loads(body)
        if len(page["events"]) != WINDOW_EVENTS or page["next_cursor"] is not None:
            raise RuntimeError(f"{name} returned {len(page['events'])} events for the window, not {WINDOW_EVENTS}")
    if len({body for _, body in answers.values()}) != 1:
        raise RuntimeError("the stores answer the window with different bytes; the seeding is off")
    return next(iter(answers.values()))[1]


def load_all(targets: list[tuple[Server, dict[str, str]]], seconds: float) -> dict[str, list[Sample]]:
    """Warm every target up, then load each in turn, ROUNDS times, so a noisy spell hits them all alike."""
    for server, headers in targets:
        measure(server, PATH, headers, WARMUP, CONNECTIONS)
    samples: dict[str, list[Sample]] = {server.name: [] for server, _ in targets}
    for _ in range(ROUNDS):
        for server, headers in targets:
            samples[server.name].append(measure(server, PATH, headers, seconds / ROUNDS, CONNECTIONS))
    return samples


def run(folder: Path, seconds: float) -> dict[str, object]:
    began = time.perf_counter()
    stores = {f"app@{size}": (folder / f"store-{size}", size) for size in STORE_SIZES}
    headers = {name: {"Authorization": f"Bearer {seed(path, size)}"} for name, (path, size) in stores.items()}
    seeding = time.perf_counter() - began
    with ExitStack() as stack:
        apps = {
            name: stack.enter_context(serving(name, ["app"], {"SCC_DATA_DIR": str(path)}))
            for name, (path, _) in stores.items()
        }
        body = window_body(apps, headers)
        (folder / "body.json").write_bytes(body)
        baseline = stack.enter_context(serving("baseline", ["bytes", str(folder / "body.json"), PATH.split("?")[0]]))
        window_body({"baseline": baseline}, {"baseline": {}})
        targets = [(baseline, {}), *((apps[name], headers[name]) for name in apps)]
        samples = load_all(targets, seconds)
    targets = {name: summarize(found) for name, found in samples.items()}
    return {"seeding_seconds": seeding, "response_bytes": len(body), "targets": targets}


def verdicts(targets: dict[str, dict[str, float]]) -> dict[str, dict[str, object]]:
    baseline, small, large = targets["baseline"], targets["app@200"], targets["app@20000"]
    of_baseline = small["requests_per_s"] / baseline["requests_per_s"]
    slowdown = small["requests_per_s"] / large["requests_per_s"]
    return {
        "app@200 / baseline": {
            "value": of_baseline,
            "unit": "x baseline req/s",
            "goal": f">= {GOAL_OF_BASELINE}",
            "met": of_baseline >= GOAL_OF_BASELINE,
        },
        "app@20000 vs app@200": {
            "value": slowdown,
            "unit": "x slower",
            "goal": f"<= {GOAL_SLOWDOWN}",
            "met": slowdown <= GOAL_SLOWDOWN,
            "p50_ratio": large["p50_ms"] / small["p50_ms"],
        },
    }


def report(results: dict[str, object], machine: Machine) -> str:
    load, spans = results["load"], results["stores"].items()
    stores = "; ".join(
        f"{name} {span['events']:,} events over {span['days']:,} days from {span['first_day']}" for name, span in spans
    )
    lines = [
        f"{NAME}: GET {PATH} -> {WINDOW_EVENTS} events, {results['response_bytes']:,} bytes",
        machine.describe(),
        f"stores: {stores} (seeded in {results['seeding_seconds']:.1f} s)",
        f"load: {load['client_processes']} client processes, {CONNECTIONS} keep-alive connections in all, "
        f"{ROUNDS} interleaved rounds of {load['seconds_per_round']:.1f} s per target after {WARMUP:.0f} s warm-up",
        "",
        f"{'target':<12}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'server CPU':>12}{'client CPU':>12}"
        "   req/s by round",
    ]
    for name, row in results["targets"].items():
        rounds = ", ".join(f"{value:,.0f}" for value in row["rounds_requests_per_s"])
        lines.append(
            f"{name:<12}{row['requests_per_s']:>10,.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['errors']:>8}"
            f"{row['server_cpu']:>11.0%}{row['client_cpu']:>12.0%}   {rounds}"
        )
    lines.append("")
    for name, verdict in results["ratios"].items():
        mark = "PASS" if verdict["met"] else "MISS"
        lines.append(f"{name:<22}{verdict['value']:>6.2f} {verdict['unit']:<18} goal {verdict['goal']:<7} {mark}")
    return "\n".join(lines)


def main(seconds: float | None = None) -> None:
    machine, per_target = Machine.here(), seconds or SECONDS
    with tempfile.TemporaryDirectory(prefix="scc-bench-") as folder:
        measured = run(Path(folder), per_target)
    results = {
        "benchmark": NAME,
        "request": f"GET {PATH}",
        "window_events": WINDOW_EVENTS,
        "stores": {f"app@{size}": store_span(size) for size in STORE_SIZES},
        "machine": asdict(machine),
        "load": load_description(CONNECTIONS, ROUNDS, per_target, WARMUP),
        **measured,
        "ratios": verdicts(measured["targets"]),
    }
    print(report(results, machine))
    print(f"results: {write_results(NAME, results)}")


def store_span(count: int) -> dict[str, object]:
    days = math.ceil(count * 7 / sum(WEEK))
    return {"events": count, "first_day": str(first_day(count)), "days": days}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, help=f"load time per target (default {SECONDS})")
    main(parser.parse_args().seconds)
