"""What the benchmarks in bench/ share: servers on loopback, the load, percentiles, the machine, the results file.

Every address here is 127.0.0.1, and every load stops by itself after a fixed time.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from _load import STALL_LIMIT, LoadSpec

HERE = Path(__file__).parent
RESULTS = HERE / "results"
HOST = "127.0.0.1"
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
CLIENT_START_DELAY = 0.5  # seconds for the client processes to start before the shared start time
VERSIONS_OF = ("uvicorn", "starlette", "msgspec", "uvloop", "httptools")


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process (all its threads) has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Sample:
    """One timed load against one server: what the clients counted and what the server spent."""

    latencies_us: list[int]
    errors: int
    elapsed: float
    client_cpu: float
    server_cpu: float
    statuses: dict[str, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(name: str, args: Sequence[str], env: dict[str, str] | None = None) -> Iterator[Server]:
    """Start `_serve.py ARGS...` on a free loopback port; wait until it answers; stop it on the way out."""
    with serving_script(name, ["_serve.py", args[0]], args[1:], env) as server:
        yield server


@contextmanager
def serving_script(
    name: str, script: Sequence[str], args: Sequence[str], env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Start `SCRIPT [SUBCOMMAND] PORT ARGS...` (a script in bench/) on a free loopback port, as `serving` does."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        command = [sys.executable, str(HERE / script[0]), *script[1:], str(port), *args]
        process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=log, stderr=log)
        try:
            _wait_ready(process, port, log)
            yield Server(name, port, process)
        finally:
            _stop(process)


def _wait_ready(process: subprocess.Popen[bytes], port: int, log: IO[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read().decode(errors='replace')}")
        try:
            fetch(port, "/", {})
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not answer within {READY_TIMEOUT} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch(
    port: int, path: str, headers: dict[str, str], method: str = "GET", body: bytes | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def measure(
    server: Server, path: str, headers: dict[str, str], seconds: float, connections: int, **request: Any
) -> Sample:
    """Load `server` from `client_processes()` processes sharing `connections` keep-alive connections.

    `request` sets LoadSpec's other fields: method, body, unique_header, expect (the default is GET, answered 200).
    """
    processes = min(client_processes(), connections)
    start_at = time.time() + CLIENT_START_DELAY
    shares = [connections // processes + (i < connections % processes) for i in range(processes)]
    clients = [
        _start_client(LoadSpec(HOST, server.port, path, headers, share, seconds, start_at, **request))
        for share in shares
    ]
    time.sleep(max(0.0, start_at - time.time()))
    cpu_before, began = server.cpu_seconds(), time.perf_counter()
    tallies = [_finish_client(client, seconds + CLIENT_START_DELAY + STOP_TIMEOUT + STALL_LIMIT) for client in clients]
    server_cpu = (server.cpu_seconds() - cpu_before) / (time.perf_counter() - began)
    return Sample(
        latencies_us=[latency for tally in tallies for latency in tally["latencies_us"]],
        errors=sum(tally["errors"] for tally in tallies),
        elapsed=max(tally["elapsed"] for tally in tallies),
        client_cpu=sum(tally["cpu"] for tally in tallies) / max(tally["elapsed"] for tally in tallies),
        server_cpu=server_cpu,
        statuses=merged([tally["statuses"] for tally in tallies]),
    )


def load_description(connections: int, rounds: int, seconds: float, warmup: float) -> dict[str, float | int]:
    """How a benchmark loaded its servers, as every results file records it."""
    return {
        "client_processes": min(client_processes(), connections),
        "connections": connections,
        "rounds": rounds,
        "seconds_per_round": seconds / rounds,
        "warmup_seconds": warmup,
    }


def client_processes() -> int:
    """One client process per core the server (a single uvicorn process) leaves, at most four; at least two,
    since a client spends much of its time waiting on the socket (on 2 cores two gave the baseline ~30% more)."""
    return max(2, min(4, len(os.sched_getaffinity(0)) - 1))


def _start_client(spec: LoadSpec) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(HERE / "_load.py"), json.dumps(asdict(spec))]
    return subprocess.Popen(command, stdout=subprocess.PIPE)


def _finish_client(client: subprocess.Popen[bytes], timeout: float) -> dict[str, Any]:
    try:
        out, _ = client.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        client.kill()
        client.wait()
        raise RuntimeError("a load client did not finish in time") from None
    if client.returncode != 0:
        raise RuntimeError(f"load client exited with {client.returncode}")
    tally: dict[str, Any] = json.loads(out)
    return tally


def summarize(samples: Sequence[Sample]) -> dict[str, Any]:
    """Requests/s over all rounds, latency percentiles over every request, each round's requests/s, the statuses."""
    latencies = sorted(latency for sample in samples for latency in sample.latencies_us)
    elapsed = sum(sample.elapsed for sample in samples)
    return {
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.50) / 1000,
        "p99_ms": percentile(latencies, 0.99) / 1000,
        "max_ms": latencies[-1] / 1000,
        "requests": len(latencies),
        "errors": sum(sample.errors for sample in samples),
        "seconds": elapsed,
        "server_cpu": sum(sample.server_cpu * sample.elapsed for sample in samples) / elapsed,
        "client_cpu": sum(sample.client_cpu * sample.elapsed for sample in samples) / elapsed,
        "rounds_requests_per_s": [len(sample.latencies_us) / sample.elapsed for sample in samples],
        "statuses": merged([sample.statuses for sample in samples]),
    }


def merged(counts: Sequence[dict[str, int]]) -> dict[str, int]:
    """Counts by key, added up."""
    total: Counter[str] = Counter()
    for count in counts:
        total.update(count)
    return dict(sorted(total.items()))


def percentile(ordered: Sequence[int], fraction: float) -> int:
    """Nearest-rank percentile of an already sorted sequence."""
    if not ordered:
        raise ValueError("no requests were completed")
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


@dataclass(frozen=True)
class Machine:
    nproc: int
    cores_usable: int
    cpu: str
    load_average: tuple[float, float, float]
    python: str
    platform: str
    versions: dict[str, str]

    @classmethod
    def here(cls) -> Machine:
        return cls(
            nproc=os.cpu_count() or 1,
            cores_usable=len(os.sched_getaffinity(0)),
            cpu=_cpu_model(),
            load_average=os.getloadavg(),
            python=f"{platform.python_implementation()} {platform.python_version()}",
            platform=platform.platform(),
            versions={name: _version(name) for name in VERSIONS_OF},
        )

    def describe(self) -> str:
        load = ", ".join(f"{value:.2f}" for value in self.load_average)
        versions = ", ".join(f"{name} {version}" for name, version in self.versions.items())
        return (
            f"machine: nproc {self.nproc} ({self.cpu}), {self.python}, {self.platform}\n"
            f"load average before the run: {load}; {versions}"
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def write_results(name: str, results: dict[str, object]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path
