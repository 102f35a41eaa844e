"""Waiver versions, signatures, voids and the chain's head in DynamoDB, items to records in one place.

Versions: `WAIVER`/`VERSION#<id, zero-padded>` (the current one is the last); the chain's head: `WAIVER`/`CHAIN`,
written on the condition that it is still the head the signer read. A signature lives under its event's
immutable key (`EV#<key>`, `SIG#<signed at>#<id>`), indexed on gsi1 (`SIGNATURES`, `<signed at>#<id>`);
`COPY#<token>` and `SIGID#<id>` lead to it. A void is `EV#<key>`/`VOID#<signature id>` (so one signature is
voided once), indexed on gsi1 (`VOIDS`, `<position>`). A spent form token is `FORM#<nonce>`, forgotten by TTL.
Nothing here is ever updated but the head.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from shipcaptaincrew.adapters.dynamodb_store import INDEX, Item
from shipcaptaincrew.adapters.sqlite_waivers import USED_FORM
from shipcaptaincrew.domain.errors import AlreadyUsed, Conflict, Contention, NotFound
from shipcaptaincrew.domain.seals import ChainHead
from shipcaptaincrew.domain.waivers import Signature, Void, WaiverVersion

if TYPE_CHECKING:
    from shipcaptaincrew.adapters.dynamodb_store import DynamoDbUnitOfWork

_FIELDS = [field.name for field in fields(Signature) if field.name not in ("event_slug", "event_key")]
_VOID_FIELDS = [field.name for field in fields(Void)]
SIGNATURES, VOIDS = "SIGNATURES", "VOIDS"
HEAD = ("WAIVER", "CHAIN")


def _head_moved() -> Contention:
    """Another record took the chain's next position first: the signing runs again after the new head."""
    return Contention("another signature was saved at the same moment; send the form again")


