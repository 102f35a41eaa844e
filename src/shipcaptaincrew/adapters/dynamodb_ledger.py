"""The ledger and idempotency keys in DynamoDB, items to domain records in one place.

An entry lives under its event's immutable key (`EV#<key>`, `LEDGER#<recorded at>#<id>`), so a renamed event
keeps its ledger; `gsi1` (`LEDGER`, `<recorded at>#<id>`) answers `between`; a pointer item `ENTRY#<id>` finds
an entry by id. A reversal also puts `ENTRY#<original>`/`REVERSED` on the condition that it does not exist:
a payment is reversed at most once, even by two requests at the same moment. Nothing is ever updated.
An idempotency key is `IDEM#<key>`, naming the entry it made, with `expires` for the table's time-to-live.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from shipcaptaincrew.adapters.dynamodb_store import INDEX, Item
from shipcaptaincrew.domain.errors import Conflict, Contention, DomainError, NotFound
from shipcaptaincrew.domain.ledger import Entry
from shipcaptaincrew.ports import IdempotencyRecord

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_store import DynamoDbUnitOfWork

LEDGER = "LEDGER"


class DynamoDbLedger:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow
        self._store = uow.store
        self._slugs: dict[str, str] = {}  # event key -> current slug, read once per unit of work

    def append(self, entry: Entry) -> None:
        event = self._uow.events.item(entry.event_slug)
        if event is None:
            raise NotFound(f"no event {entry.event_slug!r}", "event")
        item = _item(entry, str(event["key"]))
        writes = self._uow.writes
        writes.put(item, "attribute_not_exists(pk)")
        writes.put(
            {"pk": f"ENTRY#{entry.id}", "sk": "ENTRY", "event_key": event["key"], "entry_sk": item["sk"]},
            "attribute_not_exists(pk)",
        )
        if entry.reverses:
            writes.put(
                {"pk": f"ENTRY#{entry.reverses}", "sk": "REVERSED", "by": entry.id},
                "attribute_not_exists(pk)",
                error=lambda: _reversed_already(entry.reverses or ""),
            )

    def get(self, entry_id: str) -> Entry | None:
        pointer = self._uow.get((f"ENTRY#{entry_id}", "ENTRY"))
        if pointer is None:
            return None
        item = self._uow.get((f"EV#{pointer['event_key']}", str(pointer["entry_sk"])))
        return None if item is None else self._entry(item)

    def is_reversed(self, entry_id: str) -> bool:
        return self._uow.get((f"ENTRY#{entry_id}", "REVERSED")) is not None

    def for_event(self, slug: str) -> list[Entry]:
        event = self._uow.events.item(slug)
        if event is None:
            return []
        items = self._uow.partition(f"EV#{event['key']}", "LEDGER#")
        return [self._entry(item, str(event["slug"])) for item in items]

    def between(self, start: date, end: date) -> list[Entry]:
        low = datetime.combine(start, time.min, UTC).isoformat()
        high = datetime.combine(end, time.max, UTC).isoformat() + "#~"
        items = self._uow.query(
            "gsi1pk = :pk AND gsi1sk BETWEEN :low AND :high", {":pk": LEDGER, ":low": low, ":high": high}, INDEX
        )
        return [self._entry(item) for item in items]

    def _entry(self, item: Item, slug: str | None = None) -> Entry:
        if slug is None:  # the event's current slug: the entry keeps only the event's immutable key
            slug = self._slug_of(str(item["event_key"]))
        received_on = item.get("received_on")
        return Entry(
            id=item["id"],
            event_slug=slug,
            kind=item["kind"],
            amount_cents=item["amount_cents"],
            method=item["method"],
            patron_name=item["patron_name"],
            actor=item["actor"],
            recorded_at=datetime.fromisoformat(item["recorded_at"]),
            reference=item["reference"],
            note=item["note"],
            received_on=date.fromisoformat(received_on) if received_on else None,
            reverses=item.get("reverses"),
            reason=item["reason"],
        )

    def _slug_of(self, event_key: str) -> str:
        if event_key not in self._slugs:
            found = self._uow.get((f"EV#{event_key}", "SLUG"))
            self._slugs[event_key] = "?" if found is None else str(found["slug"])
        return self._slugs[event_key]


def _item(entry: Entry, event_key: str) -> Item:
    sort = f"{entry.recorded_at.isoformat()}#{entry.id}"
    return {
        "pk": f"EV#{event_key}",
        "sk": f"LEDGER#{sort}",
        "gsi1pk": LEDGER,
        "gsi1sk": sort,
        "event_key": event_key,
        "id": entry.id,
        "kind": entry.kind,
        "amount_cents": entry.amount_cents,
        "method": entry.method,
        "patron_name": entry.patron_name,
        "reference": entry.reference,
        "note": entry.note,
        "received_on": entry.received_on.isoformat() if entry.received_on else None,
        "actor": entry.actor,
        "recorded_at": entry.recorded_at.isoformat(),
        "reverses": entry.reverses,
        "reason": entry.reason,
    }


def _reversed_already(entry_id: str) -> DomainError:
    return Conflict(f"payment {entry_id} was reversed already", "id")


class DynamoDbIdempotencyKeys:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow

    def get(self, key: str) -> IdempotencyRecord | None:
        item = self._uow.get((f"IDEM#{key}", "IDEM"))
        if item is None:
            return None
        return IdempotencyRecord(item["fingerprint"], entry_made(item), datetime.fromisoformat(item["created_at"]))

    def put(self, key: str, record: IdempotencyRecord, expires_at: datetime) -> None:
        """The key's item carries `expires` (epoch seconds): the table's time-to-live removes it some time after
        (DynamoDB sweeps within days), so keys never pile up and no write has to trim them."""
        self._uow.writes.put(
            {
                "pk": f"IDEM#{key}",
                "sk": "IDEM",
                "fingerprint": record.fingerprint,
                "entry_id": record.entry_id,
                "created_at": record.created_at.isoformat(),
                "expires": int(expires_at.timestamp()),
            },
            "attribute_not_exists(pk)",
            # Another request stored the key first: run again, this one finds it (or finds it reused).
            error=lambda: Contention("this idempotency key was stored by another request at the same moment"),
        )

    def forget_older_than(self, moment: datetime) -> None:
        """Nothing to do: the table's time-to-live forgets each key after its `expires`."""


def entry_made(item: Item) -> str:
    """The entry an idempotency key's item names; an item stored with the whole answer (`body`, the JSON the API
    sent) names it there, until the time-to-live forgets it."""
    if "entry_id" in item:
        return str(item["entry_id"])
    return str(json.loads(bytes(item["body"]))["payment"]["id"])
