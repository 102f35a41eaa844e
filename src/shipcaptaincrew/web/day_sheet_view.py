"""What a day sheet page shows, as plain values for its template: times in the operator's zone, `tel:` links."""

from __future__ import annotations

import re
from datetime import date
from itertools import groupby
from typing import Any

from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.day_sheets import DaySheet, SheetCharter
from shipcaptaincrew.web.site import Site


def sheet_facts(ctx: Context, site: Site, sheet: DaySheet) -> dict[str, Any]:
    as_of = sheet.as_of.astimezone(ctx.zone)
    days = [{"label": _day_label(day, sheet.today), "charters": [charter_facts(ctx, site, c) for c in charters]}
            for day, charters in groupby(sheet.charters, key=lambda c: c.event.details.date)]  # fmt: skip
    return {
        "person": sheet.person,
        "days": days,
        "as_of": as_of.strftime("%H:%M"),
        "as_of_iso": as_of.isoformat(timespec="seconds"),
        "today": sheet.today.strftime("%A %-d %B"),
    }


def charter_facts(ctx: Context, site: Site, charter: SheetCharter) -> dict[str, Any]:
    event, details = charter.event, charter.event.details
    period = ctx.periods.get(details.period)
    patron = details.patron
    return {
        "slug": event.slug,
        "period": period.name,
        "starts": period.starts.strftime("%H:%M"),
        "ends": period.ends.strftime("%H:%M"),
        "ship": event.ship,
        "capacity": charter.capacity,
        "captain": event.captain,
        "crew": ", ".join(event.crew),
        "role": charter.role,
        "meeting_point": site.meeting_point,
        "patron": f"{patron.first_name} {patron.last_name}".strip(),
        "patron_phone": patron.phone,
        "patron_tel": tel(patron.phone),
        "party_size": details.party_size,
        "title": details.title,
        "notes": details.notes,
        "cancelled": details.status == "cancelled",
        "signed": [guest_facts(s.guest_name, s.minor, s.emergency_name, s.emergency_phone) for s in charter.signed],
        "unsigned": charter.unsigned,
        "party_path": charter.party_path,
    }


def guest_facts(name: str, minor: bool, emergency_name: str, emergency_phone: str) -> dict[str, Any]:
    return {"name": name, "minor": minor, "emergency_name": emergency_name, "emergency_phone": emergency_phone,
            "emergency_tel": tel(emergency_phone)}  # fmt: skip


def tel(phone: str) -> str:
    """A `tel:` address for a phone number as typed: its digits, with the leading + if any."""
    digits = re.sub(r"[^0-9]", "", phone)
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}" if digits else ""


def _day_label(day: date, today: date) -> str:
    name = "Today" if day == today else "Tomorrow" if (day - today).days == 1 else f"{day:%A}"
    return f"{name}, {day:%-d %B}"
