"""Transfer records to the table's items and back, in one place (the key design is in dynamodb_store.py).

`items_for` writes what the repositories would have written for the record, pointer items included;
`record_for` reads an item back, or None for a pointer or counter that the records already imply.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from shipcaptaincrew.adapters.dynamodb_events import EVENTS
from shipcaptaincrew.adapters.dynamodb_ledger import LEDGER, entry_made
from shipcaptaincrew.adapters.dynamodb_roster import ROSTER
from shipcaptaincrew.adapters.dynamodb_store import Item
from shipcaptaincrew.adapters.dynamodb_waivers import SIGNATURES, VOIDS
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.ledger import KEEP_KEYS_FOR
from shipcaptaincrew.ports import Record

EVENT_FIELDS = (
    "slug", "date", "period", "patron_first_name", "patron_last_name", "patron_email", "patron_phone", "party_size",
    "title", "notes", "amount_due_cents", "status", "ship_id", "captain_id", "crew_ids", "override_reason",
    "paid_cents", "payment_cleared_at", "waivers_signed", "created_at", "updated_at", "version", "guest_nonce",
    "reminders", "dock_status", "aboard", "departed_at", "returned_at",
)  # fmt: skip
LEDGER_FIELDS = ("id", "kind", "amount_cents", "method", "patron_name", "reference", "note", "received_on", "actor",
                 "recorded_at", "reverses", "reason")  # fmt: skip
SIGNATURE_FIELDS = (
    "id", "guest_name", "email", "phone", "date_of_birth", "minor", "guardian_name", "guardian_relationship",
    "guardian_signature", "emergency_name", "emergency_phone", "typed_signature", "drawn_signature",
    "consent_label", "agreement_label", "version_id", "version_hash", "signed_at", "ip", "user_agent", "copy_token",
    "record_hash", "signed_slug", "position", "previous_seal", "seal",
)  # fmt: skip
VOID_FIELDS = ("id", "reason", "actor", "voided_at", "position", "previous_seal", "seal")
CHECK_IN_FIELDS = ("guest", "name", "walk_up", "aboard", "actor", "at", "added_at")
DEPARTURE_FIELDS = ("departed_at", "departed_by", "override_reason", "returned_at", "returned_by")
OUTBOX_FIELDS = ("id", "message_id", "kind", "recipient", "subject", "body_text", "template", "created_at", "status",
                 "attempts", "next_attempt_at", "last_error", "sent_at")  # fmt: skip
SHIP_FIELDS = ("id", "name", "capacity", "created_at", "retired_at")
PERSON_FIELDS = ("id", "name", "role", "email", "phone", "licence_expires", "medical_expires", "calendar_token",
                 "created_at", "retired_at", "day_sheet_nonce")  # fmt: skip
CONFLICT_FIELDS = ("kind", "message", "other", "overridden")
POINTERS = ("ENTRY#", "COPY#", "SIGID#", "CALTOKEN#", "SHIPNAME#")
EPHEMERAL = ("SIGNINFAIL", "FORM#")  # failed sign-ins, spent form tokens: a throttle's count, a replay guard


def _pick(item: Item, names: tuple[str, ...]) -> Record:
    return {name: item.get(name) for name in names}


# Records to items.


def items_for(record: Record, keys: dict[str, str]) -> list[Item]:
    """The items that hold this record; `keys` maps event slugs to their new keys (events come first)."""
    return _TO_ITEMS[record["type"]](record, keys)


def _event_items(record: Record, keys: dict[str, str]) -> list[Item]:
    key = keys[record["slug"]] = record["key"]
    slug, starts = record["slug"], record["period_starts"]
    conflicts = [{name: conflict[name] for name in CONFLICT_FIELDS} for conflict in record["conflicts"]]
    event = {
        "pk": f"SLUG#{slug}",
        "sk": "SLUG",
        "kind": "event",
        "key": key,
        "aliases": sorted(record["aliases"]),
        "gsi1pk": EVENTS,
        "gsi1sk": f"{record['date']}#{starts}#{slug}",
        "starts": starts,
        **_pick(record, EVENT_FIELDS),
        "conflicts": conflicts,
        "rev": 1,
    }
    aliases = [{"pk": f"SLUG#{alias}", "sk": "SLUG", "kind": "alias", "target": slug} for alias in record["aliases"]]
    return [event, {"pk": f"EV#{key}", "sk": "SLUG", "slug": slug}, *aliases]


def _ledger_items(record: Record, keys: dict[str, str]) -> list[Item]:
    key, sort = keys[record["event"]], f"{record['recorded_at']}#{record['id']}"
    entry = {
        "pk": f"EV#{key}",
        "sk": f"LEDGER#{sort}",
        "gsi1pk": LEDGER,
        "gsi1sk": sort,
        "event_key": key,
        **_pick(record, LEDGER_FIELDS),
    }
    pointer = {"pk": f"ENTRY#{record['id']}", "sk": "ENTRY", "event_key": key, "entry_sk": entry["sk"]}
    reversed_ = [{"pk": f"ENTRY#{record['reverses']}", "sk": "REVERSED", "by": record["id"]}]
    return [entry, pointer, *(reversed_ if record["reverses"] else [])]


def _signature_items(record: Record, keys: dict[str, str]) -> list[Item]:
    key, sort = keys[record["event"]], f"{record['signed_at']}#{record['id']}"
    signature = {
        "pk": f"EV#{key}",
        "sk": f"SIG#{sort}",
        "gsi1pk": SIGNATURES,
        "gsi1sk": sort,
        "event_key": key,
        **_pick(record, SIGNATURE_FIELDS),
    }
    pointer = {"event_key": key, "signature_sk": signature["sk"]}
    copy = {"pk": f"COPY#{record['copy_token']}", "sk": "COPY", **pointer}
    return [signature, copy, {"pk": f"SIGID#{record['id']}", "sk": "SIGID", **pointer}]


def _void_items(record: Record, keys: dict[str, str]) -> list[Item]:
    key = keys[record["event"]]
    return [
        {
            "pk": f"EV#{key}",
            "sk": f"VOID#{record['signature']}",
            "gsi1pk": VOIDS,
            "gsi1sk": f"{record['position']:012d}",
            "event_key": key,
            "signature_id": record["signature"],
            **_pick(record, VOID_FIELDS),
        }
    ]


def _reminder_items(record: Record, keys: dict[str, str]) -> list[Item]:
    key = keys[record["event"]]
    return [{"pk": f"EV#{key}", "sk": f"REMINDER#{record['days_before']}", "sent_at": record["sent_at"]}]


def _check_in_items(record: Record, keys: dict[str, str]) -> list[Item]:
    key = keys[record["event"]]
    return [{"pk": f"EV#{key}", "sk": f"CHECKIN#{record['guest']}", "event_key": key, **_pick(record, CHECK_IN_FIELDS)}]


def _departure_items(record: Record, keys: dict[str, str]) -> list[Item]:
    key = keys[record["event"]]
    aboard = json.dumps(record["aboard"], sort_keys=True, ensure_ascii=False)  # as DynamoDbDock writes it
    return [
        {"pk": f"EV#{key}", "sk": "DEPARTURE", "event_key": key, **_pick(record, DEPARTURE_FIELDS), "aboard": aboard}
    ]


def _chain_items(record: Record, _: dict[str, str]) -> list[Item]:
    return [{"pk": "WAIVER", "sk": "CHAIN", **_pick(record, ("position", "seal", "head_seal"))}]


def _ship_items(record: Record, _: dict[str, str]) -> list[Item]:
    name_claim = {"pk": f"SHIPNAME#{record['name'].casefold()}", "sk": "NAME", "ship_id": record["id"]}
    return [{"pk": ROSTER, "sk": f"SHIP#{record['id']}", **_pick(record, SHIP_FIELDS)}, name_claim]


def _person_items(record: Record, _: dict[str, str]) -> list[Item]:
    token = record["calendar_token"]
    pointer = [{"pk": f"CALTOKEN#{token}", "sk": "TOKEN", "person_id": record["id"]}] if token else []
    return [{"pk": ROSTER, "sk": f"PERSON#{record['id']}", **_pick(record, PERSON_FIELDS)}, *pointer]


def _version_items(record: Record, _: dict[str, str]) -> list[Item]:
    return [
        {"pk": "WAIVER", "sk": f"VERSION#{record['id']:010d}", **_pick(record, ("id", "text", "sha256", "created_at"))}
    ]


def _idempotency_items(record: Record, _: dict[str, str]) -> list[Item]:
    expires = int((datetime.fromisoformat(record["created_at"]) + KEEP_KEYS_FOR).timestamp())  # the time-to-live
    fields = _pick(record, ("fingerprint", "entry_id", "created_at"))
    return [{"pk": f"IDEM#{record['key']}", "sk": "IDEM", **fields, "expires": expires}]


def _outbox_items(record: Record, _: dict[str, str]) -> list[Item]:
    return [
        {
            "pk": f"OUTBOX#{record['id']}",
            "sk": "MSG",
            "gsi1pk": f"OUTBOX#{record['status']}",
            "gsi1sk": f"{record['created_at']}#{record['id']}",
            **_pick(record, OUTBOX_FIELDS),
            "facts": json.dumps(record["facts"], ensure_ascii=False),
        }
    ]


CREDENTIAL_KEYS = {"admin_password_hash": "ADMIN", "admin_password_tag": "TAG"}
"""A credential's name in the transfer format -> its sort key under `CRED`."""


