"""Moving an operator's whole data between stores: `scc export --jsonl` and `scc import --jsonl`.

The file is JSON Lines, UTF-8, one object a line, canonical (sorted keys, no spaces), so the same data gives the
same bytes from either store. The first line is the header `{"format":"scc-transfer","version":4}`; then one
record a line, `type` naming its kind, kinds in the order of KINDS (which is also the order they are loaded in,
so what a record points at is there before it), and within a kind by KEYS. Times are the ISO text the store
holds; money is integer cents; an idempotency key names the ledger entry it made.

Importing checks every line first (and what records point at) and writes nothing if one is wrong; then the
store's Transfer writes the records as they are. No use case runs: no receipt is queued, no audit entry added.
Secrets are left out of an export unless asked for, and made anew by an import that finds them missing
(transfer_secrets.py).
"""

from __future__ import annotations

import binascii
import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any

from shipcaptaincrew.domain.errors import Conflict, InvalidInput
from shipcaptaincrew.ports import Record, Transfer
from shipcaptaincrew.services.transfer_checks import check_references
from shipcaptaincrew.services.transfer_secrets import refilled, without_secrets

FORMAT, VERSION = "scc-transfer", 4
READABLE = (1, 2, 3, VERSION)
HEADER: Record = {"format": FORMAT, "version": VERSION}

_EVENT = {
    "slug": "str", "aliases": "strs", "date": "day", "period": "str", "period_starts": "str",
    "patron_first_name": "str", "patron_last_name": "str", "patron_email": "str", "patron_phone": "str",
    "party_size": "int", "title": "str", "notes": "str", "amount_due_cents": "int?", "status": "str",
    "ship_id": "str?", "captain_id": "str?", "crew_ids": "strs", "conflicts": "conflicts", "override_reason": "str",
    "paid_cents": "int", "payment_cleared_at": "time?", "waivers_signed": "int", "created_at": "time",
    "updated_at": "time", "version": "int", "key": "str", "guest_nonce": "str", "reminders": "bool",
    "dock_status": "str", "aboard": "int", "departed_at": "time?", "returned_at": "time?",
}  # fmt: skip
_SIGNATURE = {
    "id": "str", "event": "str", "guest_name": "str", "email": "str", "phone": "str", "date_of_birth": "str",
    "minor": "bool", "guardian_name": "str", "guardian_relationship": "str", "guardian_signature": "str",
    "emergency_name": "str", "emergency_phone": "str", "typed_signature": "str", "drawn_signature": "str",
    "consent_label": "str", "agreement_label": "str", "version_id": "int", "version_hash": "str", "signed_at": "str",
    "ip": "str", "user_agent": "str", "copy_token": "str", "record_hash": "str", "signed_slug": "str",
    "position": "int?", "previous_seal": "str", "seal": "str",
}  # fmt: skip
SCHEMAS: dict[str, dict[str, str]] = {
    "waiver_version": {"id": "int", "text": "str", "sha256": "str", "created_at": "time"},
    "ship": {"id": "str", "name": "str", "capacity": "int", "created_at": "time", "retired_at": "time?"},
    "person": {"id": "str", "name": "str", "role": "str", "email": "str", "phone": "str", "licence_expires": "day?",
               "medical_expires": "day?", "calendar_token": "str", "created_at": "time", "retired_at": "time?",
               "day_sheet_nonce": "str"},
    "event": _EVENT,
    "ledger_entry": {"id": "str", "event": "str", "kind": "str", "amount_cents": "int", "method": "str",
                     "patron_name": "str", "reference": "str", "note": "str", "received_on": "day?", "actor": "str",
                     "recorded_at": "time", "reverses": "str?", "reason": "str"},
    "signature": _SIGNATURE,
    "signature_void": {"id": "str", "signature": "str", "event": "str", "reason": "str", "actor": "str",
                       "voided_at": "str", "position": "int", "previous_seal": "str", "seal": "str"},
    "check_in": {"event": "str", "guest": "str", "name": "str", "walk_up": "bool", "aboard": "bool", "actor": "str",
                 "at": "time", "added_at": "time"},
    "departure": {"event": "str", "departed_at": "time", "departed_by": "str", "aboard": "guests",
                  "override_reason": "str", "returned_at": "time?", "returned_by": "str"},
    "waiver_chain": {"position": "int", "seal": "str", "head_seal": "str"},
    "reminder_sent": {"event": "str", "days_before": "int", "sent_at": "time"},
    "idempotency_key": {"key": "str", "fingerprint": "str", "entry_id": "str", "created_at": "time"},
    "outbox_message": {"id": "str", "message_id": "str", "kind": "str", "recipient": "str", "subject": "str",
                       "body_text": "str", "template": "str", "facts": "object", "created_at": "time", "status": "str",
                       "attempts": "int", "next_attempt_at": "time?", "last_error": "str", "sent_at": "time?"},
    "credential": {"name": "str", "value": "str"},
    "revoked_token": {"token_id": "str", "expires_at": "time"},
    "audit": {"action": "str", "actor": "str", "at": "time", "data": "json"},
}  # fmt: skip
KINDS = tuple(SCHEMAS)
"""Every kind of record, in file order and load order."""
KEYS: dict[str, tuple[str, ...]] = {
    "waiver_version": ("id",), "ship": ("id",), "person": ("id",), "event": ("slug",),
    "ledger_entry": ("recorded_at", "id"), "signature": ("signed_at", "id"), "signature_void": ("position",),
    "check_in": ("event", "guest"), "departure": ("event",), "reminder_sent": ("event", "days_before"),
    "waiver_chain": ("position",), "idempotency_key": ("key",),
    "outbox_message": ("created_at", "id"), "credential": ("name",), "revoked_token": ("token_id",),
    "audit": ("at", "action", "actor", "data"),
}  # fmt: skip
"""What orders the records of a kind (audit entries have no id of their own: all their fields, in this order)."""

