"""The dispatch board with 500 events in the window, in Chromium: navigation to every card rendered, and page weight.

The store is seeded as `events_list` seeds it (500 events over about twenty weeks), the application runs under
uvicorn on loopback as `scc serve` runs it, and the page is opened already signed in, on a range that holds
all 500. The time is the page's own `board-rendered` performance mark: from navigation start to the moment
the DOM holds every card (the page fetches /api/events and builds the cards itself).

The baseline is the very DOM the board rendered, saved as one static HTML page (500 pre-rendered cards, the
same stylesheet, no data fetch) and served by uvicorn + Starlette on loopback with the same security headers;
a one-line same-origin module sets the same mark once the document is parsed. The ratio, app / baseline, is
the cost of fetching the events and building the cards in JavaScript.

Goals: the page's files (HTML + JS + CSS, including the QR encoder it loads only when a QR code is opened)
under 60 KB uncompressed, and every script and stylesheet from the page's own origin (no third-party script).
What a first visit downloads is reported too.

Run alone: `python bench/board_render.py [--seconds S]` (S: seconds of navigations per target, default 8).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, sync_playwright

from _harness import HOST, Machine, fetch, free_port, serving, write_results
from events_list import seed, store_span

NAME = "board_render"
EVENTS = 500
DISPATCH = Path(__file__).resolve().parents[1] / "src" / "shipcaptaincrew" / "web" / "static" / "dispatch"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
VIEWPORT = {"width": 1280, "height": 900}
SECONDS = 8.0  # of timed navigations per target, interleaved
WARMUP = 2  # navigations per target before timing
GOAL_BYTES = 60 * 1024
READY = "body[data-board=ready]"
MARK = "performance.getEntriesByName('board-rendered')[0].startTime"
BASELINE_MARK = "document.body.dataset.board = 'ready';\nperformance.mark('board-rendered');\n"
READY_TIMEOUT = 30.0


def window() -> tuple[str, str]:
    span = store_span(EVENTS)
    first = date.fromisoformat(str(span["first_day"]))
    return first.isoformat(), (first + timedelta(days=int(str(span["days"])) + 7)).isoformat()


def files_weight() -> dict[str, int]:
    """Bytes of every file the page is made of, on disk."""
    files = [DISPATCH / "index.html", *sorted((DISPATCH / "assets").glob("*"))]
    return {str(path.relative_to(DISPATCH)): path.stat().st_size for path in files if path.is_file()}


def baseline_app(folder: str) -> object:
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from shipcaptaincrew.web.security import SecurityHeaders

    return SecurityHeaders(Starlette(routes=[Mount("/", StaticFiles(directory=folder, html=True))]))


@contextmanager
def serving_baseline(folder: Path) -> Iterator[int]:
    """This module's own `--serve-baseline` on a free loopback port, until the block ends."""
    port = free_port()
    command = [sys.executable, __file__, "--serve-baseline", str(folder), str(port)]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        try:
            deadline = time.monotonic() + READY_TIMEOUT
            while not _answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the baseline server did not start")
                time.sleep(0.05)
            yield port
        finally:
            process.terminate()
            process.wait(10)


def _answers(port: int) -> bool:
    try:
        return fetch(port, "/", {})[0] == 200
    except OSError:
        return False


def render_time(page: Page, url: str) -> float:
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    return float(page.evaluate(MARK))


def save_baseline(page: Page, folder: Path) -> int:
    """The board's rendered DOM as a static page, scripts swapped for the mark; return its card count."""
    cards = int(page.evaluate("document.querySelectorAll('.charter').length"))  # one row per event
    html = page.evaluate(
        """() => {
        const copy = document.documentElement.cloneNode(true);
        copy.querySelectorAll('script').forEach((script) => script.remove());
        copy.querySelector('body').removeAttribute('data-board');
        const mark = document.createElement('script');
        mark.type = 'module';
        mark.src = '/assets/mark.js';
        copy.querySelector('body').append(mark);
        return '<!doctype html>\\n' + copy.outerHTML;
    }"""
    )
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(html)
    (folder / "assets" / "board.css").write_bytes((DISPATCH / "assets" / "board.css").read_bytes())
    (folder / "assets" / "mark.js").write_text(BASELINE_MARK)
    return cards


