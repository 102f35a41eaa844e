"""Keep secrets out of the server's logs: capability URLs (a guest link, a signer's copy, a calendar feed, a day
sheet) are redacted; the slug or the person's id stays, so the log still says which charter or sheet was asked for."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

_SECRET_PATHS = re.compile(r"(/signed/|/cal/|/(?:g|day)/(?!_static/)[^/\s?\"]+/)[A-Za-z0-9_-]+")


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(_redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        record.msg = _redact(str(record.msg))
        return True


def _redact(text: str) -> str:
    return _SECRET_PATHS.sub(r"\1[redacted]", text)


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging set-up with the redacting filter on every handler, and the application's warnings
    and errors (an unhandled error names the path it happened on) through the same filtered handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact"] = {"()": RedactSecrets}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
    config["root"] = {"handlers": ["default"], "level": "WARNING"}
    return config
