"""The operations a season is made of, for bench/cost.py: each one the requests (or scheduled events) that make it,
sent to `lambda_handler` on a DynamoDB table and SES in a moto server, with what it needs set up first uncounted.

The mail an operation queues is delivered by the asynchronous invocation its response asks for (`_cost_lambda.py`),
counted with it; `tick_with_mail` is the schedule finding mail that such a hand-off missed.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _cost_lambda import FunctionUnderTest, Tally, url_event

REGION = "us-east-1"
TABLE = "scc-cost"
SENDER = "bookings@charters.example.com"
SHORE = "harbour-office@charters.example.com"
PASSWORD = "benchmark-only-password"
BOARD_EVENTS = 40  # a board's fortnight, booked before the season's operations are measured
OPEN_ALL_DAY = "am=00:00-23:59,pm=00:00-23:59,sunset=00:00-23:59"
"""The charter periods, each open all day: a charter today can be signed and sailed whatever the hour of the run."""
GUEST = {"guest_name": "Ana Lima", "email": "ana@example.org", "date_of_birth": "1990-04-23",
         "emergency_name": "Rui Lima", "emergency_phone": "+1 555 0112", "typed_signature": "Ana Lima",
         "consent": "yes", "agreement": "yes"}  # fmt: skip


@dataclass
class Operation:
    """One kind of work, run `runs` times: its AWS usage (summed; `per_run` averages), times and what it logged."""

    name: str
    usage: Any = None  # tests.aws_meter.Usage
    runs: int = 0
    seconds: list[float] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)

    def per_run(self, value: float) -> float:
        return value / max(self.runs, 1)


@dataclass(frozen=True)
class Charter:
    slug: str
    guest_url: str
    sheet: str = ""
    """The day sheet of the charter's captain (charters of today only)."""


