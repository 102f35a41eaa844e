"""Waiver versions and signatures in DynamoDB, items to records in one place. Nothing is ever updated.

Versions: `WAIVER`/`VERSION#<id, zero-padded>` (the current one is the last). A signature lives under its
event's immutable key (`EV#<key>`, `SIG#<signed at>#<id>`), indexed on gsi1 (`SIGNATURES`, `<signed at>#<id>`);
`COPY#<token>` leads to it from the signer's copy link.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from shipcaptaincrew.adapters.dynamodb_store import INDEX, Item
from shipcaptaincrew.domain.errors import Conflict, NotFound
from shipcaptaincrew.domain.waivers import Signature, WaiverVersion

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_store import DynamoDbUnitOfWork

_FIELDS = [field.name for field in fields(Signature) if field.name != "event_slug"]
SIGNATURES = "SIGNATURES"


class DynamoDbWaivers:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow
        self._store = uow.store
        self._slugs: dict[str, str] = {}

    def current_version(self) -> WaiverVersion | None:
        items = self._uow.query(
            "pk = :pk AND begins_with(sk, :prefix)", {":pk": "WAIVER", ":prefix": "VERSION#"}, limit=1, forward=False
        )
        return next((_version(item) for item in islice(items, 1)), None)

    def get_version(self, version_id: int) -> WaiverVersion | None:
        item = self._uow.get(("WAIVER", _version_sk(version_id)))
        return None if item is None else _version(item)

    def add_version(self, version: WaiverVersion) -> None:
        self._uow.writes.put(
            {
                "pk": "WAIVER",
                "sk": _version_sk(version.id),
                "id": version.id,
                "text": version.text,
                "sha256": version.sha256,
                "created_at": version.created_at.isoformat(),
            },
            "attribute_not_exists(pk)",
            error=lambda: Conflict(f"waiver version {version.id} exists already"),
        )

    def add_signature(self, signature: Signature) -> None:
        event = self._uow.events.item(signature.event_slug)
        if event is None:
            raise NotFound(f"no event {signature.event_slug!r}", "slug")
        sort = f"{signature.signed_at}#{signature.id}"
        item = {
            "pk": f"EV#{event['key']}",
            "sk": f"SIG#{sort}",
            "gsi1pk": SIGNATURES,
            "gsi1sk": sort,
            "event_key": event["key"],
            **{name: getattr(signature, name) for name in _FIELDS},
        }
        self._uow.writes.put(item, "attribute_not_exists(pk)")
        self._uow.writes.put(
            {"pk": f"COPY#{signature.copy_token}", "sk": "COPY", "event_key": event["key"], "signature_sk": item["sk"]},
            "attribute_not_exists(pk)",
        )

    def for_event(self, slug: str) -> list[Signature]:
        event = self._uow.events.item(slug)
        if event is None:
            return []
        return [self._signature(item) for item in self._uow.partition(f"EV#{event['key']}", "SIG#")]

    def by_copy_token(self, token: str) -> Signature | None:
        pointer = self._uow.get((f"COPY#{token}", "COPY"))
        if pointer is None:
            return None
        item = self._uow.get((f"EV#{pointer['event_key']}", str(pointer["signature_sk"])))
        return None if item is None else self._signature(item)

    def every_signature(self) -> Iterator[Signature]:
        for item in self._uow.query("gsi1pk = :pk", {":pk": SIGNATURES}, INDEX):
            yield self._signature(item)

    def _signature(self, item: Item) -> Signature:
        key = str(item["event_key"])
        if key not in self._slugs:
            found = self._uow.get((f"EV#{key}", "SLUG"))
            self._slugs[key] = "?" if found is None else str(found["slug"])
        values = {name: item[name] for name in _FIELDS}
        values["minor"] = bool(values["minor"])
        return Signature(event_slug=self._slugs[key], **values)


def _version_sk(version_id: int) -> str:
    return f"VERSION#{version_id:010d}"


def _version(item: Item) -> WaiverVersion:
    return WaiverVersion(item["id"], item["text"], item["sha256"], datetime.fromisoformat(item["created_at"]))