class DynamoDbWaivers:
    def __init__(self, uow: DynamoDbUnitOfWork) -> None:
        self._uow = uow
        self._slugs: dict[str, str] = {}
        self._stored: dict[str, list[Item]] = {}  # EV#<key> -> its signature and void items, as read

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
            # Another request added this version first (the default text, on two first visits): run again.
            error=lambda: Contention(f"waiver version {version.id} was added by another request at the same moment"),
        )

    def add_signature(self, signature: Signature) -> None:
        event = self._uow.events.item(signature.event_slug)  # read already by the use case: no call
        if event is None or event["key"] != signature.event_key:
            raise NotFound(f"no event {signature.event_slug!r}", "slug")
        sort = f"{signature.signed_at}#{signature.id}"
        item = {
            "pk": f"EV#{signature.event_key}",
            "sk": f"SIG#{sort}",
            "gsi1pk": SIGNATURES,
            "gsi1sk": sort,
            "event_key": signature.event_key,
            **{name: getattr(signature, name) for name in _FIELDS},
        }
        self._uow.writes.put(item, "attribute_not_exists(pk)")
        pointer = {"event_key": signature.event_key, "signature_sk": item["sk"]}
        self._uow.writes.put(
            {"pk": f"COPY#{signature.copy_token}", "sk": "COPY", **pointer}, "attribute_not_exists(pk)"
        )
        self._uow.writes.put({"pk": f"SIGID#{signature.id}", "sk": "SIGID", **pointer}, "attribute_not_exists(pk)")

    def get_signature(self, signature_id: str) -> Signature | None:
        pointer = self._uow.get((f"SIGID#{signature_id}", "SIGID"))
        if pointer is not None:
            return self._pointed(pointer)
        # Signatures stored before the pointer existed: found on the index (a Query, rare: voiding an old one).
        found = self._uow.query("gsi1pk = :pk", {":pk": SIGNATURES}, INDEX)
        return next((self._signature(item) for item in found if item["id"] == signature_id), None)

    def for_event(self, slug: str) -> list[Signature]:
        event = self._uow.events.item(slug)
        if event is None:
            return []
        found = [self._signature(item, str(event["slug"])) for item in self._records(str(event["key"]), "SIG#")]
        return sorted(found, key=lambda signature: (signature.signed_at, signature.position or 0))

    def by_copy_token(self, token: str) -> Signature | None:
        pointer = self._uow.get((f"COPY#{token}", "COPY"))
        return None if pointer is None else self._pointed(pointer)

    def every_signature(self) -> Iterator[Signature]:
        for item in self._uow.query("gsi1pk = :pk", {":pk": SIGNATURES}, INDEX):
            yield self._signature(item)

    def add_void(self, void: Void) -> None:
        item = {
            "pk": f"EV#{void.event_key}",
            "sk": f"VOID#{void.signature_id}",
            "gsi1pk": VOIDS,
            "gsi1sk": f"{void.position or 0:012d}",
            **{name: getattr(void, name) for name in _VOID_FIELDS},
        }
        self._uow.writes.put(
            item, "attribute_not_exists(pk)", error=lambda: Conflict("this signature was voided already", "id")
        )

    def voids_for_event(self, slug: str) -> list[Void]:
        event = self._uow.events.item(slug)
        if event is None:
            return []
        return [_void(item) for item in self._records(str(event["key"]), "VOID#")]

    def every_void(self) -> Iterator[Void]:
        for item in self._uow.query("gsi1pk = :pk", {":pk": VOIDS}, INDEX):
            yield _void(item)

    def chain_head(self) -> ChainHead:
        item = self._uow.get(HEAD)
        if item is None:
            return ChainHead()
        return ChainHead(int(item["position"]), str(item["seal"]), str(item["head_seal"]))

    def move_chain_head(self, head: ChainHead, replacing: ChainHead) -> None:
        item = {"pk": HEAD[0], "sk": HEAD[1], "position": head.position, "seal": head.seal, "head_seal": head.head_seal}
        pending = self._uow.writes.pending.get(HEAD)
        if pending is not None:  # a family's next record, in the same transaction: still conditional on the stored head
            pending.item = item
            return
        if not replacing.head_seal:
            self._uow.writes.put(item, "attribute_not_exists(pk)", error=_head_moved)
        else:
            self._uow.writes.put(item, "head_seal = :read", {":read": replacing.head_seal}, error=_head_moved)

    def spend_form_token(self, nonce: str, expires_at: datetime, now: datetime) -> None:
        item = {"pk": f"FORM#{nonce}", "sk": "FORM", "expires": int(expires_at.timestamp())}
        self._uow.writes.put(
            item, "attribute_not_exists(pk) OR expires < :now", {":now": int(now.timestamp())}, error=_form_used
        )

    def _records(self, event_key: str, prefix: str) -> list[Item]:
        """The event's signatures (`SIG#`) or voids (`VOID#`), this unit of work's own included, in key order.

        One Query reads both (they sort together, after the event's ledger), once per unit of work: a signature
        reads them after the chain's head, and each call there is time for another signer to move it."""
        pk = f"EV#{event_key}"
        if pk not in self._stored:
            bounds = {":pk": pk, ":low": "SIG#", ":high": "VOID#~"}
            self._stored[pk] = list(self._uow.query("pk = :pk AND sk BETWEEN :low AND :high", bounds))
        found = {str(item["sk"]): item for item in self._stored[pk] if str(item["sk"]).startswith(prefix)}
        for write in self._uow.writes.pending.values():
            if write.kind == "put" and write.key[0] == pk and write.key[1].startswith(prefix):
                found[write.key[1]] = dict(write.item)
        return [found[sk] for sk in sorted(found)]

    def _pointed(self, pointer: Item) -> Signature | None:
        item = self._uow.get((f"EV#{pointer['event_key']}", str(pointer["signature_sk"])))
        return None if item is None else self._signature(item)

    def _signature(self, item: Item, slug: str | None = None) -> Signature:
        key = str(item["event_key"])
        if slug is not None:
            self._slugs[key] = slug
        if key not in self._slugs:
            found = self._uow.get((f"EV#{key}", "SLUG"))
            self._slugs[key] = "?" if found is None else str(found["slug"])
        values = {name: item.get(name, _DEFAULTS.get(name)) for name in _FIELDS}
        values["minor"] = bool(values["minor"])
        return Signature(event_slug=self._slugs[key], event_key=key, **values)


_DEFAULTS: dict[str, object] = {"signed_slug": "", "position": None, "previous_seal": "", "seal": ""}
"""What signatures stored before sealing lack."""


def _form_used() -> AlreadyUsed:
    return AlreadyUsed(USED_FORM, "form_token")


def _version_sk(version_id: int) -> str:
    return f"VERSION#{version_id:010d}"


def _version(item: Item) -> WaiverVersion:
    return WaiverVersion(item["id"], item["text"], item["sha256"], datetime.fromisoformat(item["created_at"]))


def _void(item: Item) -> Void:
    return Void(**{name: item[name] for name in _VOID_FIELDS})
