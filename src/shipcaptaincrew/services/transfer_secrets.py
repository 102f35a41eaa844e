"""What a whole-store export leaves out unless asked (`--include-secrets`), and what an import makes anew.

An export travels: to the bookkeeper, to another machine, into a ticket. Left out: the admin password hash, its
tag and the signed-out token ids (whole kinds), and every capability token a record holds (fields). The token
values are also blanked wherever else they appear (the links in the emails the outbox keeps), so the export cannot
open a live link of the store it came from. An import of such a file makes new tokens, so every old link is dead, and
has no admin password: the first start prints a new one, as on a first run.

To add a secret field: name it under its record kind in SECRET_FIELDS with what makes a new value.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from shipcaptaincrew.ports import Record


def new_token() -> str:
    return secrets.token_urlsafe(24)


SECRET_KINDS = ("credential", "revoked_token")
"""Kinds of record left out whole: the admin password hash and its tag (made with a key the export never holds,
but a filter on guesses to whoever also has the key), and which sign-in tokens were signed out."""
SECRET_FIELDS: dict[str, dict[str, Callable[[], str]]] = {
    "event": {"guest_nonce": lambda: secrets.token_hex(16)},
    "person": {"calendar_token": new_token, "day_sheet_nonce": lambda: secrets.token_hex(16)},
    "signature": {"copy_token": new_token},
}
"""Fields left out of each kind of record, and what makes a new value when an import finds them missing."""
LEFT_OUT = "(left out of the export)"
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{16,}")
_GUEST_LINK = re.compile(r"(/g/[^/\s\"'<>]+/)[A-Za-z0-9_-]{24}")
"""A guest link's secret, made from the event's nonce with a key the export never holds: blanked by its shape."""


def without_secrets(records: Iterable[Record]) -> Iterator[Record]:
    """The records without the secret kinds and fields, and without those fields' values anywhere else."""
    kept = [record for record in records if record["type"] not in SECRET_KINDS]
    dropped = {str(record[name]) for record in kept for name in SECRET_FIELDS.get(record["type"], {}) if record[name]}
    for record in kept:
        secret = SECRET_FIELDS.get(record["type"], {})
        yield {name: _blanked(value, dropped) for name, value in record.items() if name not in secret}


def refilled(record: Record) -> Record:
    """The record with a new value for each secret field it lacks (an export without secrets left it out)."""
    kind = record.get("type")
    fields = SECRET_FIELDS.get(kind, {}) if isinstance(kind, str) else {}
    missing = {name: make() for name, make in fields.items() if name not in record}
    return {**record, **missing} if missing else record


def _blanked(value: Any, dropped: set[str]) -> Any:
    if isinstance(value, str):
        value = _GUEST_LINK.sub(lambda found: found.group(1) + LEFT_OUT, value)
        return _TOKEN_LIKE.sub(lambda found: LEFT_OUT if found.group() in dropped else found.group(), value)
    if isinstance(value, dict):
        return {name: _blanked(item, dropped) for name, item in value.items()}
    if isinstance(value, list):
        return [_blanked(item, dropped) for item in value]
    return value
