"""The dock on a charter's day: who is aboard, the departure with its manifest, and the return.

A guest on the check-in list is a signer (one per person, as `waivers.counted` counts them) or a walk-up the crew
added by name. A walk-up whose name a counted signature carries (they signed on the crew's phone) is that signer:
one line, signed. Someone ticked aboard whose signature was voided since stays aboard, as not signed. Departing
with anyone aboard who has not signed, or with more guests than the ship may carry, needs a reason.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from shipcaptaincrew.domain.bookings import DockState, Event
from shipcaptaincrew.domain.errors import Conflict, InvalidInput
from shipcaptaincrew.domain.text import clean_line
from shipcaptaincrew.domain.waivers import Signature, signer

BOARDING, DEPARTED, RETURNED = "boarding", "departed", "returned"
STATUSES = ("", BOARDING, DEPARTED, RETURNED)
KEY_LENGTH = 21  # a letter and 20 hex digits


@dataclass(frozen=True)
class CheckIn:
    """A guest's line as stored: the crew's last tap set them aboard or ashore."""

    guest: str
    name: str
    walk_up: bool
    aboard: bool
    actor: str
    at: datetime
    added_at: datetime
    """When the line was first recorded: walk-ups are listed in that order."""


@dataclass(frozen=True)
class Guest:
    """A line of the check-in list, and of the manifest."""

    key: str
    name: str
    signed: bool
    minor: bool = False
    emergency_name: str = ""
    emergency_phone: str = ""
    walk_up: bool = False
    aboard: bool = False


@dataclass(frozen=True)
class Departure:
    """The charter left the dock: when, who said so, who was aboard (the manifest), why despite what; the return."""

    departed_at: datetime
    departed_by: str
    aboard: tuple[Guest, ...]
    override_reason: str = ""
    returned_at: datetime | None = None
    returned_by: str = ""

    @property
    def headcount(self) -> int:
        return len(self.aboard)


class NeedsOverride(Conflict):
    """Departing as things stand needs a reason: someone aboard has not signed, or the ship is over capacity."""

    code = "override_needed"

    def __init__(self, reasons: tuple[str, ...]) -> None:
        super().__init__(f"{'; '.join(reasons)}. Give a reason to depart anyway", "override_reason")
        self.reasons = reasons


class AlreadyDeparted(Conflict):
    """The charter has a departure already (another tap, a moment earlier)."""

    code = "already_departed"


def folded(name: str) -> str:
    """A name without case, accents or extra spaces, as `waivers.signer` compares signers."""
    letters = unicodedata.normalize("NFKD", name)
    return " ".join("".join(char for char in letters if not unicodedata.combining(char)).casefold().split())


def signer_key(signature: Signature) -> str:
    return "s" + _digest("|".join(signer(signature)))


def walk_up_key(name: str) -> str:
    return "w" + _digest(folded(name))


def is_key(text: str) -> bool:
    return len(text) == KEY_LENGTH and text[0] in "sw" and all(char in "0123456789abcdef" for char in text[1:])


def walk_up_name(name: str) -> str:
    return clean_line(name, "name", max_len=120)


def roll(signatures: Iterable[Signature], check_ins: Iterable[CheckIn]) -> list[Guest]:
    """The check-in list: each counted signer (a walk-up who signed on their walk-up line), then the walk-ups in
    the order they were added, then anyone aboard who no longer has a signature that counts."""
    signed, stored = list(signatures), {check.guest: check for check in check_ins}
    walk_ups = sorted((c for c in stored.values() if c.walk_up), key=lambda c: (c.added_at, c.guest))
    claimed = _claims(walk_ups, signed)
    guests = [_signer(s, stored.get(signer_key(s))) for s in signed if s.id not in claimed.values()]
    guests += [
        _walk_up(check, next((s for s in signed if s.id == claimed.get(check.guest)), None)) for check in walk_ups
    ]
    known = {guest.key for guest in guests} | {signer_key(s) for s in signed}
    guests += [Guest(c.guest, c.name, False, aboard=True) for c in stored.values() if c.aboard and c.guest not in known]
    return guests


def tapped(guest: Guest, aboard: bool, current: CheckIn | None, actor: str, now: datetime) -> CheckIn | None:
    """The guest's line after a tap setting them aboard (or ashore); None when the tap changes nothing."""
    if guest.aboard == aboard:
        return None
    added = current.added_at if current is not None else now
    return CheckIn(guest.key, guest.name, guest.walk_up, aboard, actor, now, added)


