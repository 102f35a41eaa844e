"""What the `live` alias's description says about the version it serves: the record a staging version's proof is.

A version cannot be changed once published, and the checks that matter most run after traffic reaches it (the
page, the public smoke test, the log watch). So the verdict is kept on the alias: the shift, in the same
UpdateAlias that moves it, marks the new version *on trial*; only a deploy whose every check passed marks it
*proven*; a rollback moves the alias back together with the description it had before. A version proves its code
only while the alias serves it and the mark names it: a later move (another deploy's shift, `scc rollback`) leaves
no mark naming the version the alias then serves, and so proves nothing until a deploy finishes again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

LIMIT = 256
"""Lambda's limit on an alias's description."""
PROVEN = re.compile(r"^proven: version (\d+) ")


def on_trial(version: str, when: datetime) -> str:
    return _fit(
        f"on trial: version {version}, moved here by scc deploy {_at(when)}; its checks after the shift "
        "have not finished, so it proves nothing"
    )


def proven(version: str, checks: Sequence[str], when: datetime) -> str:
    return _fit(
        f"proven: version {version} passed every check and stayed live ({', '.join(checks)}); scc deploy {_at(when)}"
    )


def failed(version: str, when: datetime) -> str:
    return _fit(
        f"failed: version {version} failed its checks after the shift (scc deploy {_at(when)}); it proves nothing"
    )


def proves(description: str, version: str) -> bool:
    """Whether an alias with this description, serving `version`, vouches for that version's code."""
    found = PROVEN.match(description)
    return found is not None and found.group(1) == str(version)


def _at(when: datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M:%S} UTC"


def _fit(description: str) -> str:
    return description[:LIMIT]
