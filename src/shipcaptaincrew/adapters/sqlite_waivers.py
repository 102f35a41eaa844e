"""Waiver versions, signatures, voids and the chain's head in SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime

from shipcaptaincrew.domain.errors import AlreadyUsed, Conflict, Contention, NotFound
from shipcaptaincrew.domain.seals import ChainHead
from shipcaptaincrew.domain.waivers import Signature, Void, WaiverVersion

_VERSION = "SELECT id, text, sha256, created_at FROM waiver_versions"
_FIELDS = [field.name for field in fields(Signature) if field.name not in ("event_slug", "event_key")]
_SELECT = (
    f"SELECT {', '.join(f'signatures.{name}' for name in _FIELDS)}, events.slug AS event_slug, "
    "events.key AS event_key FROM signatures JOIN events ON events.id = signatures.event_id"
)
_VOID_FIELDS = [field.name for field in fields(Void) if field.name != "event_key"]
_VOIDS = (
    f"SELECT {', '.join(f'signature_voids.{name}' for name in _VOID_FIELDS)}, events.key AS event_key "
    "FROM signature_voids JOIN events ON events.id = signature_voids.event_id"
)


class SqliteWaivers:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def current_version(self) -> WaiverVersion | None:
        return _version(self._connection.execute(f"{_VERSION} ORDER BY id DESC LIMIT 1").fetchone())

    def get_version(self, version_id: int) -> WaiverVersion | None:
        return _version(self._connection.execute(f"{_VERSION} WHERE id = ?", (version_id,)).fetchone())

    def add_version(self, version: WaiverVersion) -> None:
        self._connection.execute(
            "INSERT INTO waiver_versions (id, text, sha256, created_at) VALUES (?, ?, ?, ?)",
            (version.id, version.text, version.sha256, version.created_at.isoformat()),
        )

    def add_signature(self, signature: Signature) -> None:
        values = [getattr(signature, name) for name in _FIELDS]
        try:
            written = self._connection.execute(
                f"INSERT INTO signatures (event_id, {', '.join(_FIELDS)}) "
                f"SELECT id, {', '.join('?' * len(_FIELDS))} FROM events WHERE key = ?",
                (*values, signature.event_key),
            ).rowcount
        except sqlite3.IntegrityError:
            raise Contention("another record took this place in the chain; try again") from None
        if written != 1:
            raise NotFound(f"no event {signature.event_slug!r}", "slug")

    def get_signature(self, signature_id: str) -> Signature | None:
        row = self._connection.execute(f"{_SELECT} WHERE signatures.id = ?", (signature_id,)).fetchone()
        return None if row is None else _signature(row)

    def for_event(self, slug: str) -> list[Signature]:
        rows = self._connection.execute(
            f"{_SELECT} WHERE events.slug = ? ORDER BY signatures.signed_at, signatures.rowid", (slug,)
        )
        return [_signature(row) for row in rows]

    def by_copy_token(self, token: str) -> Signature | None:
        row = self._connection.execute(f"{_SELECT} WHERE signatures.copy_token = ?", (token,)).fetchone()
        return None if row is None else _signature(row)

    def every_signature(self) -> Iterator[Signature]:
        for row in self._connection.execute(f"{_SELECT} ORDER BY signatures.rowid"):
            yield _signature(row)

    def add_void(self, void: Void) -> None:
        values = [getattr(void, name) for name in _VOID_FIELDS]
        try:
            self._connection.execute(
                f"INSERT INTO signature_voids (event_id, {', '.join(_VOID_FIELDS)}) "
                f"SELECT id, {', '.join('?' * len(_VOID_FIELDS))} FROM events WHERE key = ?",
                (*values, void.event_key),
            )
        except sqlite3.IntegrityError:
            raise Conflict("this signature was voided already", "id") from None

    def voids_for_event(self, slug: str) -> list[Void]:
        rows = self._connection.execute(
            f"{_VOIDS} WHERE events.slug = ? ORDER BY signature_voids.position",
            (slug,),
        )
        return [_void(row) for row in rows]

    def every_void(self) -> Iterator[Void]:
        for row in self._connection.execute(f"{_VOIDS} ORDER BY signature_voids.position"):
            yield _void(row)

    def chain_head(self) -> ChainHead:
        row = self._connection.execute("SELECT position, seal, head_seal FROM waiver_chain WHERE id = 1").fetchone()
        if row is not None:
            return ChainHead(int(row[0]), str(row[1]), str(row[2]))
        before_sealing = self._connection.execute("SELECT count(*) FROM signatures WHERE seal = ''").fetchone()[0]
        return ChainHead(int(before_sealing))

    def move_chain_head(self, head: ChainHead, replacing: ChainHead) -> None:
        # The write lock is held since the head was read, so nobody else can have moved it.
        self._connection.execute(
            "INSERT INTO waiver_chain (id, position, seal, head_seal) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
            "SET position = excluded.position, seal = excluded.seal, head_seal = excluded.head_seal",
            (head.position, head.seal, head.head_seal),
        )

    def spend_form_token(self, nonce: str, expires_at: datetime, now: datetime) -> None:
        self._connection.execute("DELETE FROM spent_form_tokens WHERE expires_at < ?", (now.isoformat(),))
        try:
            self._connection.execute(
                "INSERT INTO spent_form_tokens (nonce, expires_at) VALUES (?, ?)", (nonce, expires_at.isoformat())
            )
        except sqlite3.IntegrityError:
            raise AlreadyUsed(USED_FORM, "form_token") from None


USED_FORM = "this form was used to sign already; open the waiver page again to sign for someone else"


def _version(row: sqlite3.Row | None) -> WaiverVersion | None:
    return None if row is None else WaiverVersion(row[0], row[1], row[2], datetime.fromisoformat(row[3]))


def _signature(row: sqlite3.Row) -> Signature:
    values = {name: row[name] for name in _FIELDS}
    values["minor"] = bool(values["minor"])
    return Signature(event_slug=row["event_slug"], event_key=str(row["event_key"]), **values)


def _void(row: sqlite3.Row) -> Void:
    return Void(event_key=str(row["event_key"]), **{name: row[name] for name in _VOID_FIELDS})
