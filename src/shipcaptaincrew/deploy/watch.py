"""Watching a version's logs for a short while after traffic reached it: errors there undo the deploy.

The function logs one JSON object per line (`"level": "ERROR"` for errors); the Lambda runtime adds its own
lines for a handler that does not import (`[ERROR] Runtime.ImportModuleError`), a crash (a traceback) or a
timeout (`Task timed out`). CloudWatch Logs' FilterLogEvents narrows the read to lines with one of those
terms; each line is then judged here, and only lines from the new version's log streams
(`YYYY/MM/DD/[VERSION]…`) written after the shift count.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from shipcaptaincrew.deploy.steps import error_code

FILTER = '?ERROR ?CRITICAL ?"Task timed out" ?Traceback'
RUNTIME_ERRORS = ("[ERROR]", "Task timed out", "Traceback (most recent call last)")
POLL_SECONDS = 5.0


def log_group(configuration: dict[str, Any]) -> str:
    """Where the function logs: its logging configuration's group, or Lambda's default."""
    configured = (configuration.get("LoggingConfig") or {}).get("LogGroup")
    return str(configured or f"/aws/lambda/{configuration['FunctionName']}")


def is_error(message: str) -> bool:
    try:
        line = json.loads(message)
    except ValueError:
        line = None
    if isinstance(line, dict):
        return str(line.get("level", "")).upper() in ("ERROR", "CRITICAL")
    return any(mark in message for mark in RUNTIME_ERRORS)


def errors(logs: Any, group: str, since_ms: int, version: str) -> list[str]:
    """The error lines version `version` logged since `since_ms` (none when the group does not exist yet)."""
    stream = f"[{version}]"
    return [
        event["message"]
        for event in _events(logs, group, since_ms)
        if stream in event.get("logStreamName", "") and is_error(event["message"])
    ]


def _events(logs: Any, group: str, since_ms: int) -> Iterator[dict[str, Any]]:
    token = None
    while True:
        params = {"logGroupName": group, "startTime": since_ms, "filterPattern": FILTER}
        try:
            page = logs.filter_log_events(**params, **({"nextToken": token} if token else {}))
        except Exception as error:
            if error_code(error) == "ResourceNotFoundException":
                return
            raise
        yield from page.get("events", [])
        token = page.get("nextToken")
        if not token:
            return


def watch(
    logs: Any, group: str, since_ms: int, version: str, seconds: float, sleep: Callable[[float], None] = time.sleep
) -> list[str]:
    """Read the group every few seconds for `seconds`; return the first errors found (empty: none)."""
    deadline = time.monotonic() + seconds
    while True:
        found = errors(logs, group, since_ms, version)
        left = deadline - time.monotonic()
        if found or left <= 0:
            return found
        sleep(min(POLL_SECONDS, left))
