"""What a day sheet page shows, as plain values for its template: times in the operator's zone, `tel:` links, and
which buttons a charter has (check-in on its day until it departs, then Returned)."""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import groupby
from typing import Any

from shipcaptaincrew.domain.boarding import Guest
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.day_sheets import DaySheet, SheetCharter
from shipcaptaincrew.web.web_settings import WebSettings


def sheet_facts(
    ctx: Context, web_settings: WebSettings, sheet: DaySheet, base: str, errors: dict[str, str]
) -> dict[str, Any]:
    """`base`: the sheet's path as the browser sees it; `errors`: a message to show on a charter, by slug."""
    as_of = sheet.as_of.astimezone(ctx.zone)
    days = [
        {
            "label": _day_label(day, sheet.today),
            "charters": [
                charter_facts(ctx, web_settings, c, sheet.today, base, errors.get(c.event.slug, "")) for c in group
            ],
        }
        for day, group in groupby(sheet.charters, key=lambda c: c.event.details.date)
    ]
    return {
        "person": sheet.person,
        "days": days,
        "as_of": f"{as_of:%H:%M}",
        "as_of_iso": as_of.isoformat(timespec="seconds"),
        "today": f"{sheet.today:%A %-d %B}",
    }


def charter_facts(
    ctx: Context, web_settings: WebSettings, charter: SheetCharter, today: date, base: str, error: str
) -> dict[str, Any]:
    event, details = charter.event, charter.event.details
    period, patron, departure = ctx.periods.get(details.period), details.patron, charter.departure
    live = details.status != "cancelled" and details.date == today
    return {
        "slug": event.slug,
        "action": f"{base}/{event.slug}",
        "error": error,
        "starts": f"{period.starts:%H:%M}",
        "ends": f"{period.ends:%H:%M}",
        "ship": event.ship,
        "capacity": charter.capacity,
        "captain": event.captain,
        "crew": ", ".join(event.crew),
        "role": charter.role,
        "meeting_point": web_settings.meeting_point,
        "patron": f"{patron.first_name} {patron.last_name}".strip(),
        "patron_phone": patron.phone,
        "patron_tel": tel(patron.phone),
        "party_size": details.party_size,
        "title": details.title,
        "notes": details.notes,
        "cancelled": details.status == "cancelled",
        "guests": [guest_facts(guest) for guest in charter.guests],
        "signed": charter.signed,
        "unsigned": charter.unsigned,
        "aboard": charter.aboard,
        "unsigned_aboard": [guest.name for guest in charter.guests if guest.aboard and not guest.signed],
        "over_capacity": charter.capacity is not None and charter.aboard > charter.capacity,
        "party_path": charter.party_path,
        "checking_in": live and departure is None,
        "departed": _time(ctx, departure.departed_at) if departure else "",
        "departed_with": departure.headcount if departure else 0,
        "returned": _time(ctx, departure.returned_at) if departure and departure.returned_at else "",
        "override_reason": departure.override_reason if departure else "",
    }


def guest_facts(guest: Guest) -> dict[str, Any]:
    return {
        "key": guest.key,
        "name": guest.name,
        "signed": guest.signed,
        "minor": guest.minor,
        "walk_up": guest.walk_up,
        "aboard": guest.aboard,
        "emergency_name": guest.emergency_name,
        "emergency_phone": guest.emergency_phone,
        "emergency_tel": tel(guest.emergency_phone),
    }


def tel(phone: str) -> str:
    """A `tel:` address for a phone number as typed: its digits, with the leading + if any."""
    digits = re.sub(r"[^0-9]", "", phone)
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}" if digits else ""


def _time(ctx: Context, moment: datetime) -> str:
    return f"{moment.astimezone(ctx.zone):%H:%M}"


def _day_label(day: date, today: date) -> str:
    name = {0: "Today", 1: "Tomorrow", -1: "Yesterday"}.get((day - today).days, f"{day:%A}")
    return f"{name}, {day:%-d %B}"
