"""A charter season's requests sent to `lambda_handler` on DynamoDB (a moto server), with every AWS call metered:
what the count budgets are checked on (test_call_budgets.py)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from tests.aws_meter import Meter, Usage
from tests.builders import WAIVER_TEXT
from tests.deploy.conftest import REGION, Aws
from tests.deploy.function_urls import json_event, scheduled_event, url_event
from tests.deploy.handler_calls import call, sign_in

TABLE = "scc-budgets"
READS = ("GetItem", "Query", "Scan", "BatchGetItem")
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem")
GUEST = {"guest_name": "Ana Lima", "email": "ana@example.org", "date_of_birth": "1990-04-23",
         "emergency_name": "Rui Lima", "emergency_phone": "+1 555 0112", "typed_signature": "Ana Lima",
         "consent": "yes", "agreement": "yes"}  # fmt: skip
OPEN_ALL_DAY = "am=00:00-23:59,pm=00:00-23:59"
"""Periods open all day: a charter today can be signed and sailed whatever the hour the tests run."""
FORM = {"content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin"}


@dataclass
class Season:
    """The handler on a fresh table, signed in, with a waiver, a ship and a captain; `measured` meters a block."""

    handler: Any
    meter: Meter
    token: str = ""
    ship: str = ""
    number: int = 0
    seen: Usage = field(default_factory=Usage)
    """Every call the season made, set-up included."""

    def bearer(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}"}

    def api(self, method: str, path: str, body: Any = None, **more: Any) -> tuple[int, Any]:
        if body is None:
            headers = {"authorization": f"Bearer {self.token}", **more.pop("headers", {})}
            return call(self.handler, url_event(method, path, headers=headers, **more))
        return call(self.handler, json_event(method, path, body, token=self.token, **more))

    def page(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, Any]:
        if form is None:
            return call(self.handler, url_event(method, path))
        return call(self.handler, url_event(method, path, headers=FORM, body=urlencode(form).encode()))

    def new_container(self) -> None:
        """The next invocation starts a container (its settings read again, its log lines to today's stdout)."""
        from shipcaptaincrew import lambda_function

        lambda_function._reset()

    def tick(self) -> Any:
        return self.handler(scheduled_event(), None)

    def deliver(self) -> Any:
        """What the asynchronous self-invocation does after a response that queued mail."""
        return self.handler({"scc": "deliver-outbox"}, None)

    def book(self, day: date | None = None, **patron: str) -> dict[str, Any]:
        self.number += 1
        first = "Guest" + "abcdefghijklmnopqrstuvwxyz"[self.number % 26] * (1 + self.number // 26)
        body = {"date": (day or date.today() + timedelta(days=30 + self.number)).isoformat(), "period": "am",
                "patron": {"first_name": first, "last_name": "Lopez", "email": "sarah@example.org", **patron},
                "party_size": 8, "amount_due": "900.00"}  # fmt: skip
        status, event = self.api("POST", "/api/events", body)
        assert status == 201, event
        return dict(event)

    def pay(self, slug: str, amount: str = "450.00", path: str = "/api/payment-log") -> dict[str, Any]:
        body = {"event_id": slug, "patron_name": "Sarah Lopez", "amount": amount, "payment_method": "venmo"}
        status, answer = self.api("POST", path, body)
        assert status == 201, answer
        return dict(answer)

    def sign(self, guest_url: str) -> int:
        _, form = self.page("GET", f"{guest_url}/waiver")
        hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        status, _ = self.page("POST", f"{guest_url}/waiver", {**hidden, **GUEST})
        return status

    def captain_today(self) -> tuple[dict[str, Any], str]:
        """A charter today with a captain of its own and one guest signed; the captain's day sheet."""
        event = self.book(day=date.today())
        _, captain = self.api("POST", "/api/people", {"name": f"Captain {self.number}", "role": "captain"})
        crew = {"ship": self.ship, "captain": captain["id"], "override_reason": "two boats that day"}
        assert self.api("PUT", f"/api/events/{event['slug']}/assignment", crew)[0] == 200
        assert self.sign(event["guest_url"]) == 303
        return event, urlsplit(captain["day_sheet_url"]).path

    @contextmanager
    def measured(self) -> Iterator[Usage]:
        with self.meter.measuring() as usage:
            yield usage


def start(handler: Any, aws: Aws, monkeypatch: pytest.MonkeyPatch) -> Iterator[Season]:
    """The handler configured for DynamoDB in the emulator, the table made, the meter attached (and detached)."""
    from shipcaptaincrew.adapters.dynamodb_table import create_table

    settings = {"SCC_STORE": "dynamodb", "SCC_DYNAMODB_TABLE": TABLE, "SCC_AWS_ENDPOINT_URL": aws.endpoint,
                "AWS_ENDPOINT_URL": aws.endpoint, "SCC_SHORE_EMAIL": "harbour@example.org",
                "SCC_PERIODS": OPEN_ALL_DAY}  # fmt: skip
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    create_table(aws.client("dynamodb"), TABLE)
    meter = Meter(aws.endpoint, REGION)
    meter.attach()
    try:
        season = Season(handler, meter)
        season.token = sign_in(handler)
        assert season.api("PUT", "/api/waiver", {"text": WAIVER_TEXT})[0] == 200
        season.ship = season.api("POST", "/api/ships", {"name": "Osprey", "capacity": 20})[1]["id"]
        yield season
    finally:
        meter.detach()


def reads(usage: Usage) -> int:
    return sum(count for name, count in dynamodb(usage).items() if name in READS)


def writes(usage: Usage) -> Counter[str]:
    return Counter({name: count for name, count in dynamodb(usage).items() if name in WRITES})


def dynamodb(usage: Usage) -> Counter[str]:
    return Counter({name.split(".", 1)[1]: n for name, n in usage.calls.items() if name.startswith("dynamodb.")})