class Season:
    """The application behind `lambda_handler` on a fresh table, and the operations a season is made of."""

    def __init__(self, folder: Path, endpoint: str, runs: int) -> None:
        self.folder, self.endpoint, self.runs = folder, endpoint, runs
        self.number = 0
        self.token = ""

    def measure(self) -> dict[str, Operation]:
        from tests.aws_meter import Meter

        self._environment()
        self.function = FunctionUnderTest()
        self.meter = Meter(self.endpoint, REGION)
        self.meter.attach()
        self.function.attach()
        self._quietly(self._seed)
        return {name: self._run(name, action) for name, action in self.operations().items()}

    def operations(self) -> dict[str, Callable[[], Any]]:
        return {
            "tick_empty": self.tick, "board_sign_in": self.sign_in, "board_load": self.board_load,
            "board_poll": self.board_poll,
            "board_health": self.board_health, "book": self.book, "edit": self.edit, "assign": self.assign,
            "payment": self.payment, "party_page": self.party_page, "waiver_form": self.waiver_form,
            "signature": self.signature, "reminder_job": self.reminder_job, "reminder": self.reminder,
            "cancel": self.cancel, "reschedule": self.reschedule, "refund": self.refund, "rain_check": self.rain_check,
            "weather_cancel": self.weather_cancel, "day_sheet": self.day_sheet, "check_in": self.check_in,
            "walk_up": self.walk_up, "depart": self.depart, "return": self.come_back,
            "tick_with_mail": self.tick_with_mail,
        }  # fmt: skip

    # The operations. Each sets up what it needs first, uncounted, through `_quietly`.

    def tick(self) -> Any:
        return self.function.invoke({"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}})

    def sign_in(self) -> Any:
        return self.http("POST", "/api/login", {"password": PASSWORD}, token=False)

    def board_load(self) -> Any:
        for path in ("/api/config", "/healthz", f"/api/events?{self.window}"):
            self.http("GET", path)

    def board_health(self) -> Any:
        """What one poll a minute adds: the mail waiting and the waiver's state read again (web/board_health.py),
        inside that poll's own invocation, so no request of its own."""
        from shipcaptaincrew.web.board_health import read_health

        return self.function.inside(read_health)

    def board_poll(self) -> Any:
        """The board's poll every 10 s while it is shown: the list's ETag sent back, a 304 while nothing changed."""
        etag = self._quietly(lambda: self.http("GET", f"/api/events?{self.window}", whole=True))["headers"]["etag"]
        return self.http("GET", f"/api/events?{self.window}", headers={"if-none-match": etag}, whole=True)

    def book(self) -> Any:
        """A booking, and its confirmation to the patron."""
        return self.http("POST", "/api/events", self.event_body())

    def edit(self) -> Any:
        slug = self._booked().slug
        return self.http("PATCH", f"/api/events/{slug}", {"version": 1, "title": "Birthday cruise"})

    def assign(self) -> Any:
        slug = self._booked().slug
        return self.http("PUT", f"/api/events/{slug}/assignment", self.crew())

    def payment(self) -> Any:
        """A payment logged from the board, and the receipt."""
        slug = self._booked().slug
        return self.http("POST", "/api/payment-log", self.money(slug, "450.00"), headers=self.idempotent())

    def party_page(self) -> Any:
        return self.http("GET", self._booked().guest_url, token=False, raw=True)

    def waiver_form(self) -> Any:
        return self.http("GET", self._booked().guest_url + "/waiver", token=False, raw=True)

    def signature(self) -> Any:
        """A guest signs, and gets the signed copy by email."""
        return self.sign(self._booked().guest_url)

    def reminder_job(self) -> Any:
        """The daily rule's run on a day with nothing to remind."""
        return self.function.invoke({"scc": "reminders"})

    def reminder(self) -> Any:
        """One patron reminded: the daily job finding one charter due tomorrow, and the email."""
        self._booked(self.event_body(day=date.today() + timedelta(days=1)))
        return self.reminder_job()

    def cancel(self) -> Any:
        """A paid charter cancelled from the board: the patron is told, the refund due shows."""
        slug = self._quietly(self.payment)["event"]["slug"]
        return self.http("POST", f"/api/events/{slug}/cancel", {"reason": "Family emergency"})

    def reschedule(self) -> Any:
        event = self._quietly(self.book)
        moved = {"date": self.far_day().isoformat(), "period": event["period"], "version": event["version"]}
        return self.http("POST", f"/api/events/{event['slug']}/reschedule", moved)

    def refund(self) -> Any:
        slug = self._quietly(self.payment)["event"]["slug"]
        return self.http("POST", "/api/refund-log", self.money(slug, "100.00"), headers=self.idempotent())

    def rain_check(self) -> Any:
        """A cancelled charter's refund due moved onto the same patron's next booking, instead of sent back."""
        first = self.event_body()
        slug = self._booked(first).slug
        self._quietly(lambda: self.http("POST", "/api/payment-log", self.money(slug, "450.00")))
        self._quietly(lambda: self.http("POST", f"/api/events/{slug}/cancel", {"reason": "Storm"}))
        later = self._booked({**self.event_body(day=self.far_day()), "patron": first["patron"]})
        return self.http("POST", f"/api/events/{slug}/rain-check", {"to_event": later.slug})

    def weather_cancel(self) -> Any:
        """A weather call that cancels one charter (a day's call costs this once per charter it finds)."""
        event = self._quietly(lambda: self.http("POST", "/api/events", self.event_body(day=self.far_day())))
        call = {"date": event["date"], "periods": [event["period"]], "action": "cancel", "reason": "Storm"}
        return self.http("POST", "/api/weather-call", call)

    def day_sheet(self) -> Any:
        """A captain's look at the day sheet on the charter day."""
        return self.http("GET", self._today().sheet, token=False, raw=True)

    def check_in(self) -> Any:
        """A guest ticked aboard on the day sheet."""
        charter = self._today()
        return self.tap(charter, "aboard", {"guest": self._guest_key(charter), "aboard": "yes"})

    def walk_up(self) -> Any:
        return self.tap(self._today(), "walk-up", {"name": "Walk Up Guest"})

    def depart(self) -> Any:
        """The departure, with the manifest emailed ashore."""
        charter = self._today()
        self._quietly(lambda: self.tap(charter, "aboard", {"guest": self._guest_key(charter), "aboard": "yes"}))
        return self.tap(charter, "depart", {})

    def come_back(self) -> Any:
        """The return, with word of it ashore."""
        charter = self._today()
        self._quietly(lambda: self.tap(charter, "aboard", {"guest": self._guest_key(charter), "aboard": "yes"}))
        self._quietly(lambda: self.tap(charter, "depart", {}))
        return self.tap(charter, "return", {})

    def tick_with_mail(self) -> Any:
        """The schedule delivering a receipt whose hand-off to an asynchronous invocation was missed."""
        slug = self._booked().slug
        with self.function.without_hand_off():
            self._quietly(lambda: self.http("POST", "/api/payment-log", self.money(slug, "450.00")))
        return self.tick()

    # Requests.

    def http(self, method: str, path: str, body: Any = None, token: bool = True, raw: bool = False,
             headers: dict[str, str] | None = None, whole: bool = False) -> Any:  # fmt: skip
        self.number += 1
        path, _, query = path.partition("?")
        sent = {"content-type": "application/json", **(headers or {})}
        if token:
            sent["authorization"] = f"Bearer {self.token}"
        payload = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        answer = self.function.invoke(url_event(method, path, query, sent, payload))
        content = answer.get("body", "")
        self.function.tally.response_bytes += len(content.encode())
        if whole:
            return answer
        if raw:
            return content
        return json.loads(content) if content.startswith(("{", "[")) else content

    def form(self, path: str, fields: dict[str, str]) -> Any:
        body = urllib.parse.urlencode(fields).encode()
        headers = {"content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin"}
        return self.http("POST", path, body, token=False, raw=True, headers=headers)

    def sign(self, party: str) -> Any:
        page = self._quietly(lambda: self.http("GET", party + "/waiver", token=False, raw=True))
        return self.form(party + "/waiver", {**dict(_hidden_fields(page)), **GUEST})

    def tap(self, charter: Charter, action: str, fields: dict[str, str]) -> Any:
        return self.form(f"{charter.sheet}/{charter.slug}/{action}", fields)

    def event_body(self, day: date | None = None) -> dict[str, Any]:
        day = day or date.today() + timedelta(days=30 + self.number % 60)
        return {"date": day.isoformat(), "period": ("am", "pm", "sunset")[self.number % 3],
                "patron": {"first_name": _letters(self.number), "last_name": "Lopez",
                           "email": f"patron{self.number}@example.org", "phone": "+1 555 0100"},
                "party_size": 8, "amount_due": "900.00", "title": "Charter"}  # fmt: skip

    def far_day(self) -> date:
        """A day of its own, so that a call about a whole day finds one charter."""
        return date.today() + timedelta(days=120 + self.number)

    def money(self, slug: str, amount: str) -> dict[str, str]:
        return {"event_id": slug, "patron_name": "Sarah Lopez", "amount": amount, "payment_method": "venmo"}

    def idempotent(self) -> dict[str, str]:
        return {"idempotency-key": f"cost-{self.number}"}

    def crew(self) -> dict[str, Any]:
        return {"ship": self.ship, "captain": self.captain["id"], "override_reason": "two boats that day"}

    # Set-up, uncounted.

    def _booked(self, body: dict[str, Any] | None = None) -> Charter:
        event = self._quietly(lambda: self.http("POST", "/api/events", body or self.event_body()))
        return Charter(event["slug"], event["guest_url"])

    def _today(self) -> Charter:
        """A charter today, its captain assigned (a captain of its own: one sheet a charter), one guest signed."""

        def set_up() -> Charter:
            charter = self._booked(self.event_body(day=date.today()))
            person = {"name": f"Captain {_letters(self.number)}", "role": "captain", "email": "cap@example.org"}
            captain = self.http("POST", "/api/people", person)
            assignment = {"ship": self.ship, "captain": captain["id"], "override_reason": "two boats that day"}
            self.http("PUT", f"/api/events/{charter.slug}/assignment", assignment)
            self.sign(charter.guest_url)
            return Charter(charter.slug, charter.guest_url, urllib.parse.urlsplit(captain["day_sheet_url"]).path)

        return self._quietly(set_up)  # type: ignore[no-any-return]

    def _guest_key(self, charter: Charter) -> str:
        sheet = self._quietly(lambda: self.http("GET", charter.sheet, token=False, raw=True))
        form = re.search(rf'action="[^"]*/{re.escape(charter.slug)}/aboard"[^>]*>\s*<input type="hidden" '
                         r'name="guest" value="([^"]+)"', sheet)  # fmt: skip
        if form is None:
            raise RuntimeError(f"no guest to tick aboard on {charter.slug}'s day sheet")
        return form.group(1)

    def _seed(self) -> None:
        self.token = self.http("POST", "/api/login", {"password": PASSWORD}, token=False)["token"]
        self.http("PUT", "/api/waiver", {"text": "You sail at your own risk; the crew's word is final."})
        self.ship = self.http("POST", "/api/ships", {"name": "Osprey", "capacity": 20})["id"]
        person = {"name": "Maria Santos", "role": "captain", "email": "maria@example.org"}
        self.captain = self.http("POST", "/api/people", person)
        for _ in range(BOARD_EVENTS):
            self.book()
        first = date.today() + timedelta(days=30)
        self.window = f"from={first}&to={first + timedelta(days=13)}"

    def _environment(self) -> None:
        from argon2 import PasswordHasher

        os.environ.update({
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.endpoint, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "SCC_STORE": "dynamodb", "SCC_DYNAMODB_TABLE": TABLE, "SCC_AWS_ENDPOINT_URL": self.endpoint,
            "SCC_MAIL_TRANSPORT": "ses", "SCC_SES_REGION": REGION, "SCC_MAIL_FROM": f"Charters <{SENDER}>",
            "SCC_SECRET_KEY": "cost-benchmark-secret-key-0123456789abcdef", "SCC_DATA_DIR": str(self.folder),
            "SCC_ADMIN_PASSWORD_HASH": PasswordHasher(time_cost=1, memory_cost=8 * 1024).hash(PASSWORD),
            "SCC_PUBLIC_URL": "https://charters.example.com", "SCC_SHORE_EMAIL": SHORE,
            "SCC_PERIODS": OPEN_ALL_DAY,
        })  # fmt: skip
        import boto3

        from shipcaptaincrew.adapters.dynamodb_table import create_table

        create_table(boto3.client("dynamodb", endpoint_url=self.endpoint, region_name=REGION), TABLE)
        ses = boto3.client("ses", endpoint_url=self.endpoint, region_name=REGION)
        ses.verify_email_identity(EmailAddress=SENDER)

    # Measuring.

    def _run(self, name: str, action: Callable[[], Any]) -> Operation:
        from tests.aws_meter import Usage

        operation = Operation(name, Usage())
        for _ in range(self.runs):
            self.function.tally = Tally()
            with self.meter.measuring() as usage:
                action()
            operation.usage.add(usage)
            operation.runs += 1
            operation.seconds.append(self.function.tally.seconds)
            for name_ in ("invocations", "log_bytes", "response_bytes"):
                setattr(operation.tally, name_, getattr(operation.tally, name_) + getattr(self.function.tally, name_))
        return operation

    def _quietly(self, action: Callable[[], Any]) -> Any:
        """Set-up work: run it without counting its calls, invocations, time or log lines."""
        counting = self.function.tally
        self.function.tally = Tally()
        try:
            with self.meter.paused():
                return action()
        finally:
            self.function.tally = counting


def _letters(number: int) -> str:
    """A first name of letters only, one per number (slugs keep letters only), e.g. 'Guestbc'."""
    letters = ""
    while True:
        number, rest = divmod(number, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[rest]
        if not number:
            return "Guest" + letters


def _hidden_fields(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page)
