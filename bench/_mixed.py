"""The mixed load of bench/load.py: one client process (the baseline it is compared with is `_mixed_baseline.py`).

`python bench/_mixed.py SPEC_JSON`: keep-alive HTTP/1.1 connections on asyncio, each a dispatcher or a guest
doing one thing after another for a fixed time: list the events of a window, log a payment with a new
Idempotency-Key (now and then sending it again, as a client does that lost the answer, which must give back the
very same entry), or open a waiver page and sign it. Prints one JSON line: every latency and status by kind, and every
acknowledged write (payment key, entry id, event, cents; signer, event), so the store can be audited afterwards.

Loopback only; every load stops by itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import secrets
import sys
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field

from _load import STALL_LIMIT, content_length, request_bytes

KINDS = {"list": 200, "pay": 201, "pay-again": 201, "waiver-page": 200, "sign": 303, "sign-throttled": 429}
# The application limits guests per client (web/guest_guard.py); each guest of the load signs from an address of
# its own, so none should be throttled, and a throttled signature must write nothing.
THROTTLED = {("sign", "429"): "sign-throttled"}
MIX = (("list", 5), ("pay", 3), ("sign", 2))  # weights: what a connection does next
HIDDEN = re.compile(rb'<input type="hidden" name="(\w+)" value="([^"]*)"')


@dataclass(frozen=True)
class MixedSpec:
    host: str
    port: int
    token: str
    slugs: list[str]
    parties: list[str]  # each slug's guest link, `/g/<slug>/<secret>`
    window: str  # the list request's path and query
    connections: int
    seconds: float
    start_at: float
    seed: int
    resend_share: float = 0.2  # payments sent a second time with the same key, as after a lost answer


@dataclass
class Tally:
    latencies_us: dict[str, list[int]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    statuses: dict[str, dict[str, int]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    payments: list[tuple[str, str, str, int]] = field(default_factory=list)  # key, entry id, slug, cents
    signatures: list[tuple[str, str]] = field(default_factory=list)  # slug, guest name
    replays_differing: int = 0

    def count(self, kind: str, status: str, latency_us: int | None) -> bool:
        kind = THROTTLED.get((kind, status), kind)
        statuses = self.statuses[kind]
        statuses[status] = statuses.get(status, 0) + 1
        if latency_us is not None:
            self.latencies_us[kind].append(latency_us)
        expected = status == str(KINDS[kind])
        self.errors[kind] += not expected
        return expected


class Connection:
    """One keep-alive connection; `send` times one request and reconnects after a dropped one."""

    def __init__(self, spec: MixedSpec, tally: Tally) -> None:
        self.spec, self.tally = spec, tally
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, kind: str, request: bytes) -> tuple[bool, bytes, bytes]:
        """(answered as expected, response head, body); a dropped connection counts as `dropped`."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.spec.host, self.spec.port)
        started = time.perf_counter_ns()
        self.writer.write(request)
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
            body = await self.reader.readexactly(content_length(head))
        except (asyncio.IncompleteReadError, ConnectionError):
            self.tally.count(kind, "dropped", None)
            self.writer.close()
            self.reader = self.writer = None
            return False, b"", b""
        expected = self.tally.count(kind, head[9:12].decode(), (time.perf_counter_ns() - started) // 1000)
        return expected, head, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class Client:
    """What one connection does, one action after another, with its own random stream and names."""

    def __init__(self, spec: MixedSpec, tally: Tally, number: int) -> None:
        self.spec, self.tally = spec, tally
        self.random = random.Random(spec.seed * 1000 + number)
        self.name = f"{secrets.token_hex(4)}-{number}"
        self.auth = {"Authorization": f"Bearer {spec.token}"}
        self.sent = 0

    async def run(self, deadline: float) -> None:
        connection = Connection(self.spec, self.tally)
        actions: dict[str, Callable[[Connection], Awaitable[None]]] = {
            "list": self.list_events,
            "pay": self.pay,
            "sign": self.sign,
        }
        names, weights = zip(*MIX, strict=True)
        try:
            while time.perf_counter() < deadline:
                self.sent += 1
                await actions[self.random.choices(names, weights)[0]](connection)
        finally:
            connection.close()

    async def list_events(self, connection: Connection) -> None:
        await connection.send("list", request_bytes(self.spec.window, self.auth))

    async def pay(self, connection: Connection) -> None:
        """A new key; resent with the same key when the answer was lost, and now and then on purpose."""
        slug, cents = self.random.choice(self.spec.slugs), self.random.randrange(100, 50_000)
        key = f"load-{self.name}-{self.sent}"
        body = json.dumps(
            {
                "event_id": slug,
                "patron_name": "Load Test",
                "amount": f"{cents // 100}.{cents % 100:02d}",
                "payment_method": "cash",
            }
        )
        request = request_bytes("/api/payment-log", {**self.auth, "Idempotency-Key": key}, "POST", body)
        ok, _, first = await connection.send("pay", request)
        for _ in range(3):  # a dropped answer: the same key again, as a real client retries
            if ok:
                break
            ok, _, first = await connection.send("pay-again", request)
        if ok and self.random.random() < self.spec.resend_share:
            again, _, second = await connection.send("pay-again", request)
            self.tally.replays_differing += again and json.loads(second)["payment"] != json.loads(first)["payment"]
        if ok:
            self.tally.payments.append((key, json.loads(first)["payment"]["id"], slug, cents))

    async def sign(self, connection: Connection) -> None:
        """Open the waiver page, then sign it as a guest of our own name, from an address of our own."""
        number = self.random.randrange(len(self.spec.slugs))
        slug, party = self.spec.slugs[number], self.spec.parties[number]
        address = f"10.{self.random.randrange(256)}.{self.random.randrange(256)}.{self.random.randrange(1, 255)}"
        ok, _, page = await connection.send(
            "waiver-page", request_bytes(f"{party}/waiver", {"X-Forwarded-For": address})
        )
        if not ok:
            return
        guest = f"Guest {self.name} {self.sent}"
        form = {name.decode(): value.decode() for name, value in HIDDEN.findall(page)}
        form |= {
            "guest_name": guest,
            "email": "guest@example.org",
            "phone": "+1 555 0111",
            "date_of_birth": "1990-04-23",
            "emergency_name": "Rui Lima",
            "emergency_phone": "+1 555 0112",
            "typed_signature": guest,
            "consent": "yes",
            "agreement": "yes",
        }
        body = urllib.parse.urlencode(form)
        headers = {
            "X-Forwarded-For": address,
            "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "same-origin",
            "Content-Length": str(len(body)),
        }
        lines = [f"POST {party}/waiver HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
        request = ("\r\n".join(lines) + "\r\n\r\n" + body).encode()
        ok, head, _ = await connection.send("sign", request)
        if ok and head[9:12] == b"303":  # not a throttled one (429), which must write nothing
            self.tally.signatures.append((slug, guest))


async def load(spec: MixedSpec) -> dict[str, object]:
    await asyncio.sleep(max(0.0, spec.start_at - time.time()))
    began, cpu_began, tally = time.perf_counter(), time.process_time(), Tally()
    deadline = began + spec.seconds
    clients = [Client(spec, tally, number).run(deadline) for number in range(spec.connections)]
    try:
        await asyncio.wait_for(asyncio.gather(*clients), spec.seconds + STALL_LIMIT)
    except TimeoutError:
        raise SystemExit(f"the server stopped answering: no response for {STALL_LIMIT} s") from None
    elapsed = time.perf_counter() - began
    return {**asdict(tally), "elapsed": elapsed, "cpu": time.process_time() - cpu_began}


def client_main(spec_json: str) -> None:
    spec = MixedSpec(**json.loads(spec_json))
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(load(spec))
    else:
        result = uvloop.run(load(spec))
    os.set_blocking(1, True)  # see _load.py: a large write to a non-blocking pipe is cut short
    data = memoryview((json.dumps(result) + "\n").encode())
    while data:
        data = data[os.write(1, data) :]


if __name__ == "__main__":
    client_main(sys.argv[1])