def _credential_items(record: Record, _: dict[str, str]) -> list[Item]:
    return [{"pk": "CRED", "sk": CREDENTIAL_KEYS[record["name"]], "value": record["value"]}]


def _revoked_items(record: Record, _: dict[str, str]) -> list[Item]:
    token_id = record["token_id"]
    return [{"pk": "CRED", "sk": f"REVOKED#{token_id}", "token_id": token_id, "expires_at": record["expires_at"]}]


def _audit_items(record: Record, _: dict[str, str]) -> list[Item]:
    day = datetime.fromisoformat(record["at"]).date().isoformat()
    data = json.dumps(record["data"], sort_keys=True, default=str)  # as DynamoDbAuditLog writes it
    return [
        {
            "pk": f"AUDIT#{day}",
            "sk": f"{record['at']}#{uuid.uuid4().hex}",
            "action": record["action"],
            "actor": record["actor"],
            "at": record["at"],
            "data": data,
        }
    ]


_TO_ITEMS: dict[str, Callable[[Record, dict[str, str]], list[Item]]] = {
    "event": _event_items, "ledger_entry": _ledger_items, "signature": _signature_items, "ship": _ship_items,
    "signature_void": _void_items, "waiver_chain": _chain_items, "reminder_sent": _reminder_items,
    "check_in": _check_in_items, "departure": _departure_items,
    "person": _person_items, "waiver_version": _version_items, "idempotency_key": _idempotency_items,
    "outbox_message": _outbox_items, "credential": _credential_items, "revoked_token": _revoked_items,
    "audit": _audit_items,
}  # fmt: skip


