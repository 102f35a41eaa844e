"""What an import checks across records: no two records claim one key, and every reference leads somewhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.ports import Record

Numbered = list[tuple[int, Record]]

UNIQUE: tuple[tuple[str, str, Callable[[Record], Iterable[object]]], ...] = (
    ("waiver_version", "id", lambda record: [record["id"]]),
    ("ship", "id", lambda record: [record["id"]]),
    ("ship", "name", lambda record: [record["name"].casefold()]),
    ("person", "id", lambda record: [record["id"]]),
    ("person", "calendar_token", lambda record: [record["calendar_token"]] if record["calendar_token"] else []),
    ("event", "slug", lambda record: [record["slug"], *record["aliases"]]),
    ("event", "key", lambda record: [record["key"]]),
    ("ledger_entry", "id", lambda record: [record["id"]]),
    ("ledger_entry", "reverses", lambda record: [record["reverses"]] if record["reverses"] else []),
    ("signature", "id", lambda record: [record["id"]]),
    ("signature", "copy_token", lambda record: [record["copy_token"]]),
    ("signature", "position", lambda record: [record["position"]] if record["position"] is not None else []),
    ("signature_void", "signature", lambda record: [record["signature"]]),
    ("signature_void", "position", lambda record: [record["position"]]),
    ("check_in", "guest", lambda record: [(record["event"], record["guest"])]),
    ("departure", "event", lambda record: [record["event"]]),
    ("waiver_chain", "position", lambda record: ["the chain has one head"]),
    ("idempotency_key", "key", lambda record: [record["key"]]),
    ("outbox_message", "id", lambda record: [record["id"]]),
    ("outbox_message", "message_id", lambda record: [record["message_id"]]),
    ("credential", "name", lambda record: [record["name"]]),
    ("revoked_token", "token_id", lambda record: [record["token_id"]]),
)


def check_references(numbered: Numbered) -> None:
    """Raise InvalidInput naming the line and field of the first record that repeats a key or points nowhere."""
    for kind, field, keys in UNIQUE:
        _unique(numbered, kind, field, keys)
    known = {
        "ship": _values(numbered, "ship", "id"),
        "person": _values(numbered, "person", "id"),
        "event": _values(numbered, "event", "slug"),
        "payment": {record["id"] for _, record in numbered if record["type"] == "ledger_entry"
                    and record["kind"] == "payment"},
        "waiver_version": _values(numbered, "waiver_version", "id"),
        "signature": _values(numbered, "signature", "id"),
        "ledger_entry": _values(numbered, "ledger_entry", "id"),
    }  # fmt: skip
    for number, record in numbered:
        for field, target, value in _references(record):
            if value not in known[target]:
                raise InvalidInput(
                    f"line {number} ({record['type']}): {field} {value!r} is not a {target} in the file", field
                )
        if record["type"] == "ledger_entry" and (record["kind"] == "reversal") != (record["reverses"] is not None):
            raise InvalidInput(
                f"line {number} (ledger_entry): a reversal, and only a reversal, names what it reverses", "reverses"
            )


def _unique(numbered: Numbered, kind: str, field: str, keys: Callable[[Record], Iterable[object]]) -> None:
    seen: dict[object, int] = {}
    for number, record in numbered:
        if record["type"] != kind:
            continue
        for key in keys(record):
            if key in seen:
                raise InvalidInput(
                    f"line {number} ({kind}): {field} {key!r} is already used on line {seen[key]}", field
                )
            seen[key] = number


def _values(numbered: Numbered, kind: str, field: str) -> set[object]:
    return {record[field] for _, record in numbered if record["type"] == kind}


def _references(record: Record) -> list[tuple[str, str, object]]:
    """(field, kind it points at, value) for every reference the record holds."""
    kind = record["type"]
    if kind == "event":
        found = [("ship_id", "ship", record["ship_id"]), ("captain_id", "person", record["captain_id"])]
        return [item for item in found if item[2] is not None] + [("crew_ids", "person", p) for p in record["crew_ids"]]
    if kind == "ledger_entry":
        reverses = [("reverses", "payment", record["reverses"])] if record["reverses"] else []
        return [("event", "event", record["event"]), *reverses]
    if kind == "signature":
        return [("event", "event", record["event"]), ("version_id", "waiver_version", record["version_id"])]
    if kind in ("check_in", "departure", "reminder_sent"):
        return [("event", "event", record["event"])]
    if kind == "signature_void":
        return [("event", "event", record["event"]), ("signature", "signature", record["signature"])]
    if kind == "idempotency_key":
        return [("entry_id", "ledger_entry", record["entry_id"])]
    return []