def with_tap(guests: list[Guest], key: str, aboard: bool) -> list[Guest]:
    return [replace(guest, aboard=aboard) if guest.key == key else guest for guest in guests]


def boarding_state(guests: Iterable[Guest]) -> DockState:
    aboard = sum(1 for guest in guests if guest.aboard)
    return DockState(BOARDING if aboard else "", aboard)


def check_the_day(event: Event, today: date) -> None:
    """Check-in and departure happen on the charter's own day (in the operator's zone), never for a cancelled one."""
    if event.details.status == "cancelled":
        raise Conflict(f"{event.slug} was cancelled: there is no check-in", "slug")
    if event.details.date != today:
        raise Conflict(f"{event.slug} is on {event.details.date}: check-in opens on its day", "slug")


def depart(guests: list[Guest], capacity: int | None, reason: str, actor: str, now: datetime) -> Departure:
    """The departure of the guests ticked aboard. Raise InvalidInput if nobody is aboard, NeedsOverride if someone
    aboard has not signed or the ship is over capacity and no reason is given."""
    aboard = tuple(guest for guest in guests if guest.aboard)
    if not aboard:
        raise InvalidInput("nobody is checked in: tick the guests aboard before departing", "aboard")
    why = clean_line(reason, "override_reason", max_len=300, required=False)
    reasons = override_reasons(aboard, capacity)
    if reasons and not why:
        raise NeedsOverride(reasons)
    return Departure(now, actor, aboard, why if reasons else "")


def override_reasons(aboard: tuple[Guest, ...], capacity: int | None) -> tuple[str, ...]:
    unsigned = [guest.name for guest in aboard if not guest.signed]
    found = [f"not signed: {', '.join(unsigned)}"] if unsigned else []
    if capacity is not None and len(aboard) > capacity:
        found.append(f"{len(aboard)} aboard is over the ship's capacity of {capacity}")
    return tuple(found)


def returned(departure: Departure, actor: str, now: datetime) -> Departure:
    return replace(departure, returned_at=now, returned_by=actor)


def dock_state(departure: Departure) -> DockState:
    status = RETURNED if departure.returned_at else DEPARTED
    return DockState(status, departure.headcount, departure.departed_at, departure.returned_at)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[: KEY_LENGTH - 1]


def _claims(walk_ups: list[CheckIn], signed: list[Signature]) -> dict[str, str]:
    """Walk-up key -> the id of the signature that is theirs: the first by the same name not taken by another."""
    claims: dict[str, str] = {}
    for check in walk_ups:
        match = next(
            (s for s in signed if folded(s.guest_name) == folded(check.name) and s.id not in claims.values()), None
        )
        if match is not None:
            claims[check.guest] = match.id
    return claims


def _signer(signature: Signature, check: CheckIn | None) -> Guest:
    return Guest(
        signer_key(signature),
        signature.guest_name,
        True,
        signature.minor,
        signature.emergency_name,
        signature.emergency_phone,
        aboard=check is not None and check.aboard,
    )


def _walk_up(check: CheckIn, signature: Signature | None) -> Guest:
    if signature is None:
        return Guest(check.guest, check.name, False, walk_up=True, aboard=check.aboard)
    return Guest(
        check.guest,
        check.name,
        True,
        signature.minor,
        signature.emergency_name,
        signature.emergency_phone,
        walk_up=True,
        aboard=check.aboard,
    )