# Items to records.


def record_for(item: Item, slugs: dict[str, str]) -> Record | None:
    """The record an item holds, or None for a pointer, an old slug or a counter; raise if the item is unknown."""
    pk, sk = str(item["pk"]), str(item["sk"])
    if pk == "META" or pk.startswith(POINTERS + EPHEMERAL) or (pk.startswith("SLUG#") and item.get("kind") == "alias"):
        return None
    if pk.startswith("EV#") and sk == "SLUG":
        return None
    for prefix, sort_prefix, read in _FROM_ITEMS:
        if pk.startswith(prefix) and sk.startswith(sort_prefix):
            return read(item, slugs)
    raise InvalidInput(
        f"the table holds an item this version cannot export (pk {pk!r}, sk {sk!r}); nothing written", "table"
    )


def _event(item: Item, _: dict[str, str]) -> Record:
    conflicts = [{name: conflict[name] for name in CONFLICT_FIELDS} for conflict in item.get("conflicts", [])]
    dock = {"dock_status": item.get("dock_status", ""), "aboard": item.get("aboard", 0)}  # stored before check-in
    return {
        "type": "event",
        **_pick(item, EVENT_FIELDS),
        **dock,
        "period_starts": item["starts"],
        "conflicts": conflicts,
        "key": item["key"],
        "guest_nonce": item.get("guest_nonce") or item["key"],
        "reminders": bool(item.get("reminders", True)),
        "aliases": sorted(item.get("aliases", [])),
        "crew_ids": list(item.get("crew_ids", [])),
        "override_reason": item.get("override_reason", ""),
    }


