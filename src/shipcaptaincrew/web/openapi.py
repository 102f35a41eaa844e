"""The OpenAPI 3.1 document, generated from the msgspec schemas and one table of operations."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import msgspec

from shipcaptaincrew import __version__
from shipcaptaincrew.web import roster_schemas, schemas, waiver_schemas
from shipcaptaincrew.web.errors import ErrorOut


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    response: type | None
    status: int = 200
    body: type | None = None
    public: bool = False
    errors: tuple[int, ...] = (400,)
    query: tuple[tuple[str, str, str], ...] = ()
    headers: dict[str, str] = field(default_factory=dict)


WINDOW = (
    ("from", "date", "First day of the window (default today)"),
    ("to", "date", "Last day, inclusive (default 13 days after from)"),
    ("cursor", "string", "next_cursor from the previous page"),
    ("limit", "limit", "Events per page, 1-500 (default 200; 50 with q)"),
    (
        "q",
        "search",
        "Search every date instead of a window: each word in the patron's name, email or phone, or the "
        "slug (a phone matches by its digits); from, to and cursor are then not used",
    ),
)

OPERATIONS = (
    Operation("post", "/api/login", "Sign in (JSON only); returns a bearer token", schemas.TokenOut,
              body=schemas.LoginIn, public=True, errors=(400, 401, 415, 429, 503)),
    Operation("post", "/api/logout", "Sign out: revoke this token", None, status=204, errors=(401,)),
    Operation("get", "/api/events", "Events in a date window (or found by q), by date and period; an If-None-Match "
              "naming the ETag of the data unchanged since is answered 304", schemas.EventPageOut,
              query=WINDOW),
    Operation("post", "/api/events", "Book an event; the slug is built unless given", schemas.EventOut, status=201,
              body=schemas.EventIn, errors=(400, 409)),
    Operation("get", "/api/events/{slug}", "One event, by slug or old slug", schemas.EventDetailOut, errors=(404,)),
    Operation("patch", "/api/events/{slug}", "Change an event; `version` must be current", schemas.EventDetailOut,
              body=schemas.EventPatch, errors=(400, 404, 409)),
    Operation("post", "/api/payment-log", "Log a payment; send Idempotency-Key to make retries safe (a replay is "
              "marked Idempotent-Replayed: true). An amount more than ten times what is owed is a 409 (code "
              "confirm_required, field amount) until sent with confirm: true",
              schemas.PaymentLogOut, status=201, body=schemas.PaymentIn, errors=(400, 404, 409, 422)),
    Operation("post", "/api/refund-log", "Log a refund (money back to the patron, at most what was paid net)",
              schemas.PaymentLogOut, status=201, body=schemas.RefundIn, errors=(400, 404, 422)),
    Operation("post", "/api/events/{slug}/cancel", "Cancel a charter for a reason; what was paid beyond what is kept "
              "is a refund due", schemas.EventDetailOut, body=schemas.CancelIn, errors=(400, 404, 409)),
    Operation("post", "/api/events/{slug}/reschedule", "Move a charter to another day or period; the patron is told",
              schemas.EventDetailOut, body=schemas.RescheduleIn, errors=(400, 404, 409)),
    Operation("post", "/api/events/{slug}/rain-check", "Move a cancelled charter's refund due onto another booking of "
              "the same patron, as a credit", schemas.RainCheckOut, status=201, body=schemas.RainCheckIn,
              errors=(400, 404)),
    Operation("post", "/api/weather-call", "Cancel or move every live charter of some periods of a day (dry_run: "
              "what would happen, who would be emailed, the money)", schemas.WeatherCallOut,
              body=schemas.WeatherCallIn, errors=(400,)),
    Operation("get", "/api/outbox", "The newest emails, queued and sent, with their text", schemas.OutboxOut,
              query=(("limit", "limit", "How many, newest first, 1-200 (default 50)"),)),
    Operation("post", "/api/events/{slug}/send-link", "Email the patron the party's link again",
              schemas.EventDetailOut, errors=(400, 404, 409)),
    Operation("post", "/api/payments/{entry_id}/reverse", "Reverse a payment (appends a reversal entry)",
              schemas.PaymentLogOut, status=201, body=schemas.ReverseIn, errors=(400, 404, 409)),
    Operation("get", "/api/events/{slug}/payments", "An event's ledger with the running balance",
              schemas.StatementOut, errors=(404,)),
    Operation("get", "/api/waiver", "The waiver text guests sign now (409 waiver_not_ready until one is set)",
              waiver_schemas.WaiverOut, errors=(409,)),
    Operation("put", "/api/waiver", "Add a new immutable waiver version", waiver_schemas.WaiverOut,
              body=waiver_schemas.WaiverIn),
    Operation("get", "/api/events/{slug}/waivers", "An event's signatures, each counted, superseded or voided",
              waiver_schemas.SignatureListOut, errors=(404,)),
    Operation("post", "/api/waivers/{signature_id}/void", "Void a signature (appends a void record; it stays)",
              waiver_schemas.VoidOut, body=waiver_schemas.VoidIn, errors=(400, 404, 409)),
    Operation("post", "/api/events/{slug}/guest-link/rotate", "Give the event a new guest link; the old one dies",
              schemas.EventOut, errors=(404,)),
    Operation("get", "/api/config", "The operator's periods and payment methods", schemas.ChoicesOut, errors=()),
    Operation("get", "/api/roster", "Every ship and person on the roster", roster_schemas.RosterOut, errors=()),
    Operation("post", "/api/ships", "Put a ship on the roster", roster_schemas.ShipOut, status=201,
              body=roster_schemas.ShipIn, errors=(400, 409)),
    Operation("patch", "/api/ships/{ship_id}", "Rename a ship or change its capacity", roster_schemas.ShipOut,
              body=roster_schemas.ShipPatch, errors=(400, 404, 409)),
    Operation("post", "/api/people", "Put a captain or crew member on the roster", roster_schemas.PersonOut, status=201,
              body=roster_schemas.PersonIn),
    Operation("patch", "/api/people/{person_id}", "Change a person's details", roster_schemas.PersonOut,
              body=roster_schemas.PersonPatch, errors=(400, 404)),
    Operation("delete", "/api/ships/{ship_id}", "Retire a ship; 409 names the upcoming charters it is on", None,
              status=204, errors=(404, 409)),
    Operation("delete", "/api/people/{person_id}", "Retire a person; 409 names the upcoming charters they are on",
              None, status=204, errors=(404, 409)),
    Operation("get", "/api/people/{person_id}/schedule", "A person's charters for the next 90 days",
              roster_schemas.ScheduleOut, errors=(404,)),
    Operation("post", "/api/people/{person_id}/calendar/rotate",
              "A new calendar link for the person; the old one answers 404", roster_schemas.PersonOut, errors=(404,)),
    Operation("post", "/api/people/{person_id}/day-sheet/rotate",
              "A new day-sheet link for the person; the old one answers 404", roster_schemas.PersonOut, errors=(404,)),
    Operation("put", "/api/events/{slug}/assignment",
              "Assign ship, captain and crew; conflicts need override_reason (409 lists them)", schemas.EventOut,
              body=roster_schemas.AssignmentIn, errors=(400, 404, 409)),
    Operation("get", "/cal/{token}.ics", "A person's calendar feed (iCalendar); the address is the secret", None,
              public=True, errors=(404,)),
    Operation("get", "/healthz", "Liveness", schemas.HealthOut, public=True, errors=()),
)  # fmt: skip

REF = "#/components/schemas/{name}"
QUERY_KINDS: dict[str, dict[str, Any]] = {
    "date": {
        "anyOf": [
            {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            {"type": "string", "maxLength": 0, "description": "empty: the default"},
        ]
    },
    "string": {"type": "string", "maxLength": 200},
    "limit": {"type": "integer", "minimum": 1, "maximum": 500},
    "search": {"type": "string", "maxLength": 100},
}
_ID = {"type": "string", "minLength": 1, "maxLength": 40, "pattern": "^[A-Za-z0-9_-]+$"}
PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "slug": {"type": "string", "minLength": 1, "maxLength": 80, "examples": ["2026-05-23-sarah-pm"]},
    "entry_id": _ID,
    "ship_id": _ID,
    "person_id": _ID,
    "token": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$"},
}


@functools.cache
def cached_document(periods: tuple[str, ...], methods: tuple[str, ...]) -> dict[str, Any]:
    """Built on the first request for it, not at start-up (cold start)."""
    return document(periods, methods)


def document(periods: tuple[str, ...], methods: tuple[str, ...]) -> dict[str, Any]:
    """The document for an operator whose configured periods and payment methods are these (they are enums)."""
    kinds = {kind for op in OPERATIONS for kind in (op.body, op.response) if kind is not None}
    (_, components) = msgspec.json.schema_components(
        [*sorted(kinds, key=lambda k: k.__name__), ErrorOut], ref_template=REF
    )
    _choices(components, periods, methods)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "ShipCaptainCrew", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _operation(op: Operation) -> dict[str, Any]:
    spec: dict[str, Any] = {"summary": op.summary, "responses": _responses(op)}
    parameters = [_query(name, kind, text) for name, kind, text in op.query]
    for name, schema in PATH_PARAMETERS.items():
        if f"{{{name}}}" in op.path:
            parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    if parameters:
        spec["parameters"] = parameters
    if op.body is not None:
        spec["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(op.body)}}}
    if not op.public:
        spec["security"] = [{"bearer": []}]
    return spec


def _responses(op: Operation) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": "OK"}
    if op.response is not None:
        ok["content"] = {"application/json": {"schema": _ref(op.response)}}
    codes = set(op.errors) | (set() if op.public else {401}) | ({400, 413} if op.body else set())
    if op.method != "get":  # a change that lost every race with other writers: nothing saved, Retry-After
        codes.add(503)
    error = {"content": {"application/json": {"schema": _ref(ErrorOut)}}}
    return {str(op.status): ok, **{str(code): {"description": "Error", **error} for code in sorted(codes)}}


def _query(name: str, kind: str, text: str) -> dict[str, Any]:
    schema = QUERY_KINDS[kind]
    return {"name": name, "in": "query", "required": False, "description": text, "schema": schema}


def _choices(components: dict[str, Any], periods: tuple[str, ...], methods: tuple[str, ...]) -> None:
    """The configured periods are enums wherever a request names one; the payment methods are the configured
    names in any case (`CASH` is `cash`), which an enum cannot say, so a pattern lists them."""
    for name, schema in components.items():
        fields = schema.get("properties", {})
        if "period" in fields and name.endswith(("In", "Patch")):
            fields["period"] = {**fields["period"], "enum": list(periods)}
        if "payment_method" in fields and name.endswith("In"):
            described = f"One of {', '.join(methods)}, in any case"
            fields["payment_method"] = {
                **fields["payment_method"],
                "pattern": _any_case(methods),
                "examples": list(methods),
                "description": described,
            }


def _any_case(names: tuple[str, ...]) -> str:
    """A pattern matching exactly one of `names` (lowercase ASCII, digits and `_`), letters in either case."""
    spelled = ("".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in name) for name in names)
    return f"^({'|'.join(spelled)})$"


def _ref(kind: type) -> dict[str, str]:
    return {"$ref": REF.format(name=kind.__name__)}
