"""The function's environment across a deploy: merge (never drop a live key silently), size, diff, hashes.

Lambda's UpdateFunctionConfiguration *replaces* the whole environment map, so a deploy reads the live map,
merges its changes into it and writes the result back. "Live" is the version the `live` alias serves: $LATEST
can lose a key behind the deploy's back (a stack update or a console edit writes the whole map), and a merge
that started from $LATEST would silently carry the loss into the next version. Values are never shown: a diff
names keys, and a value is compared by its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LIMIT_BYTES = 4 * 1024
"""Lambda's limit on the environment. Measured here as the JSON of the map, which never undercounts."""
KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
RESERVED = frozenset(
    "_HANDLER _X_AMZN_TRACE_ID AWS_DEFAULT_REGION AWS_REGION AWS_EXECUTION_ENV AWS_LAMBDA_FUNCTION_NAME "
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE AWS_LAMBDA_FUNCTION_VERSION AWS_LAMBDA_INITIALIZATION_TYPE "
    "AWS_LAMBDA_LOG_GROUP_NAME AWS_LAMBDA_LOG_STREAM_NAME AWS_ACCESS_KEY AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY "
    "AWS_SESSION_TOKEN AWS_LAMBDA_RUNTIME_API LAMBDA_TASK_ROOT LAMBDA_RUNTIME_DIR".split()
)
"""Names the Lambda runtime sets itself and refuses in a function's configuration."""


class EnvironmentRefused(ValueError):
    """The requested environment cannot be written; nothing has been changed."""


@dataclass(frozen=True)
class Changes:
    """What `--set` and `--remove` ask for, plus defaults that apply only where the live map has no value."""

    set: Mapping[str, str]
    remove: frozenset[str] = frozenset()
    defaults: Mapping[str, str] | None = None
    restore_from_live: bool = False
    """Put back the keys that the live version has and $LATEST lost (otherwise they stop the deploy)."""


@dataclass(frozen=True)
class Diff:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    kept: tuple[str, ...]
    restored: tuple[str, ...] = ()
    """Keys $LATEST had lost, put back from the live version (counted apart from the unchanged ones)."""
    live_version: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def lines(self) -> list[str]:
        """One line per key that changes or is restored, then a count of the unchanged ones. Names, never values."""
        restored = f"restored from live version {self.live_version}"
        marks = [
            ("+", self.added, "added"),
            ("~", self.changed, "changed"),
            ("-", self.removed, "removed"),
            ("↺", self.restored, restored),
        ]
        lines = [f"  {mark} {key} ({what})" for mark, keys, what in marks for key in keys]
        unchanged = [key for key in self.kept if key not in self.restored]
        return [*lines, f"  = {len(unchanged)} unchanged"]


def lost(live: Mapping[str, str], latest: Mapping[str, str]) -> tuple[str, ...]:
    """Keys the live version has and $LATEST does not: removed outside `scc deploy`."""
    return _sorted(key for key in live if key not in latest)


def unresolved(lost_keys: Iterable[str], changes: Changes) -> tuple[str, ...]:
    """Lost keys the deployer said nothing about: neither --restore-from-live nor --remove KEY."""
    return () if changes.restore_from_live else _sorted(key for key in lost_keys if key not in changes.remove)


def base(live: Mapping[str, str], latest: Mapping[str, str]) -> dict[str, str]:
    """What a merge starts from: the live version's map, with what changed on $LATEST since (added or changed
    there on purpose, and kept); the keys $LATEST lost stay, for --remove to drop or --restore-from-live to keep."""
    return {**live, **latest}


def merge(live: Mapping[str, str], changes: Changes) -> dict[str, str]:
    """The environment to write: the live map, with defaults where unset, `set` applied and `remove` taken out.

    Raises EnvironmentRefused for a key both set and removed, a removal of a key that is not there (a typo would
    otherwise pass silently), a name Lambda would refuse, or a result over LIMIT_BYTES.
    """
    _check_request(live, changes)
    defaults = {key: value for key, value in (changes.defaults or {}).items() if key not in live}
    merged = {**defaults, **live, **changes.set}
    for key in changes.remove:
        del merged[key]
    check_size(merged)
    return dict(sorted(merged.items()))


def _check_request(live: Mapping[str, str], changes: Changes) -> None:
    both = sorted(set(changes.set) & changes.remove)
    if both:
        raise EnvironmentRefused(f"both set and removed: {', '.join(both)}")
    missing = sorted(changes.remove - set(live))
    if missing:
        raise EnvironmentRefused(f"cannot remove what the function does not have: {', '.join(missing)}")
    for key in changes.set:
        check_key(key)


def check_key(key: str) -> None:
    if not KEY.fullmatch(key):
        raise EnvironmentRefused(f"{key!r} is not a valid environment variable name (letters, digits, _)")
    if key in RESERVED:
        raise EnvironmentRefused(f"{key} is reserved by Lambda")


def size(variables: Mapping[str, str]) -> int:
    return len(json.dumps(dict(variables), separators=(",", ":"), ensure_ascii=False).encode())


def check_size(variables: Mapping[str, str]) -> None:
    measured = size(variables)
    if measured > LIMIT_BYTES:
        raise EnvironmentRefused(
            f"the environment would be {measured} bytes, over Lambda's {LIMIT_BYTES}-byte limit; "
            "move large values (keys, tokens) to SSM parameters (SCC_SSM_PREFIX) or remove some with --remove"
        )


def value_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hashes(variables: Mapping[str, str]) -> dict[str, str]:
    return {key: value_hash(value) for key, value in sorted(variables.items())}


def diff(before: Mapping[str, str], after: Mapping[str, str]) -> Diff:
    """Keys added, changed (by value), removed and kept between two maps of values or of value hashes."""
    return Diff(
        added=_sorted(key for key in after if key not in before),
        changed=_sorted(key for key in after if key in before and before[key] != after[key]),
        removed=_sorted(key for key in before if key not in after),
        kept=_sorted(key for key in after if key in before and before[key] == after[key]),
    )


def _sorted(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(keys))