def downloaded(browser: Browser, url: str, init: str) -> dict[str, object]:
    """What a first visit downloads: bytes by type, and whether every script and stylesheet is same-origin."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(init)
    page = context.new_page()
    seen: list[tuple[str, str, int]] = []
    page.on(
        "response",
        lambda response: seen.append(
            (response.request.resource_type, response.url, len(response.body()) if response.ok else 0)
        ),
    )
    render_time(page, url)
    context.close()
    origin = urlsplit(url).netloc
    page_types = ("document", "script", "stylesheet")
    weight = {kind: sum(size for typ, _, size in seen if typ == kind) for kind in page_types}
    foreign = [
        address for typ, address, _ in seen if typ in ("script", "stylesheet") and urlsplit(address).netloc != origin
    ]
    scripts = sum(1 for typ, _, _ in seen if typ == "script")
    return {"bytes": weight, "total": sum(weight.values()), "scripts": scripts, "third_party": foreign}


def measure(folder: Path, seconds: float) -> dict[str, object]:
    token = seed(folder / "store", EVENTS)
    start, end = window()
    session = json.dumps({"token": token, "expires_at": "2999-01-01T00:00:00Z"})
    init = f"localStorage.setItem('scc.session', {json.dumps(session)});"
    with serving("app", ["app"], {"SCC_DATA_DIR": str(folder / "store")}) as app, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        app_url = f"http://{HOST}:{app.port}/?from={start}&to={end}"
        weight = downloaded(browser, app_url, init)
        contexts = {name: browser.new_context(viewport=VIEWPORT) for name in ("app", "baseline")}
        contexts["app"].add_init_script(init)
        pages = {name: context.new_page() for name, context in contexts.items()}
        render_time(pages["app"], app_url)
        cards = save_baseline(pages["app"], folder / "baseline")
        if cards != EVENTS:
            raise RuntimeError(f"the board rendered {cards} rows, not {EVENTS}")
        with serving_baseline(folder / "baseline") as port:
            urls = {"app": app_url, "baseline": f"http://{HOST}:{port}/"}
            times = navigate(pages, urls, seconds)
        browser.close()
    return {"window": [start, end], "cards": cards, "weight": weight, "times_ms": times}


def navigate(pages: dict[str, Page], urls: dict[str, str], seconds: float) -> dict[str, list[float]]:
    """Warm each target up, then alternate navigations between them until `seconds` per target have passed."""
    for name, page in pages.items():
        for _ in range(WARMUP):
            render_time(page, urls[name])
    times: dict[str, list[float]] = {name: [] for name in pages}
    spent = dict.fromkeys(pages, 0.0)
    while min(spent.values()) < seconds or min(len(found) for found in times.values()) < 5:
        for name, page in pages.items():
            began = time.perf_counter()
            times[name].append(render_time(page, urls[name]))
            spent[name] += time.perf_counter() - began
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * len(ordered)))]
    return {
        "median_ms": statistics.median(ordered),
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
        "p90_ms": p90,
        "navigations": len(ordered),
    }


def report(results: dict[str, object], machine: Machine) -> str:
    weight, files, targets = results["weight"], results["files_bytes"], results["targets"]
    ratio = results["ratio"]
    lines = [
        f"{NAME}: the dispatch board with {EVENTS} events in {results['window'][0]}..{results['window'][1]}",
        machine.describe(),
        f"chromium: {results['chromium']}",
        "",
        f"{'target':<10}{'median ms':>11}{'min ms':>9}{'p90 ms':>9}{'max ms':>9}{'navigations':>13}",
    ]
    for name, row in targets.items():
        lines.append(
            f"{name:<10}{row['median_ms']:>11.1f}{row['min_ms']:>9.1f}{row['p90_ms']:>9.1f}"
            f"{row['max_ms']:>9.1f}{row['navigations']:>13}"
        )
    lines += [
        "",
        f"render time app / baseline   {ratio:6.2f} x",
        f"page weight (first visit)    {weight['total']:,} bytes (HTML {weight['bytes']['document']:,}, "
        f"JS {weight['bytes']['script']:,} in {weight['scripts']} files, CSS {weight['bytes']['stylesheet']:,})  "
        f"goal < {GOAL_BYTES:,}  {'PASS' if weight['total'] < GOAL_BYTES else 'MISS'}",
        f"every file, with the modules loaded on first use (QR, waivers)  {sum(files.values()):,} bytes "
        f"in {len(files)} files",
        f"third-party scripts          {len(weight['third_party'])}  goal 0  "
        f"{'MISS' if weight['third_party'] else 'PASS'}",
    ]
    return "\n".join(lines)


def chromium_version() -> str:
    return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False).stdout.strip()


def main(seconds: float | None = None) -> None:
    machine = Machine.here()
    with tempfile.TemporaryDirectory(prefix="scc-bench-") as folder:
        measured = measure(Path(folder), seconds or SECONDS)
    times = measured.pop("times_ms")
    targets = {name: summary(found) for name, found in times.items()}
    results = {
        "benchmark": NAME,
        "events": EVENTS,
        "machine": asdict(machine),
        "chromium": chromium_version(),
        **measured,
        "files_bytes": files_weight(),
        "targets": targets,
        "ratio": targets["app"]["median_ms"] / targets["baseline"]["median_ms"],
        "times_ms": times,
    }
    print(report(results, machine))
    print(f"results: {write_results(NAME, results)}")


def serve_baseline(folder: str, port: int) -> None:
    import uvicorn

    uvicorn.run(baseline_app(folder), host=HOST, port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, help=f"seconds of navigations per target (default {SECONDS})")
    parser.add_argument("--serve-baseline", nargs=2, metavar=("FOLDER", "PORT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve_baseline:
        serve_baseline(arguments.serve_baseline[0], int(arguments.serve_baseline[1]))
    else:
        main(arguments.seconds)
