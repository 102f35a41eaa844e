"""Builders for the things tests need many of, so each test states only what matters to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from shipcaptaincrew.domain.events import EventDetails, Patron

PASSWORD = "correct horse battery"


def event_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "date": "2026-05-23",
        "period": "pm",
        "patron": {"first_name": "Sarah", "last_name": "Lopez", "email": "sarah@example.org", "phone": "+1 555 0100"},
        "party_size": 8,
        "amount_due": "900.00",
    }
    body.update(overrides)
    return body


def event_details(
    day: date = date(2026, 5, 23), period: str = "pm", first_name: str = "Sarah", **more: Any
) -> EventDetails:
    return EventDetails(day, period, Patron(first_name, "Lopez"), more.pop("party_size", 6), **more)


def payment_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": "2026-05-23-sarah-pm",
        "patron_name": "Sarah Lopez",
        "amount": "400.00",
        "payment_method": "venmo",
    }
    body.update(overrides)
    return body
