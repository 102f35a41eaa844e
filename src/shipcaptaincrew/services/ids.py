"""Identifiers that sort by creation time and cannot be guessed."""

from __future__ import annotations

import secrets
from datetime import datetime


def new_id(prefix: str, now: datetime) -> str:
    return f"{prefix}_{int(now.timestamp() * 1000):012x}{secrets.token_hex(6)}"


def new_key() -> str:
    """An event's permanent id: random, so nothing about the event can be read from it."""
    return secrets.token_hex(16)
