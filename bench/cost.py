"""What a season costs on AWS: every operation of a season driven through `lambda_handler` on DynamoDB and SES (a
moto server on loopback), every AWS call counted with what it reads and writes, multiplied by a workload profile
(`cost_profile.json`) and a dated price table (`cost_prices.json`, each price with its source).

Counted per operation: AWS calls by service and operation, DynamoDB read and write request units computed from
the item sizes as AWS defines them (index writes included, `_aws_meter.py`), emails sent, the bytes the function
logs, and the handler's time (this machine's, standing in for Lambda's). Not counted: the free tier, data
transfer between services in the region (free), the dispatch page's bytes beyond `page_bytes_first_visit`.

Prints a table per service and, last, exactly one line:
`season cost: $X.XX/month at 2,000 charters, $Y.YY/month at 20,000 (list prices, no free tier)`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from statistics import median
from typing import Any

from _aws_meter import Meter, Usage
from _harness import Machine, free_port, write_results

HERE = Path(__file__).parent
NAME = "cost"
REGION = "us-east-1"
TABLE = "scc-cost"
SENDER = "bookings@charters.example.com"
PASSWORD = "benchmark-only-password"
RUNS = 5
PLATFORM_LOG_BYTES = 330  # Lambda's START, END and REPORT lines per invocation, when system logs are at INFO
SMALL, LARGE = 2_000, 20_000


@dataclass
class Operation:
    """One kind of work, run RUNS times: its usage per run (averaged), time and log bytes."""

    name: str
    usage: Usage = field(default_factory=Usage)
    runs: int = 0
    seconds: list[float] = field(default_factory=list)
    log_bytes: int = 0
    invocations: int = 0
    response_bytes: int = 0

    def per_run(self, value: float) -> float:
        return value / max(self.runs, 1)


def main(seconds: float | None = None) -> None:
    runs = RUNS if seconds is None else max(2, int(seconds))
    machine = Machine.here()
    print(machine.describe())
    prices = json.loads((HERE / "cost_prices.json").read_text())
    profile = json.loads((HERE / "cost_profile.json").read_text())
    with tempfile.TemporaryDirectory(prefix="scc-cost-") as scratch, moto_server() as endpoint:
        operations = Season(Path(scratch), endpoint, runs).measure()
    platform_logs = 0 if template_quiets_platform_logs() else PLATFORM_LOG_BYTES
    small, large = (bill(operations, profile, prices, platform_logs, charters) for charters in (SMALL, LARGE))
    print_operations(operations)
    print_bill(small, SMALL)
    write_results(NAME, {"machine": machine.describe(), "runs": runs, "operations": _report(operations),
                         "monthly": {str(SMALL): small, str(LARGE): large}})  # fmt: skip
    print(f"season cost: ${sum(small.values()):.2f}/month at {SMALL:,} charters, ${sum(large.values()):.2f}/month at "
          f"{LARGE:,} (list prices, no free tier)")  # fmt: skip


class Season:
    """The application behind `lambda_handler` on a fresh table, and the operations a season is made of."""

    def __init__(self, folder: Path, endpoint: str, runs: int) -> None:
        self.folder, self.endpoint, self.runs = folder, endpoint, runs
        self.meter: Meter | None = None
        self.token = ""
        self.number = 0
        self.invocations, self.responses, self.seconds, self.logged = 0, 0, 0.0, 0

    def measure(self) -> dict[str, Operation]:
        self._environment()
        from shipcaptaincrew import lambda_function

        self.handler = lambda_function.lambda_handler
        self.meter = Meter(self.endpoint, REGION)
        self.meter.attach()
        self._seed()
        work: dict[str, Callable[[], Any]] = {
            "tick_empty": self.tick, "board_sign_in": self.sign_in, "board_load": self.board_load,
            "board_poll": self.board_poll, "book": self.book, "edit": self.edit, "assign": self.assign,
            "payment": self.payment, "party_page": self.party_page, "waiver_form": self.waiver_form,
            "signature": self.signature, "tick_with_mail": self.tick_with_mail, "reminder_job": self.reminder_job,
            "weather_cancel": self.weather_cancel, "refund": self.refund, "reminder": self.reminder,
        }  # fmt: skip
        return {name: self._run(name, action) for name, action in work.items()}

    # The operations. Each books what it needs first (not counted) through `_quietly`.

    def tick(self) -> Any:
        return self.call({"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}})

    def sign_in(self) -> Any:
        return self.http("POST", "/api/login", {"password": PASSWORD}, token=False)

    def board_load(self) -> Any:
        for path in ("/api/config", "/healthz", f"/api/events?{self.window}"):
            self.http("GET", path)

    def board_poll(self) -> Any:
        return self.http("GET", f"/api/events?{self.window}")

    def book(self) -> Any:
        return self.http("POST", "/api/events", self.event_body())

    def edit(self) -> Any:
        slug = self._quietly(self.book)["slug"]
        return self.http("PATCH", f"/api/events/{slug}", {"version": 1, "title": "Birthday cruise"})

    def assign(self) -> Any:
        slug = self._quietly(self.book)["slug"]
        return self.http("PUT", f"/api/events/{slug}/assignment", {"ship": self.ship, "captain": self.captain})

    def payment(self) -> Any:
        slug = self._quietly(self.book)["slug"]
        body = {"event_id": slug, "patron_name": "Sarah Lopez", "amount": "450.00", "payment_method": "venmo"}
        return self.http("POST", "/api/payment-log", body, headers={"idempotency-key": f"cost-{self.number}"})

    def party_page(self) -> Any:
        return self.http("GET", self._quietly(self.book)["guest_url"], token=False, raw=True)

    def waiver_form(self) -> Any:
        return self.http("GET", self._quietly(self.book)["guest_url"] + "/waiver", token=False, raw=True)

    def signature(self) -> Any:
        party = self._quietly(self.book)["guest_url"]
        page = self._quietly(lambda: self.http("GET", party + "/waiver", token=False, raw=True))
        fields = dict(_hidden_fields(page))
        fields |= {"guest_name": "Ana Lima", "email": "ana@example.org", "date_of_birth": "1990-04-23",
                   "emergency_name": "Rui Lima", "emergency_phone": "+1 555 0112", "typed_signature": "Ana Lima",
                   "consent": "yes", "agreement": "yes"}  # fmt: skip
        body = "&".join(f"{name}={urllib.request.quote(value)}" for name, value in fields.items()).encode()
        headers = {"content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin"}
        return self.http("POST", party + "/waiver", body, token=False, raw=True, headers=headers)

    def tick_with_mail(self) -> Any:
        self._quietly(self.tick)  # whatever the set-up queued is delivered first
        self._quietly(self.payment)  # one receipt queued
        return self.tick()

    def reminder_job(self) -> Any:
        return self.call({"scc": "reminders"})

    def reminder(self) -> Any:
        """One patron reminded: the daily job finding one charter due tomorrow, less the job's own look."""
        body = {**self.event_body(), "date": (date.today() + timedelta(days=1)).isoformat()}
        self._quietly(lambda: self.http("POST", "/api/events", body))
        return self.reminder_job()

    def weather_cancel(self) -> Any:
        event = self._quietly(self.book)
        call = {"date": event["date"], "periods": [event["period"]], "action": "cancel", "reason": "Storm"}
        return self.http("POST", "/api/weather-call", call)

    def refund(self) -> Any:
        slug = self._quietly(self.payment)["event"]["slug"]
        body = {"event_id": slug, "patron_name": "Sarah Lopez", "amount": "100.00", "payment_method": "venmo"}
        return self.http("POST", "/api/refund-log", body)

    # How they run.

    def _run(self, name: str, action: Callable[[], Any]) -> Operation:
        assert self.meter is not None
        operation = Operation(name)
        for _ in range(self.runs):
            self.invocations, self.responses, self.seconds, self.logged = 0, 0, 0.0, 0
            with self.meter.measuring() as usage:
                action()
            operation.usage.add(usage)
            operation.runs += 1
            operation.seconds.append(self.seconds)
            operation.log_bytes += self.logged
            operation.invocations += self.invocations
            operation.response_bytes += self.responses
        return operation

    def _quietly(self, action: Callable[[], Any]) -> Any:
        """Set-up work: run it without counting its calls, invocations or log lines (its time still passes: an
        operation's time is taken around its own calls only, see `call`)."""
        assert self.meter is not None
        invocations, responses, seconds, logged = self.invocations, self.responses, self.seconds, self.logged
        with self.meter.paused():
            found = action()
        self.invocations, self.responses, self.seconds, self.logged = invocations, responses, seconds, logged
        return found

    def call(self, event: dict[str, Any]) -> Any:
        """One invocation: counted, timed, and what it logs weighed (the function logs JSON lines on stdout)."""
        self.invocations += 1
        captured = io.StringIO()
        streams = _log_streams(captured)
        began = time.perf_counter()
        try:
            with contextlib.redirect_stdout(captured):
                return self.handler(event, _Context())
        finally:
            self.seconds += time.perf_counter() - began
            self.logged += len(captured.getvalue().encode())
            _log_streams(None, streams)

    def http(self, method: str, path: str, body: Any = None, token: bool = True, raw: bool = False,
             headers: dict[str, str] | None = None) -> Any:  # fmt: skip
        self.number += 1
        path, _, query = path.partition("?")
        sent = {"content-type": "application/json", **(headers or {})}
        if token:
            sent["authorization"] = f"Bearer {self.token}"
        payload = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        answer = self.call(_url_event(method, path, query, sent, payload))
        content = answer.get("body", "")
        self.responses += len(content.encode())
        if raw:
            return content
        return json.loads(content) if content.startswith(("{", "[")) else content

    def event_body(self) -> dict[str, Any]:
        day = date.today() + timedelta(days=30 + self.number % 60)
        return {"date": day.isoformat(), "period": ("am", "pm", "sunset")[self.number % 3],
                "patron": {"first_name": _letters(self.number), "last_name": "Lopez",
                           "email": "sarah@example.org", "phone": "+1 555 0100"},
                "party_size": 8, "amount_due": "900.00", "title": "Charter"}  # fmt: skip

    def _environment(self) -> None:
        from argon2 import PasswordHasher

        os.environ.update({
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.endpoint, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "SCC_STORE": "dynamodb", "SCC_DYNAMODB_TABLE": TABLE, "SCC_AWS_ENDPOINT_URL": self.endpoint,
            "SCC_MAIL_TRANSPORT": "ses", "SCC_SES_REGION": REGION, "SCC_MAIL_FROM": f"Charters <{SENDER}>",
            "SCC_SECRET_KEY": "cost-benchmark-secret-key-0123456789abcdef", "SCC_DATA_DIR": str(self.folder),
            "SCC_ADMIN_PASSWORD_HASH": PasswordHasher(time_cost=1, memory_cost=8 * 1024).hash(PASSWORD),
            "SCC_PUBLIC_URL": "https://charters.example.com",
        })  # fmt: skip
        import boto3

        from shipcaptaincrew.adapters.dynamodb_table import create_table

        create_table(boto3.client("dynamodb", endpoint_url=self.endpoint, region_name=REGION), TABLE)
        boto3.client("ses", endpoint_url=self.endpoint, region_name=REGION).verify_email_identity(EmailAddress=SENDER)

    def _seed(self) -> None:
        def seed() -> None:
            self.token = self.http("POST", "/api/login", {"password": PASSWORD}, token=False)["token"]
            self.http("PUT", "/api/waiver", {"text": "You sail at your own risk; the crew's word is final."})
            self.ship = self.http("POST", "/api/ships", {"name": "Osprey", "capacity": 20})["id"]
            person = {"name": "Maria Santos", "role": "captain", "email": "maria@example.org"}
            self.captain = self.http("POST", "/api/people", person)["id"]
            for _ in range(40):  # a board's fortnight
                self.book()

        self._quietly(seed)
        first = date.today() + timedelta(days=30)
        self.window = f"from={first}&to={first + timedelta(days=13)}"


