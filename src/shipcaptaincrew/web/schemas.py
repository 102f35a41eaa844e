"""Request and response shapes: they validate input, encode output and generate the OpenAPI document. Here the
field kinds every shape uses, and the shapes of charters, payments, the weather call and health;
`waiver_schemas.py` and `roster_schemas.py` hold those of the waiver and the roster."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Raw, Struct, field

from shipcaptaincrew.domain.text import CONTROL_RANGES, EMAIL_PATTERN, PHONE_PATTERN


def _control_class(allowed: str = "") -> str:
    """The domain's control characters as a regex character class body, less `allowed`.

    Surrogates are left out: they cannot arrive in UTF-8, and a pattern cannot hold them.
    """
    keep = [(max(low, 0xE000) if low == 0xD800 else low, high) for low, high in CONTROL_RANGES]
    for char in allowed:
        keep = [part for low, high in keep for part in _without(low, high, ord(char)) if part[0] <= part[1]]
    return "".join(_escape(low) if low == high else f"{_escape(low)}-{_escape(high)}" for low, high in keep)


def _without(low: int, high: int, point: int) -> list[tuple[int, int]]:
    return [(low, point - 1), (point + 1, high)] if low <= point <= high else [(low, high)]


def _escape(point: int) -> str:
    return f"\\x{point:02x}" if point < 0x100 else chr(point)


_C = _control_class()
_NO_CONTROL = "no control characters or line breaks"


def line(max_length: int, *, required: bool = False, allowed: str = "") -> Meta:
    """A line of at most `max_length` characters, as the domain cleans it; the pattern is bounded so it generates."""
    forbidden = _control_class(allowed) if allowed else _C
    pattern = (
        f"^[^\\s{forbidden}][^{forbidden}]{{0,{max_length - 1}}}$"
        if required
        else f"^[^{forbidden}]{{0,{max_length}}}$"
    )
    text = "Free text: newlines and tabs allowed" if allowed else f"One line, {_NO_CONTROL}"
    return Meta(min_length=int(required), max_length=max_length, pattern=pattern, description=text)


ShortLine = Annotated[str, line(60)]
Name = Annotated[str, line(60, required=True)]
Line = Annotated[str, line(120)]
Text = Annotated[str, line(4000, allowed="\t\n")]
_EMAIL = EMAIL_PATTERN.replace("\\s", "\\s" + _C)
Email = Annotated[str, Meta(max_length=254, pattern=f"^$|^{_EMAIL}$")]
Phone = Annotated[str, Meta(max_length=32, pattern=f"^$|^(?=(?:[^0-9]*[0-9]){{5}}){PHONE_PATTERN}$")]
Period = Annotated[str, Meta(pattern="^[a-z]{1,12}$", description="One of the configured periods, e.g. am, pm")]
Slug = Annotated[str, Meta(min_length=1, max_length=80, examples=["2026-05-23-sarah-pm"])]
PartySize = Annotated[int, Meta(ge=1, le=500)]
Version = Annotated[int, Meta(ge=1, le=2**31)]
Status = Literal["booked", "cancelled", "completed"]
AMOUNT_TEXT = r"^(?!0*(\.0{1,2})?$)[0-9]{1,9}(\.[0-9]{1,2})?$"
_AMOUNT_SCHEMA = [
    {"type": "string", "pattern": AMOUNT_TEXT},
    {"type": "integer", "minimum": 1, "maximum": 999_999_999},
]
_AMOUNT_TEXT = (
    'Dollars with at most two decimals, as a string ("125.50") or a whole number (125); at most 999,999,999.99'
)
Amount = Annotated[
    Raw,
    Meta(
        description=f"{_AMOUNT_TEXT}; null for none",
        extra_json_schema={"anyOf": [*_AMOUNT_SCHEMA, {"type": "null"}], "examples": ["125.50"]},
    ),
]
PaymentAmount = Annotated[
    Raw, Meta(description=_AMOUNT_TEXT, extra_json_schema={"anyOf": _AMOUNT_SCHEMA, "examples": ["125.50"]})
]


def _null() -> Raw:
    return Raw(b"null")


class Closed(Struct, forbid_unknown_fields=True):
    """Request bodies refuse fields they do not know."""


class PatronIn(Closed):
    first_name: Name
    last_name: ShortLine = ""
    email: Email = ""
    phone: Phone = ""


class EventIn(Closed):
    date: date
    period: Period
    patron: PatronIn
    party_size: PartySize
    slug: Slug | None = None
    title: Line = ""
    notes: Text = ""
    amount_due: Amount = field(default_factory=_null)
    reminders: bool = True


class PatronPatch(Closed, omit_defaults=True):
    first_name: Name | msgspec.UnsetType = msgspec.UNSET
    last_name: ShortLine | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType = msgspec.UNSET


class EventPatch(Closed):
    version: Version
    date: date | msgspec.UnsetType = msgspec.UNSET
    period: Period | msgspec.UnsetType = msgspec.UNSET
    patron: PatronPatch | msgspec.UnsetType = msgspec.UNSET
    party_size: PartySize | msgspec.UnsetType = msgspec.UNSET
    title: Line | msgspec.UnsetType = msgspec.UNSET
    notes: Text | msgspec.UnsetType = msgspec.UNSET
    amount_due: Amount | msgspec.UnsetType = msgspec.UNSET
    status: Status | msgspec.UnsetType = msgspec.UNSET
    reminders: bool | msgspec.UnsetType = msgspec.UNSET


class LoginIn(Closed):
    password: Annotated[str, Meta(min_length=1, max_length=1024)]


class TokenOut(Struct):
    token: str
    expires_at: datetime


class PatronOut(Struct):
    first_name: str
    last_name: str
    email: str
    phone: str


class ConflictOut(Struct):
    kind: Annotated[
        str,
        Meta(
            examples=[
                "person_double_booked",
                "ship_double_booked",
                "over_capacity",
                "licence_expired",
                "medical_expired",
            ]
        ),
    ]
    message: str
    other: Annotated[str, Meta(description="The clashing event's slug, for a double booking")] = ""
    overridden: Annotated[bool, Meta(description="Accepted by the override_reason; false if it appeared later")] = False


class EventOut(Struct):
    slug: str
    slug_conforming: bool
    date: date
    period: str
    patron: PatronOut
    party_size: int
    title: str
    notes: str
    amount_due_cents: int | None
    status: str
    reminders: bool
    ship: str | None
    captain: str | None
    crew: list[str]
    ship_id: str | None
    captain_id: str | None
    crew_ids: list[str]
    conflicts: list[ConflictOut]
    override_reason: Annotated[str, Meta(description="Why the conflicts were accepted; empty when there are none")]
    payment_cleared: bool
    payment_cleared_at: datetime | None
    paid_cents: int
    balance_cents: int
    refund_due_cents: int
    """A cancelled charter's money to send back: paid beyond what the operator keeps (0 for a live one)."""
    waivers_signed: int
    guest_url: str
    guest_link: Annotated[
        str,
        Meta(description="The party page's full address (SCC_PUBLIC_URL), for the board's link and QR code"),
    ]
    version: int
    created_at: datetime
    updated_at: datetime
    dock_status: Annotated[Literal["", "boarding", "departed", "returned"], Meta(description="At the dock, today")]
    aboard: Annotated[int, Meta(description="Guests checked in aboard (at departure: the manifest's headcount)")]
    departed_at: datetime | None
    returned_at: datetime | None