ALLOWED: dict[tuple[str, str], tuple[object, ...]] = {
    ("event", "status"): ("booked", "cancelled", "completed"),
    ("event", "dock_status"): ("", "boarding", "departed", "returned"),
    ("ledger_entry", "kind"): ("payment", "reversal", "refund", "rain_check", "credit"),
    ("person", "role"): ("captain", "crew"),
    ("outbox_message", "status"): ("pending", "waiting", "sent", "dead"),
    ("credential", "name"): ("admin_password_hash", "admin_password_tag"),
}
POSITIVE = {("event", "party_size"), ("event", "version"), ("event", "amount_due_cents"), ("ship", "capacity"),
            ("ledger_entry", "amount_cents"), ("waiver_version", "id")}  # fmt: skip
NOT_NEGATIVE = {("event", "waivers_signed"), ("event", "aboard"), ("outbox_message", "attempts"),
                ("waiver_chain", "position")}  # fmt: skip
UPGRADES: dict[str, dict[str, Callable[[Record], Any]]] = {
    "event": {"key": lambda _: secrets.token_hex(16), "guest_nonce": lambda _: secrets.token_hex(16),
              "reminders": lambda _: True, "dock_status": lambda _: "", "aboard": lambda _: 0,
              "departed_at": lambda _: None, "returned_at": lambda _: None},
    "signature": {"signed_slug": lambda record: record.get("event", ""), "position": lambda _: None,
                  "previous_seal": lambda _: "", "seal": lambda _: ""},
    "idempotency_key": {"entry_id": lambda record: _entry_in_answer(record.get("body_base64"))},
}  # fmt: skip
"""What an older file lacks, per kind: an event gets a new key and guest link (version 1) and nothing at the dock
(versions 1 and 2), a signature stays unsealed (version 1), an idempotency key names the entry its stored answer
names (versions 1 to 3)."""
RETIRED: dict[str, tuple[str, ...]] = {"idempotency_key": ("status", "body_base64")}
"""What an older file has that this version does not keep, per kind: an idempotency key's stored answer."""