def _log_streams(stream: Any, previous: list[Any] | None = None) -> list[Any]:
    """Point the root logger's stream handlers at `stream` (or back at `previous`); return what they had."""
    import logging

    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    had = [handler.stream for handler in handlers]
    for handler, target in zip(handlers, previous or [stream] * len(handlers), strict=False):
        handler.setStream(target)
    return had


class _Context:
    aws_request_id = "cost-request"
    function_name = "scc-prod"


def _url_event(method: str, path: str, query: str, headers: dict[str, str], body: bytes | None) -> dict[str, Any]:
    import base64

    return {
        "version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": query,
        "headers": {"host": "fn.lambda-url.example", "x-forwarded-proto": "https", **headers},
        "requestContext": {"http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.9",
                                    "userAgent": "cost"}, "requestId": "cost", "stage": "$default",
                           "domainName": "fn.lambda-url.example", "timeEpoch": 1779436800000},
        "isBase64Encoded": body is not None,
        **({"body": base64.b64encode(body).decode()} if body is not None else {}),
    }  # fmt: skip


def _letters(number: int) -> str:
    """A first name of letters only, one per number (slugs keep letters only), e.g. 'Guestbc'."""
    letters = ""
    while True:
        number, rest = divmod(number, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[rest]
        if not number:
            return "Guest" + letters


def _hidden_fields(page: str) -> Iterator[tuple[str, str]]:
    import re

    yield from re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)


