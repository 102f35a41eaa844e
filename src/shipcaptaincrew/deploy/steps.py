"""Running a deploy as named steps: each prints what it does and how long it took; a failure says where the
function was left and how to recover.

boto3 is the vendor boundary: the client is passed in, and its errors are recognised by their AWS error code
(botocore is not imported here, so `scc --help` does not pay for it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
Echo = Callable[[str], None]

EXPLAINED = {
    "PreconditionFailedException": "the function changed while this deploy ran (RevisionId mismatch): "
    "someone or something else updated it after this deploy read it",
    "ResourceConflictException": "another update of the function is in progress",
    "ResourceNotFoundException": "the function (or the alias) does not exist",
    "AccessDeniedException": "these AWS credentials may not do this",
}


class DeployFailed(Exception):
    """A deploy stopped. The message says what went wrong, what state the function is in, and what to do."""


@dataclass
class Progress:
    """How far a deploy got, so a failure can say what state the function is in."""

    function: str
    alias: str
    live_version: str | None = None
    code_updated: bool = False
    config_updated: bool = False
    published: str | None = None
    alias_moved: bool = False

    def state(self) -> str:
        before = f"the {self.alias} alias still points at version {self.live_version or '(none yet)'}"
        if not self.code_updated and not self.config_updated:
            return f"Nothing was changed: {self.function} is as the snapshot shows."
        if not self.config_updated:
            return f"$LATEST of {self.function} has the new code and its environment untouched; {before}."
        if not self.published:
            return f"$LATEST of {self.function} has the new code and the merged environment; {before}."
        if not self.alias_moved:
            return f"Version {self.published} of {self.function} is published; {before}."
        return f"{self.function}: the {self.alias} alias points at version {self.published}."

    def recovery(self) -> str:
        if not self.code_updated and not self.config_updated:
            return "Run the deploy again once the other change is finished; it reads the function afresh."
        return (
            "Requests through the alias are unaffected. Run the same deploy again: it re-reads the live "
            "environment and merges into it, so no setting is lost; the snapshots saved so far show every key's hash."
        )


def error_code(error: BaseException) -> str | None:
    """AWS's error code of a botocore ClientError (None for anything else)."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code else None
    return None


class Steps:
    """Numbered, timed steps; turns any failure into DeployFailed with the state from `progress`."""

    def __init__(self, echo: Echo, progress: Progress, after_step: Callable[[str], None] | None = None) -> None:
        self.echo = echo
        self.progress = progress
        self.after_step = after_step
        self.number = 0

    def run(self, name: str, doing: str, action: Callable[[], tuple[T, str]]) -> T:
        """Print `doing`, run `action` (which returns its result and a one-line summary), print the summary."""
        self.number += 1
        self.echo(f"[{self.number}] {name}: {doing}")
        began = time.perf_counter()
        try:
            result, summary = action()
        except DeployFailed:
            raise
        except Exception as error:
            raise self.failure(name, error) from None
        self.echo(f"    {summary} ({time.perf_counter() - began:.2f} s)")
        if self.after_step:
            self.after_step(name)
        return result

    def failure(self, name: str, error: BaseException) -> DeployFailed:
        code = error_code(error)
        reason = EXPLAINED.get(code or "", f"{type(error).__name__}: {_first_line(error)}")
        return DeployFailed(
            f"step '{name}' failed: {reason}.\nState: {self.progress.state()}\nTo recover: {self.progress.recovery()}"
        )


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [""])[0][:300]


def call(client: Any, operation: str, **params: Any) -> dict[str, Any]:
    """One API call, leaving out parameters that are None (RevisionId where an emulator has none)."""
    answer: dict[str, Any] = getattr(client, operation)(**{k: v for k, v in params.items() if v is not None})
    return answer


def read_alias(client: Any, function: str, name: str) -> dict[str, Any] | None:
    try:
        return call(client, "get_alias", FunctionName=function, Name=name)
    except Exception as error:
        if error_code(error) == "ResourceNotFoundException":
            return None
        raise
