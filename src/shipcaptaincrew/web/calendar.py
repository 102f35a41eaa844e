"""A person's charters as an iCalendar feed their phone can subscribe to."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from shipcaptaincrew.domain.periods import Periods
from shipcaptaincrew.services.roster import Schedule


def calendar_bytes(schedule: Schedule, periods: Periods) -> bytes:
    """One VEVENT per charter, in the operator's local time (the period windows carry no time zone)."""
    person = schedule.person
    calendar = Calendar()
    calendar.add("prodid", "-//ShipCaptainCrew//crew calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Charters - {person.name}")
    for event in schedule.events:
        period, details, assignment = periods.get(event.details.period), event.details, event.assignment
        role = "captain" if assignment.captain and assignment.captain.id == person.id else "crew"
        entry = Event()
        entry.add("uid", f"{event.slug}/{person.id}@shipcaptaincrew")
        entry.add("dtstamp", event.updated_at)
        entry.add("dtstart", datetime.combine(details.date, period.starts))
        entry.add("dtend", datetime.combine(details.date, period.ends))
        entry.add("summary", f"{role.capitalize()}: {event.ship or 'ship to be assigned'} - {details.period} charter")
        lines = [
            f"Party of {details.party_size}" + (f": {details.title}" if details.title else ""),
            f"Captain: {event.captain or '-'}",
            f"Crew: {', '.join(event.crew) or '-'}",
            *(f"Conflict: {conflict.message}" for conflict in assignment.conflicts),
            f"Reference: {event.slug}",
        ]
        entry.add("description", "\n".join(lines))
        entry.add("status", "CANCELLED" if details.status == "cancelled" else "CONFIRMED")
        calendar.add_component(entry)
    return bytes(calendar.to_ical())
