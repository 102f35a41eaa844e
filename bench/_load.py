"""One load-client process: keep-alive HTTP/1.1 connections on asyncio, a fixed time, every latency recorded.

`python bench/_load.py SPEC_JSON` reads what to send from its argument and prints one JSON line:
{"count", "errors", "elapsed", "cpu", "latencies_us"}. The harness starts several at once (`_harness.measure`).

Requests are written by hand and responses read by Content-Length, so the client spends its time on little
besides the socket: the server, not the client, should be what the figures measure.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
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


@dataclass
class Tally:
    latencies_us: list[int] = field(default_factory=list)
    errors: int = 0


async def connection(host: str, port: int, request: bytes, deadline: float, tally: Tally) -> None:
    """Send `request` over one connection, one at a time, until `deadline` (perf_counter seconds)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter_ns()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(content_length(head))
            tally.latencies_us.append((time.perf_counter_ns() - started) // 1000)
            if not head.startswith(b"HTTP/1.1 200 "):
                tally.errors += 1
    finally:
        writer.close()


def content_length(head: bytes) -> int:
    at = head.lower().find(b"\r\ncontent-length:")
    if at < 0:
        raise ValueError(f"response without Content-Length: {head[:200]!r}")
    return int(head[at + 17 : head.index(b"\r\n", at + 2)])


def request_bytes(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def run(spec: LoadSpec) -> dict[str, object]:
    """Wait for the shared start time, load for `spec.seconds`, and return the tally."""
    request = request_bytes(spec.path, spec.headers)
    await asyncio.sleep(max(0.0, spec.start_at - time.time()))
    began, cpu_began = time.perf_counter(), time.process_time()
    deadline, tally = began + spec.seconds, Tally()
    connections = (connection(spec.host, spec.port, request, deadline, tally) for _ in range(spec.connections))
    loads = asyncio.gather(*connections)
    try:
        await asyncio.wait_for(loads, spec.seconds + STALL_LIMIT)
    except TimeoutError:
        raise SystemExit(f"the server stopped answering: no response for {STALL_LIMIT} s") from None
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    return {"count": len(tally.latencies_us), "errors": tally.errors, "elapsed": elapsed, "cpu": cpu,
            "latencies_us": tally.latencies_us}  # fmt: skip


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