class EventDetailOut(EventOut):
    aliases: list[str] = []


class EventPageOut(Struct):
    events: list[EventOut]
    next_cursor: str | None


class OutboxMessageOut(Struct):
    id: str
    kind: Annotated[str, Meta(examples=["confirmation", "receipt", "cancellation"])]
    to: str
    subject: str
    status: Annotated[str, Meta(examples=["pending", "sent", "waiting", "dead"])]
    created_at: datetime
    text: Annotated[str, Meta(description="The plain text part, as the recipient reads it")]


class OutboxOut(Struct):
    messages: list[OutboxMessageOut]


class MailHealthOut(Struct):
    transport: Annotated[str, Meta(examples=["gmail"])]
    waiting_for_credentials: Annotated[
        int, Meta(description="Messages kept in the outbox until the transport has credentials again; warn when > 0")
    ]


class HealthOut(Struct):
    status: str
    version: str
    mail: MailHealthOut | None = None
    waiver_ready: Annotated[
        bool, Meta(description="False until the operator sets the waiver text: guests cannot sign until then")
    ] = True
    waiver_next_step: Annotated[
        str, Meta(description="While the waiver text is not set, what to run to set it; empty once it is")
    ] = ""


class MoneyIn(Closed):
    """What a payment and a refund both carry."""

    event_id: Slug
    patron_name: Annotated[str, line(120, required=True)]
    amount: PaymentAmount
    payment_method: Annotated[str, Meta(min_length=1, max_length=20, examples=["cash", "check", "venmo"])]
    reference: Annotated[Line, Meta(description="Check number, Venmo handle, transaction id")] = ""
    note: Annotated[str, line(1000, allowed="\t\n")] = ""
    received_on: date | None = None