def bill(operations: dict[str, Operation], profile: dict[str, Any], prices: dict[str, Any], platform_logs: int,
         charters: int) -> dict[str, float]:  # fmt: skip
    """Dollars per month by service, for a season of `charters` a year (per-day activity grows with them)."""
    price = {name: entry["usd"] for name, entry in prices["prices"].items()}
    scale = charters / profile["charters_per_year"]
    yearly: Counter[str] = Counter()
    counts = {name: charters * times for name, times in profile["per_charter"].items()}
    counts |= {name: 365 * times * scale for name, times in profile["per_day"].items()}
    counts |= {"tick_empty": profile["ticks_per_year"], "reminder_job": profile["reminder_jobs_per_year"]}
    for name, times in counts.items():
        operation = operations[name]
        usage, per = operation.usage, operation.per_run
        invocations, seconds = per(operation.invocations), median(operation.seconds)
        gb_seconds = seconds * profile["lambda_memory_mb"] / 1024
        yearly["Lambda"] += times * (invocations * price["lambda_request"] + gb_seconds * price["lambda_gb_second"])
        reads, writes = per(usage.read_units), per(usage.write_units)
        yearly["DynamoDB"] += times * (reads * price["dynamodb_read_unit"] + writes * price["dynamodb_write_unit"])
        yearly["SES"] += times * per(usage.emails) * price["ses_email"]
        log_gb = times * (per(operation.log_bytes) + invocations * platform_logs) / 1e9
        yearly["CloudWatch Logs"] += log_gb * (price["logs_ingest_gb"] + price["logs_store_gb_month"])
        if not name.startswith(("tick", "reminder")):
            out_gb = per(operation.response_bytes) / 1e9
            yearly["CloudFront"] += times * (
                invocations * price["cloudfront_request"] + out_gb * price["cloudfront_gb_out"]
            )
    stored_gb = charters * profile["stored_bytes_per_charter"] / 1e9
    yearly["DynamoDB"] += 12 * stored_gb * (price["dynamodb_storage_gb_month"] + price["dynamodb_pitr_gb_month"])
    page_loads = 365 * profile["per_day"]["board_load"] * scale
    yearly["CloudFront"] += page_loads * profile["page_bytes_first_visit"] / 1e9 * price["cloudfront_gb_out"]
    yearly["S3"] += page_loads * price["s3_get"] + 12 * 0.001 * price["s3_storage_gb_month"]
    return {service: round(dollars / 12, 4) for service, dollars in sorted(yearly.items())}


