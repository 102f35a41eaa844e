"""The email outbox in DynamoDB: `OUTBOX#<id>`/`MSG`, indexed on gsi1 by status (`OUTBOX#<status>`, created)."""

from __future__ import annotations

import heapq
import json
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from shipcaptaincrew.adapters.dynamodb_store import INDEX, Item
from shipcaptaincrew.domain.mail import DEAD, PENDING, SENT, WAITING, Email, OutboxMessage

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_store import DynamoDbUnitOfWork

STATUSES = (PENDING, WAITING, SENT, DEAD)


class DynamoDbOutbox:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow
        self._store = uow.store

    def add(self, message: OutboxMessage) -> None:
        self._uow.writes.put(_item(message), "attribute_not_exists(pk)")

    def get(self, message_id: str) -> OutboxMessage | None:
        item = self._uow.get((f"OUTBOX#{message_id}", "MSG"))
        return None if item is None else _message(item)

    def update(self, message: OutboxMessage) -> None:
        item = _item(message)
        fields = {
            name: item[name] for name in ("status", "attempts", "next_attempt_at", "last_error", "sent_at", "gsi1pk")
        }
        self._uow.writes.update((item["pk"], "MSG"), fields, condition="attribute_exists(pk)")

    def due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        moment = now.isoformat()
        found = [
            item
            for status in (PENDING, WAITING)
            for item in self._by_status(status)
            if not item.get("next_attempt_at") or item["next_attempt_at"] <= moment
        ]
        found.sort(key=lambda item: (item["created_at"], item["id"]))
        return [_message(item) for item in found[:limit]]

    def count(self, status: str) -> int:
        return self._store.count("gsi1pk = :pk", {":pk": f"OUTBOX#{status}"}, INDEX)

    def recent(self, limit: int, status: str | None = None) -> list[OutboxMessage]:
        streams = [
            islice(self._by_status(one, newest_first=True, limit=limit), limit)
            for one in ((status,) if status else STATUSES)
        ]
        merged = heapq.merge(*streams, key=lambda item: (item["created_at"], item["id"]), reverse=True)
        return [_message(item) for item in islice(merged, limit)]

    def _by_status(self, status: str, newest_first: bool = False, limit: int | None = None) -> list[Item]:
        return list(
            self._uow.query("gsi1pk = :pk", {":pk": f"OUTBOX#{status}"}, INDEX, limit=limit, forward=not newest_first)
        )


def _item(message: OutboxMessage) -> Item:
    email = message.email
    return {
        "pk": f"OUTBOX#{message.id}",
        "sk": "MSG",
        "gsi1pk": f"OUTBOX#{message.status}",
        "gsi1sk": f"{message.created_at.isoformat()}#{message.id}",
        "id": message.id,
        "message_id": message.message_id,
        "kind": message.kind,
        "recipient": email.to,
        "subject": email.subject,
        "body_text": email.text,
        "template": email.template,
        "facts": json.dumps(dict(email.facts), ensure_ascii=False),
        "created_at": message.created_at.isoformat(),
        "status": message.status,
        "attempts": message.attempts,
        "next_attempt_at": _iso(message.next_attempt_at),
        "last_error": message.last_error,
        "sent_at": _iso(message.sent_at),
    }


def _message(item: Item) -> OutboxMessage:
    return OutboxMessage(
        id=item["id"],
        message_id=item["message_id"],
        email=Email(item["recipient"], item["subject"], item["body_text"], item["template"], json.loads(item["facts"])),
        created_at=datetime.fromisoformat(item["created_at"]),
        status=item["status"],
        attempts=item["attempts"],
        next_attempt_at=_parse(item.get("next_attempt_at")),
        last_error=item["last_error"],
        sent_at=_parse(item.get("sent_at")),
        kind=item["kind"],
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