def _entry(item: Item, slugs: dict[str, str]) -> Record:
    return {"type": "ledger_entry", **_pick(item, LEDGER_FIELDS), "event": slugs[str(item["event_key"])]}


def _signature(item: Item, slugs: dict[str, str]) -> Record:
    record = {"type": "signature", **_pick(item, SIGNATURE_FIELDS), "event": slugs[str(item["event_key"])]}
    legacy = {"signed_slug": item.get("signed_slug", ""), "previous_seal": item.get("previous_seal", ""),
              "seal": item.get("seal", "")}  # stored before sealing  # fmt: skip
    return {**record, **legacy, "minor": bool(record["minor"])}


def _void(item: Item, slugs: dict[str, str]) -> Record:
    return {
        "type": "signature_void",
        **_pick(item, VOID_FIELDS),
        "signature": item["signature_id"],
        "event": slugs[str(item["event_key"])],
    }


def _reminder(item: Item, slugs: dict[str, str]) -> Record:
    days = int(str(item["sk"]).removeprefix("REMINDER#"))
    return {
        "type": "reminder_sent",
        "event": slugs[str(item["pk"]).removeprefix("EV#")],
        "days_before": days,
        "sent_at": item["sent_at"],
    }


def _check_in(item: Item, slugs: dict[str, str]) -> Record:
    record = {"type": "check_in", **_pick(item, CHECK_IN_FIELDS), "event": slugs[str(item["event_key"])]}
    return {**record, "walk_up": bool(record["walk_up"]), "aboard": bool(record["aboard"])}


def _departure(item: Item, slugs: dict[str, str]) -> Record:
    return {
        "type": "departure",
        **_pick(item, DEPARTURE_FIELDS),
        "aboard": json.loads(item["aboard"]),
        "event": slugs[str(item["event_key"])],
    }


def _idempotency(item: Item, _: dict[str, str]) -> Record:
    return {"type": "idempotency_key", "key": str(item["pk"]).removeprefix("IDEM#"), "entry_id": entry_made(item),
            **_pick(item, ("fingerprint", "created_at"))}  # fmt: skip


def _outbox(item: Item, _: dict[str, str]) -> Record:
    return {"type": "outbox_message", **_pick(item, OUTBOX_FIELDS), "facts": json.loads(item["facts"])}


def _audit(item: Item, _: dict[str, str]) -> Record:
    return {"type": "audit", **_pick(item, ("action", "actor", "at")), "data": json.loads(item["data"])}


Reader = Callable[[Item, dict[str, str]], Record]


def _simple(kind: str, names: tuple[str, ...], **more: Callable[[Item], Any]) -> Reader:
    return lambda item, _: {"type": kind, **_pick(item, names), **{name: get(item) for name, get in more.items()}}


# A person stored before day sheets had a nonce: their id serves, as DynamoDbRoster reads it.
_PERSON = _simple(
    "person",
    PERSON_FIELDS,
    calendar_token=lambda item: item.get("calendar_token", ""),
    day_sheet_nonce=lambda item: item.get("day_sheet_nonce") or item["id"],
)
_FROM_ITEMS: tuple[tuple[str, str, Reader], ...] = (
    ("SLUG#", "SLUG", _event),
    ("EV#", "LEDGER#", _entry),
    ("EV#", "SIG#", _signature),
    ("EV#", "VOID#", _void),
    ("EV#", "REMINDER#", _reminder),
    ("EV#", "CHECKIN#", _check_in),
    ("EV#", "DEPARTURE", _departure),
    ("WAIVER", "CHAIN", _simple("waiver_chain", ("position", "seal", "head_seal"))),
    ("IDEM#", "IDEM", _idempotency),
    ("OUTBOX#", "MSG", _outbox),
    ("AUDIT#", "", _audit),
    ("CRED", "ADMIN", _simple("credential", ("value",), name=lambda _: "admin_password_hash")),
    ("CRED", "TAG", _simple("credential", ("value",), name=lambda _: "admin_password_tag")),
    ("CRED", "REVOKED#", _simple("revoked_token", ("token_id", "expires_at"))),
    ("ROSTER", "SHIP#", _simple("ship", SHIP_FIELDS)),
    ("ROSTER", "PERSON#", _PERSON),
    ("WAIVER", "VERSION#", _simple("waiver_version", ("id", "text", "sha256", "created_at"))),
)