def template_quiets_platform_logs() -> bool:
    """Whether infra/template.yaml has the functions log JSON with Lambda's own lines at WARN (no START/END/REPORT)."""
    template = (HERE.parent / "infra" / "template.yaml").read_text()
    return "SystemLogLevel: WARN" in template and "LogFormat: JSON" in template


def print_operations(operations: dict[str, Operation]) -> None:
    print(f"{'operation':<16} {'calls (per run)':<58} {'RRU':>6} {'WRU':>6} {'mail':>4} {'log B':>6} {'ms':>6}")
    for name, operation in operations.items():
        per = operation.per_run
        calls = ", ".join(f"{call.split('.')[1]} {per(count):g}" for call, count in
                          sorted(operation.usage.calls.items())) or "-"  # fmt: skip
        print(f"{name:<16} {calls[:58]:<58} {per(operation.usage.read_units):6.1f} "
              f"{per(operation.usage.write_units):6.1f} {per(operation.usage.emails):4.1f} "
              f"{per(operation.log_bytes):6.0f} {1000 * median(operation.seconds):6.1f}")  # fmt: skip


def print_bill(monthly: dict[str, float], charters: int) -> None:
    print(f"\nper month at {charters:,} charters a year:")
    for service, dollars in monthly.items():
        print(f"  {service:<16} ${dollars:8.4f}")


def _report(operations: dict[str, Operation]) -> dict[str, Any]:
    return {name: {"calls": {call: op.per_run(count) for call, count in op.usage.calls.items()},
                   "read_units": op.per_run(op.usage.read_units), "write_units": op.per_run(op.usage.write_units),
                   "emails": op.per_run(op.usage.emails), "log_bytes": op.per_run(op.log_bytes),
                   "median_ms": 1000 * median(op.seconds)} for name, op in operations.items()}  # fmt: skip


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    port = free_port()
    command = [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("moto_server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else None)
