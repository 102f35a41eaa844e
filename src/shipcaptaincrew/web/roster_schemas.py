"""Request and response shapes of the roster: ships, people, a charter's crew, a person's schedule (`roster_api.py`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from msgspec import Meta, Struct

from shipcaptaincrew.web.schemas import Closed, Email, EventOut, Name, Phone, line

RosterId = Annotated[str, Meta(min_length=1, max_length=40)]
Capacity = Annotated[int, Meta(ge=1, le=500)]
Role = Annotated[str, Meta(pattern="^(captain|crew)$")]


class ShipIn(Closed):
    name: Name
    capacity: Capacity


class ShipPatch(Closed):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    capacity: Capacity | msgspec.UnsetType = msgspec.UNSET


class ShipOut(Struct):
    id: str
    name: str
    capacity: int


class PersonIn(Closed):
    name: Name
    role: Role
    email: Email = ""
    phone: Phone = ""
    licence_expires: date | None = None
    medical_expires: date | None = None


class PersonPatch(Closed):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    role: Role | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType = msgspec.UNSET
    licence_expires: date | msgspec.UnsetType | None = msgspec.UNSET
    medical_expires: date | msgspec.UnsetType | None = msgspec.UNSET


class PersonOut(Struct):
    id: str
    name: str
    role: str
    email: str
    phone: str
    licence_expires: date | None
    medical_expires: date | None
    calendar_url: Annotated[str, Meta(description="The person's calendar feed; the address is the secret")]
    day_sheet_url: Annotated[str, Meta(description="The person's day sheet for the dock; the address is the secret")]
    day_sheet_link: Annotated[str, Meta(description="The day sheet at SCC_PUBLIC_URL, to send to the phone")]


class RosterOut(Struct):
    ships: list[ShipOut]
    people: list[PersonOut]


class AssignmentIn(Closed):
    ship: RosterId | None = None
    captain: RosterId | None = None
    crew: Annotated[list[RosterId], Meta(max_length=20)] = []  # noqa: RUF012 (msgspec copies it per instance)
    override_reason: Annotated[str, line(500)] = ""


class ScheduleOut(Struct):
    person: PersonOut
    events: list[EventOut]
