"""What the guest attacks share: booking through the API, opening a waiver form and signing it as a browser does."""

from __future__ import annotations

import re
import urllib.parse
from datetime import date
from typing import Any

from tests.builders import event_body
from tests.security.conftest import Answer, Server

FORM = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}


def book(server: Server, day: date, first_name: str = "Sarah", period: str = "pm", **fields: Any) -> dict[str, Any]:
    body = event_body(date=day.isoformat(), period=period, patron={"first_name": first_name}, **fields)
    created = server.api("POST", "/api/events", body)
    assert created.status == 201, created.body
    return created.json()


def hidden_fields(html: bytes) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html.decode()))


def answers(name: str = "Ana Lima", born: str = "1990-04-23", **more: str) -> dict[str, str]:
    return {
        "guest_name": name,
        "email": "",
        "phone": "",
        "date_of_birth": born,
        "emergency_name": "Rui Lima",
        "emergency_phone": "+1 555 0112",
        "typed_signature": name,
        "consent": "yes",
        "agreement": "yes",
        **more,
    }


def open_form(server: Server, party: str) -> dict[str, str]:
    page = server.send("GET", f"{party}/waiver")
    assert page.status == 200, page.status
    return hidden_fields(page.body)


def post_form(server: Server, party: str, fields: dict[str, str], **headers: str) -> Answer:
    body = urllib.parse.urlencode(fields).encode()
    return server.send("POST", f"{party}/waiver", body, {**FORM, **headers})


def sign(server: Server, party: str, **more: str) -> Answer:
    """Open the form and sign it, as a guest's browser does; the answer is the redirect to the signer's copy."""
    return post_form(server, party, {**open_form(server, party), **answers(**more)})


def signed_count(server: Server, slug: str) -> int:
    return int(server.api("GET", f"/api/events/{slug}").json()["waivers_signed"])  # type: ignore[call-overload]
