"""Logs on Lambda: one JSON object a line on stdout, each with the invocation's request id, never a secret.

Secrets stay out by construction (no headers, bodies or query strings are logged); as a second guard the
formatter replaces any known secret value (the signing key, the password hash, SSM values...) that still
reaches a line.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 6  # shorter values would redact ordinary words
APPLICATION = "shipcaptaincrew"
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


class JsonLines(logging.Formatter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: list[str] = []
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        for secret in secrets:
            if secret and len(secret) >= MIN_SECRET_LENGTH:
                escaped = json.dumps(secret, ensure_ascii=False)[1:-1]
                self.secrets += sorted({secret, escaped}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": request_id.get(),
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return self.redact(json.dumps(entry, ensure_ascii=False, default=str))

    def redact(self, line: str) -> str:
        for secret in self.secrets:
            line = line.replace(secret, REDACTED)
        return line


def configure(formatter: JsonLines, filters: Iterable[logging.Filter] = (), level: int = logging.INFO) -> None:
    """Route every log record to stdout through `formatter`, replacing the runtime's own handlers.

    The application's own loggers (`shipcaptaincrew.*`) write from `level`; every other library only its warnings:
    each line is billed, and a library's chatter (the PDF font subsetter's runs to 14 KB per signed copy) says
    nothing an operator needs.
    """
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    for log_filter in filters:
        handler.addFilter(log_filter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(max(level, logging.WARNING))
    logging.getLogger(APPLICATION).setLevel(level)