def encode(record: Record) -> bytes:
    """One canonical line: sorted keys, no spaces, UTF-8, a newline at the end."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"


def sort_key(record: Record) -> tuple[Any, ...]:
    kind = record["type"]
    return (KINDS.index(kind), *(_comparable(record[name]) for name in KEYS[kind]))


def _comparable(value: object) -> object:
    return value if isinstance(value, str | int) else json.dumps(value, sort_keys=True)


def export_jsonl(transfer: Transfer, include_secrets: bool = False) -> Iterator[bytes]:
    """The header line, then every record the store holds, canonical and in a fixed order. Writes nothing.

    Without `include_secrets` the password hash, signed-out tokens and every link token are left out
    (transfer_secrets.py); an import of that file makes new ones.
    """
    yield encode(HEADER)
    records = transfer.dump() if include_secrets else without_secrets(transfer.dump())
    for record in sorted(records, key=sort_key):
        yield encode(record)


def import_jsonl(transfer: Transfer, lines: Iterable[bytes], progress: Callable[[int, int], None]) -> int:
    """Restore an export into an empty store, record for record; return how many records were written.

    Raise Conflict if the store holds anything; InvalidInput naming the line and the field for the first bad line
    (or a record pointing at one that is not in the file). Nothing is written in either case. `progress(done,
    total)` is called now and then while writing.
    """
    if not transfer.is_empty():
        raise Conflict("the target store is not empty: import only into a new database or an empty table", "store")
    numbered = read_records(lines)
    check_references(numbered)
    records = [record for _, record in sorted(numbered, key=lambda pair: sort_key(pair[1]))]
    transfer.load(records, lambda done: progress(done, len(records)))
    return len(records)


def read_records(lines: Iterable[bytes]) -> list[tuple[int, Record]]:
    """Every record of the file with its line number, each checked on its own; the header checked first.
    An older file's records are brought up to this version (UPGRADES) before they are checked."""
    found: list[tuple[int, Record]] = []
    number, version = 0, VERSION
    for number, line in enumerate(lines, start=1):
        value = _parse(number, line)
        if number == 1:
            version = _check_header(value)
        else:
            found.append((number, check_record(number, refilled(_upgraded(value, version)))))
    if number == 0:
        raise InvalidInput("line 1: the file is empty; expected the scc-transfer header", "format")
    return found


def _parse(number: int, line: bytes) -> Any:
    try:
        value = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput(f"line {number}: not UTF-8 text", "line") from None
    except ValueError as error:
        raise InvalidInput(f"line {number}: not JSON ({error})", "line") from None
    if not isinstance(value, dict):
        raise InvalidInput(f"line {number}: expected a JSON object", "line")
    return value


def _check_header(value: Record) -> int:
    if value.get("format") != FORMAT:
        raise InvalidInput(f"line 1: not an scc-transfer file (the header must be {encode(HEADER)!r})", "format")
    if value.get("version") not in READABLE:
        raise InvalidInput(
            f"line 1: format version {value.get('version')!r} is not supported ({', '.join(map(str, READABLE))})",
            "version",
        )
    return int(value["version"])


def _upgraded(record: Record, version: int) -> Record:
    if version == VERSION or not isinstance(record.get("type"), str):
        return record
    missing, retired = UPGRADES.get(record["type"], {}), RETIRED.get(record["type"], ())
    kept = {name: value for name, value in record.items() if name not in retired}
    return {**kept, **{name: make(record) for name, make in missing.items() if name not in record}}


def _entry_in_answer(body_base64: object) -> str | None:
    """The entry id in an answer the API stored for an idempotency key (`{"payment": {"id": ...}, ...}`), or None
    (which the record's check then refuses, naming `entry_id`)."""
    try:
        answer = json.loads(binascii.a2b_base64(str(body_base64), strict_mode=True))
        return str(answer["payment"]["id"])
    except (binascii.Error, ValueError, TypeError, KeyError):
        return None


