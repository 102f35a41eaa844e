"""Waiver versions and signatures in SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime

from shipcaptaincrew.domain.waivers import Signature, WaiverVersion

_VERSION = "SELECT id, text, sha256, created_at FROM waiver_versions"
_FIELDS = [field.name for field in fields(Signature) if field.name != "event_slug"]
_SELECT = (
    f"SELECT {', '.join(f'signatures.{name}' for name in _FIELDS)}, events.slug AS event_slug "
    "FROM signatures JOIN events ON events.id = signatures.event_id"
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
        self._connection.execute(
            f"INSERT INTO signatures (event_id, {', '.join(_FIELDS)}) "
            f"SELECT id, {', '.join('?' * len(_FIELDS))} FROM events WHERE slug = ?",
            (*values, signature.event_slug),
        )

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


def _version(row: sqlite3.Row | None) -> WaiverVersion | None:
    return None if row is None else WaiverVersion(row[0], row[1], row[2], datetime.fromisoformat(row[3]))


def _signature(row: sqlite3.Row) -> Signature:
    values = {name: row[name] for name in _FIELDS}
    values["minor"] = bool(values["minor"])
    return Signature(event_slug=row["event_slug"], **values)
