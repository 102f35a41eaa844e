"""Lambda cold start: a fresh process to the first answer of `GET /api/events` through `lambda_handler`.

Each run starts a new Python process that imports the handler and answers one Function URL event (payload 2.0)
for a two-week window of a 200-event SQLite store, signed in, as Lambda would on a cold start. The baseline is
a FastAPI + Mangum hello-world handler answering the same event, measured in the same run, interleaved run by
run so a noisy spell hits both alike. Goal: at most 0.5 of the baseline's time, with boto3 never imported on
that path (checked in every child). Bytecode is cached for both (as a warm disk would have it); the figures
include the interpreter's own start. Also prints the Lambda package's size.

Run alone: `python bench/cold_start.py [--seconds N]` (N: runs per target, default 15).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _harness import Machine, write_results
from events_list import PATH, seed

NAME = "cold_start"
STORE_EVENTS = 200
RUNS = 15  # per target; interleaved
GOAL_OF_BASELINE = 0.5
QUERY = PATH.partition("?")[2]

CHILD_PRELUDE = """
import json, sys, time
began = time.perf_counter()
event = json.loads(sys.argv[1])
class Context:
    aws_request_id = "bench-request"
"""
OURS = """
from shipcaptaincrew.lambda_function import lambda_handler
answer = lambda_handler(event, Context())
"""
BASELINE = """
from fastapi import FastAPI
from mangum import Mangum
app = FastAPI()
@app.get("/api/events")
def events():
    return {"events": [], "next_cursor": None}
answer = Mangum(app, lifespan="off")(event, Context())
"""
CHILD_REPORT = """
assert answer["statusCode"] == 200, answer
print(json.dumps({"in_process_ms": (time.perf_counter() - began) * 1000, "body_bytes": len(answer["body"]),
                  "boto3": "boto3" in sys.modules or "botocore" in sys.modules, "modules": len(sys.modules)}))
"""


def function_url_event(token: str) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/api/events",
        "rawQueryString": QUERY,
        "headers": {"host": "fn.lambda-url.example", "authorization": f"Bearer {token}", "x-forwarded-proto": "https"},
        "requestContext": {
            "http": {"method": "GET", "path": "/api/events", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.9"},
            "requestId": "bench-request",
        },
        "isBase64Encoded": False,
    }


def child_env(data_dir: Path, pycache: Path) -> dict[str, str]:
    """The machine's environment with cached bytecode (both targets alike) and the function's settings."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("SCC_")}
    secret_key = (data_dir / "secret.key").read_text().strip()
    return {**env, "PYTHONPYCACHEPREFIX": str(pycache), "SCC_DATA_DIR": str(data_dir), "SCC_SECRET_KEY": secret_key}


def run_once(code: str, event: str, env: dict[str, str]) -> dict[str, Any]:
    """One fresh process: wall time from spawn to exit, its CPU time, and what it reported."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD_PRELUDE + code + CHILD_REPORT, event],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = process.communicate(timeout=120)
    wall = (time.perf_counter() - began) * 1000
    if process.returncode != 0:
        raise RuntimeError(f"child failed:\n{err.decode(errors='replace')[-2000:]}")
    return {**json.loads(out.splitlines()[-1]), "wall_ms": wall}  # the handler logs JSON lines first


def measure(targets: dict[str, str], event: str, env: dict[str, str], runs: int) -> dict[str, list[dict[str, Any]]]:
    for code in targets.values():  # warm-up: writes the bytecode cache and warms the disk cache
        run_once(code, event, env)
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
    for _ in range(runs):
        for name, code in targets.items():
            before = os.times()
            sample = run_once(code, event, env)
            after = os.times()
            sample["cpu_ms"] = (
                (after.children_user - before.children_user) + (after.children_system - before.children_system)
            ) * 1000
            samples[name].append(sample)
    return samples


def summary(samples: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        key: statistics.median(sample[key] for sample in samples) for key in ("wall_ms", "cpu_ms", "in_process_ms")
    } | {"runs": len(samples), "boto3_imported": any(s["boto3"] for s in samples), "modules": samples[0]["modules"]}


def package_size(folder: Path) -> dict[str, Any]:
    from shipcaptaincrew.deploy.package import PackageError, Target, build

    try:
        built = build(folder / "scc-lambda.zip", Target())
    except PackageError as error:
        return {"error": str(error).splitlines()[0]}
    return {"bytes": built.size, "files": built.entries, "largest": built.by_top_level[:5]}


def main(seconds: float | None = None) -> None:
    machine = Machine.here()
    print(machine.describe())
    runs = RUNS if seconds is None else max(3, int(seconds))
    with tempfile.TemporaryDirectory(prefix="scc-cold-") as scratch:
        folder = Path(scratch)
        token = seed(folder / "store", STORE_EVENTS)
        env = child_env(folder / "store", folder / "pycache")
        samples = measure(
            {"lambda_handler": OURS, "fastapi_mangum": BASELINE}, json.dumps(function_url_event(token)), env, runs
        )
        package = package_size(folder)
    results = {name: summary(found) for name, found in samples.items()}
    ours, baseline = results["lambda_handler"], results["fastapi_mangum"]
    ratio = {key: ours[key] / baseline[key] for key in ("wall_ms", "cpu_ms")}
    for name, result in results.items():
        print(
            f"{name:>15}: wall {result['wall_ms']:6.0f} ms, CPU {result['cpu_ms']:6.0f} ms (median of "
            f"{result['runs']}), in-process {result['in_process_ms']:5.0f} ms, {result['modules']} modules, "
            f"boto3 imported: {result['boto3_imported']}"
        )
    verdict = "met" if ratio["wall_ms"] <= GOAL_OF_BASELINE and not ours["boto3_imported"] else "NOT met"
    print(
        f"ratio lambda_handler / fastapi_mangum: wall {ratio['wall_ms']:.2f}, CPU {ratio['cpu_ms']:.2f} "
        f"(goal <= {GOAL_OF_BASELINE}, boto3 not imported: {verdict})"
    )
    size = f"{package['bytes'] / 1e6:.1f} MB, {package['files']} files" if "bytes" in package else package["error"]
    print(f"package (python 3.12, x86_64): {size}")
    path = write_results(
        NAME,
        {
            "machine": machine.__dict__,
            "results": results,
            "ratio": ratio,
            "package": package,
            "goal": GOAL_OF_BASELINE,
            "runs": runs,
            "events_in_store": STORE_EVENTS,
        },
    )
    print(f"results: {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, help="runs per target (default: 15)")
    main(parser.parse_args().seconds)