def check_record(number: int, record: Record) -> Record:
    """The record, if its kind is known and every field is there, of the right type and in range."""
    kind = record.get("type")
    if not isinstance(kind, str) or kind not in SCHEMAS:
        raise InvalidInput(f"line {number}: unknown record type {kind!r} (one of {', '.join(KINDS)})", "type")
    schema = SCHEMAS[kind]
    unknown = sorted(set(record) - {"type"} - set(schema))
    if unknown:
        raise InvalidInput(f"line {number} ({kind}): unknown field {unknown[0]!r}", unknown[0])
    for name, shape in schema.items():
        if name not in record:
            raise InvalidInput(f"line {number} ({kind}): field {name!r} is missing", name)
        if not _CHECKS[shape][0](record[name]):
            raise InvalidInput(f"line {number} ({kind}): {name} must be {_CHECKS[shape][1]}", name)
        _check_range(number, kind, name, record[name])
    return record


def _check_range(number: int, kind: str, name: str, value: object) -> None:
    allowed = ALLOWED.get((kind, name))
    if allowed is not None and value not in allowed:
        raise InvalidInput(f"line {number} ({kind}): {name} must be one of {', '.join(map(str, allowed))}", name)
    if (kind, name) in POSITIVE and isinstance(value, int) and value <= 0:
        raise InvalidInput(f"line {number} ({kind}): {name} must be more than zero", name)
    if (kind, name) in NOT_NEGATIVE and isinstance(value, int) and value < 0:
        raise InvalidInput(f"line {number} ({kind}): {name} must not be negative", name)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_time(value: object) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _is_day(value: object) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(date.fromisoformat(value))
    except ValueError:
        return False


def _is_guest(value: object) -> bool:
    fields = {
        "key": str,
        "name": str,
        "signed": bool,
        "minor": bool,
        "emergency_name": str,
        "emergency_phone": str,
        "walk_up": bool,
        "aboard": bool,
    }
    return (
        isinstance(value, dict)
        and set(value) == set(fields)
        and all(isinstance(value[name], kind) for name, kind in fields.items())
    )


def _is_conflict(value: object) -> bool:
    fields = {"kind": str, "message": str, "other": str, "overridden": bool}
    return (
        isinstance(value, dict)
        and set(value) == set(fields)
        and all(isinstance(value[name], kind) for name, kind in fields.items())
    )


def _optional(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: value is None or check(value)


_CHECKS: dict[str, tuple[Callable[[object], bool], str]] = {
    "str": (lambda value: isinstance(value, str), "a string"),
    "str?": (_optional(lambda value: isinstance(value, str)), "a string or null"),
    "int": (_is_int, "an integer"),
    "int?": (_optional(_is_int), "an integer or null"),
    "bool": (lambda value: isinstance(value, bool), "true or false"),
    "time": (_is_time, "an ISO date and time with its UTC offset"),
    "time?": (_optional(_is_time), "an ISO date and time with its UTC offset, or null"),
    "day": (_is_day, "a date YYYY-MM-DD"),
    "day?": (_optional(_is_day), "a date YYYY-MM-DD or null"),
    "strs": (lambda value: isinstance(value, list) and all(isinstance(part, str) for part in value),
             "a list of strings"),
    "conflicts": (lambda value: isinstance(value, list) and all(map(_is_conflict, value)),
                  "a list of {kind, message, other, overridden}"),
    "guests": (lambda value: isinstance(value, list) and all(map(_is_guest, value)),
               "a list of {key, name, signed, minor, emergency_name, emergency_phone, walk_up, aboard}"),
    "object": (lambda value: isinstance(value, dict), "a JSON object"),
    "json": (lambda value: True, "any JSON value"),
}  # fmt: skip
