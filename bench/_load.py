"""One load-client process: keep-alive HTTP/1.1 connections on asyncio, a fixed time, every latency recorded.

`python bench/_load.py SPEC_JSON` reads what to send from its argument and prints one JSON line:
{"count", "errors", "statuses", "elapsed", "cpu", "latencies_us"}. The harness starts several at once
(`_harness.measure`). A response with another status than `expect` counts as an error, and so does a connection
the server closes before answering (counted under "dropped" in `statuses`; the client reconnects). A request
with a `body` sends it as JSON; with `unique_header` set, every request carries that header with a value no
other request in the run has.

Requests are written by hand and responses read by Content-Length, so the client spends its time on little
besides the socket: the server, not the client, should be what the figures measure.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

STALL_LIMIT = 10.0  # seconds past the end of the load after which the server counts as stuck


@dataclass(frozen=True)
class LoadSpec:
    """What one client process sends, where, and for how long; `start_at` (epoch seconds) lines processes up."""

    host: str
    port: int
    path: str
    headers: dict[str, str]
    connections: int
    seconds: float
    start_at: float
    method: str = "GET"
    body: str = ""
    unique_header: str = ""
    expect: int = 200


@dataclass
class Tally:
    latencies_us: list[int] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)  # "200": how many, ..., "dropped": how many

    def count(self, status: str, expected: bool) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.errors += not expected


async def connection(
    host: str, port: int, requests: Iterator[bytes], expect: int, deadline: float, tally: Tally
) -> None:
    """Send `requests` over one connection, one at a time, until `deadline` (perf_counter seconds)."""
    reader, writer = await asyncio.open_connection(host, port)
    expected = str(expect)
    try:
        while time.perf_counter() < deadline:
            request = next(requests)
            started = time.perf_counter_ns()
            writer.write(request)
            try:
                head = await reader.readuntil(b"\r\n\r\n")
                await reader.readexactly(content_length(head))
            except (asyncio.IncompleteReadError, ConnectionError):
                tally.count("dropped", False)
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            tally.latencies_us.append((time.perf_counter_ns() - started) // 1000)
            status = head[9:12].decode()
            tally.count(status, status == expected)
    finally:
        writer.close()


def content_length(head: bytes) -> int:
    at = head.lower().find(b"\r\ncontent-length:")
    if at < 0:
        raise ValueError(f"response without Content-Length: {head[:200]!r}")
    return int(head[at + 17 : head.index(b"\r\n", at + 2)])


def request_bytes(path: str, headers: dict[str, str], method: str = "GET", body: str = "") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{name}: {value}" for name, value in headers.items())]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body.encode())}"]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def requests_of(spec: LoadSpec) -> Iterator[bytes]:
    """The same request forever, or, with `unique_header`, one whose header value (a random prefix for this
    process, then a counter) no request from this or another client process repeats."""
    if not spec.unique_header:
        return itertools.repeat(request_bytes(spec.path, spec.headers, spec.method, spec.body))
    prefix = secrets.token_hex(8)
    return (
        request_bytes(spec.path, {**spec.headers, spec.unique_header: f"{prefix}-{n}"}, spec.method, spec.body)
        for n in itertools.count()
    )


async def run(spec: LoadSpec) -> dict[str, object]:
    """Wait for the shared start time, load for `spec.seconds`, and return the tally."""
    requests = requests_of(spec)
    await asyncio.sleep(max(0.0, spec.start_at - time.time()))
    began, cpu_began = time.perf_counter(), time.process_time()
    deadline, tally = began + spec.seconds, Tally()
    connections = (
        connection(spec.host, spec.port, requests, spec.expect, deadline, tally) for _ in range(spec.connections)
    )
    loads = asyncio.gather(*connections)
    try:
        await asyncio.wait_for(loads, spec.seconds + STALL_LIMIT)
    except TimeoutError:
        raise SystemExit(f"the server stopped answering: no response for {STALL_LIMIT} s") from None
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    return {
        "count": len(tally.latencies_us),
        "errors": tally.errors,
        "statuses": tally.statuses,
        "elapsed": elapsed,
        "cpu": cpu,
        "latencies_us": tally.latencies_us,
    }


def main() -> None:
    spec = LoadSpec(**json.loads(sys.argv[1]))
    try:
        import uvloop  # the same loop uvicorn runs on; plain asyncio if it is missing
    except ImportError:
        result = asyncio.run(run(spec))
    else:
        result = uvloop.run(run(spec))
    # The event loop may leave the pipe non-blocking, which cuts a large write short: write it all, blocking.
    os.set_blocking(1, True)
    data = memoryview((json.dumps(result) + "\n").encode())
    while data:
        data = data[os.write(1, data) :]


if __name__ == "__main__":
    main()