class PaymentIn(MoneyIn):
    confirm: Annotated[
        bool,
        Meta(
            description="Log an amount more than ten times what is owed (the balance due, or the price once paid); "
            "without it such an amount is a 409 with code confirm_required naming amount"
        ),
    ] = False


class RefundIn(MoneyIn):
    """A refund: the money's way back to the patron; the fields of a payment (a refund is capped at what was paid,
    so it needs no confirmation)."""


class RainCheckIn(Closed):
    to_event: Slug
    """The booking of the same patron that takes the credit."""
    amount: Amount | msgspec.UnsetType = msgspec.UNSET
    """How much of the refund due moves; unset: all of it."""


class RainCheckOut(Struct):
    left: EntryOut
    arrived: EntryOut
    event: EventOut
    target: EventOut


class CancelIn(Closed):
    reason: Annotated[str, line(300, required=True)]
    keep: Amount | msgspec.UnsetType = msgspec.UNSET
    """What the operator keeps of what was due (a cancellation fee); unset: nothing, everything paid is due back."""
    version: Version | msgspec.UnsetType = msgspec.UNSET


class RescheduleIn(Closed):
    date: date
    period: Period
    version: Version


Day = date  # a type name a field called `date` cannot hide


class WeatherCallIn(Closed):
    date: Day
    periods: Annotated[list[Period], Meta(min_length=1, max_length=12)]
    action: Literal["cancel", "reschedule"]
    reason: Annotated[str, line(300, required=True)]
    to_date: Day | None = None
    to_period: Period | None = None
    dry_run: bool = False


class WeatherOutcomeOut(Struct):
    slug: str
    result: str
    new_slug: str | None
    paid_cents: int
    refund_due_cents: int
    emailed: list[str]
    conflicts: list[str]
    error: str


class WeatherTotalsOut(Struct):
    charters: int
    failed: int
    refund_due_cents: int
    emails: int


class WeatherCallOut(Struct):
    dry_run: bool
    charters: list[WeatherOutcomeOut]
    totals: WeatherTotalsOut


class ReverseIn(Closed):
    reason: Annotated[str, line(500, required=True)]


class EntryOut(Struct):
    id: str
    event_id: str
    kind: str
    amount_cents: int
    payment_method: str
    patron_name: str
    reference: str
    note: str
    received_on: date | None
    actor: str
    recorded_at: datetime
    reverses: str | None
    reason: str


class PaymentLogOut(Struct):
    payment: EntryOut
    event: EventOut


class StatementLineOut(Struct):
    entry: EntryOut
    balance_cents: int
    reversed: bool


class StatementOut(Struct):
    event: EventOut
    entries: list[StatementLineOut]


class PeriodOut(Struct):
    name: str
    starts: str
    ends: str


class ChoicesOut(Struct):
    periods: list[PeriodOut]
    payment_methods: list[str]
