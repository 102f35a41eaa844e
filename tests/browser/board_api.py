"""The admin API as the browser tests use it to set the scene and to check what the page did."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from tests.builders import event_body


@dataclass
class BoardApi:
    base_url: str
    token: str = ""

    @classmethod
    def signed_in(cls, base_url: str, password: str) -> BoardApi:
        api = cls(base_url)
        api.token = api.call("POST", "/api/login", {"password": password})["token"]
        return api

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                content = response.read()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path} answered {error.code}: {error.read()!r}") from None
        return json.loads(content) if content else None

    def book(self, day: str, first_name: str, period: str = "pm", **fields: Any) -> dict[str, Any]:
        patron = {"first_name": first_name, "last_name": fields.pop("last_name", "Lopez"),
                  "email": fields.pop("email", ""), "phone": fields.pop("phone", "")}  # fmt: skip
        body = event_body(date=day, period=period, patron=patron, **fields)
        event: dict[str, Any] = self.call("POST", "/api/events", body)
        return event

    def pay(self, slug: str, amount: str, method: str = "venmo", **fields: str) -> dict[str, Any]:
        body = {"event_id": slug, "patron_name": "Sarah Lopez", "amount": amount, "payment_method": method, **fields}
        result: dict[str, Any] = self.call("POST", "/api/payment-log", body)
        return result

    def entries(self, slug: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.call("GET", f"/api/events/{slug}/payments")["entries"]
        return entries

    def mail(self, kind: str) -> list[dict[str, Any]]:
        """The outbox's messages of one kind (confirmation, receipt, cancellation...), newest first."""
        messages: list[dict[str, Any]] = self.call("GET", "/api/outbox?limit=200")["messages"]
        return [message for message in messages if message["kind"] == kind]

    def sign(self, slug: str, guest: str) -> None:
        """Sign the charter's waiver over HTTP as a guest's browser does: open the form, post it back."""
        party = self.call("GET", f"/api/events/{slug}")["guest_url"]
        with urllib.request.urlopen(f"{self.base_url}{party}/waiver", timeout=10) as page:
            fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.read().decode()))
        fields |= {
            "guest_name": guest,
            "email": "",
            "phone": "",
            "date_of_birth": "1990-04-23",
            "emergency_name": "Rui Lima",
            "emergency_phone": "+1 555 0112",
            "typed_signature": guest,
            "consent": "yes",
            "agreement": "yes",
        }
        request = urllib.request.Request(
            f"{self.base_url}{party}/waiver", urllib.parse.urlencode(fields).encode(), method="POST"
        )
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Sec-Fetch-Site", "same-origin")
        with urllib.request.urlopen(request, timeout=10) as answer:  # follows the 303 to the signer's copy
            assert answer.status == 200, answer.status

    def sign_out(self, token: str) -> None:
        BoardApi(self.base_url, token).call("POST", "/api/logout")
