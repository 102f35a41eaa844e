"""What the shore contact is sent on the charter's day: the departure manifest, and word of the return. Plain text."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from shipcaptaincrew.domain.mail import Email, header_safe

if TYPE_CHECKING:
    from shipcaptaincrew.domain.boarding import Departure, Guest
    from shipcaptaincrew.domain.bookings import Event


def departure_manifest(
    event: Event, departure: Departure, to: str, departed: datetime, capacity: int | None, operator: str
) -> Email:
    """Who is aboard (`departed`: the departure time in the operator's zone), for the shore contact to hold until
    the return: ship, captain, crew, time, each guest with minor or not and their emergency contact."""
    aboard = departure.aboard
    minors = sum(1 for guest in aboard if guest.minor)
    people = [event.captain or "", *event.crew]
    lines = [
        f"Departure manifest - {operator}",
        "",
        f"Charter:  {event.slug} ({event.details.period})",
        f"Ship:     {event.ship or 'not assigned'}" + (f" (capacity {capacity})" if capacity else ""),
        f"Captain:  {event.captain or '-'}",
        f"Crew:     {', '.join(event.crew) or '-'}",
        f"Departed: {_when(departed)}",
        f"Aboard:   {len(aboard)} guest{'s' if len(aboard) != 1 else ''} (party of {event.details.party_size})"
        f" and {sum(1 for name in people if name)} crew; minors: {minors}",
        f"Patron:   {_patron(event)}",
        "",
        "Guests aboard:",
        *(f"{number:>3}. {_guest(guest)}" for number, guest in enumerate(aboard, start=1)),
    ]
    if departure.override_reason:
        unsigned = [guest.name for guest in aboard if not guest.signed]
        lines += ["", f"Departed with a reason given: {departure.override_reason}"]
        lines += [f"Not signed: {', '.join(unsigned)}"] if unsigned else []
    lines += ["", f"Recorded by {departure.departed_by} from the day sheet. Word of the return follows."]
    subject = f"Departed {departed:%H:%M}: {event.ship or event.slug}, {len(aboard)} aboard - {event.slug}"
    return Email(header_safe(to), header_safe(subject), "\n".join(lines) + "\n")


def return_notice(
    event: Event, departure: Departure, to: str, departed: datetime, returned: datetime, operator: str
) -> Email:
    text = (
        f"{event.ship or 'The charter'} is back: {event.slug} returned at {_when(returned)}.\n"
        f"It departed at {_when(departed)} with {departure.headcount} aboard.\n"
        f"Recorded by {departure.returned_by} from the day sheet.\n\n{operator}\n"
    )
    subject = f"Returned {returned:%H:%M}: {event.ship or event.slug} - {event.slug}"
    return Email(header_safe(to), header_safe(subject), text)


def _when(moment: datetime) -> str:
    return f"{moment:%A %-d %B %Y, %H:%M} ({moment.tzname()})"


def _patron(event: Event) -> str:
    patron = event.details.patron
    name = f"{patron.first_name} {patron.last_name}".strip()
    return f"{name}, {patron.phone}" if patron.phone else name


def _guest(guest: Guest) -> str:
    age = "minor" if guest.minor else "adult" if guest.signed else "age unknown"
    signed = "" if guest.signed else ", NOT SIGNED"
    walk_up = " (walk-up)" if guest.walk_up else ""
    contact = (
        f"emergency contact {guest.emergency_name}, {guest.emergency_phone}"
        if guest.emergency_phone
        else "no emergency contact on file"
    )
    return f"{guest.name}{walk_up} - {age}{signed} - {contact}"
