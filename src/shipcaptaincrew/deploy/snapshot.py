"""What a function looked like at one moment, with every environment value redacted and its SHA-256 kept.

A snapshot is taken before a deploy changes anything and after it finishes, and saved as JSON in a local
folder, so the state a deploy started from can always be compared with what is live now.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from shipcaptaincrew.deploy.lambda_env import hashes

REDACTED = "[redacted]"


@dataclass(frozen=True)
class Snapshot:
    function: str
    taken_at: datetime
    revision_id: str | None
    """Lambda's optimistic-lock token for $LATEST; None only where an emulator does not implement it."""
    code_sha256: str
    last_update_status: str
    variable_hashes: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "taken_at": self.taken_at.isoformat(),
            "revision_id": self.revision_id,
            "code_sha256": self.code_sha256,
            "last_update_status": self.last_update_status,
            "environment": {key: {"value": REDACTED, "sha256": digest} for key, digest in self.variable_hashes.items()},
        }

    def save(self, folder: Path, label: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.function}-{self.taken_at:%Y%m%dT%H%M%S%fZ}-{label}.json"
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n")
        return path


def variables(configuration: Mapping[str, Any]) -> dict[str, str]:
    """The environment map of a GetFunctionConfiguration answer (absent when the function has none)."""
    found: dict[str, str] = configuration.get("Environment", {}).get("Variables", {}) or {}
    return dict(found)


def take(configuration: Mapping[str, Any], taken_at: datetime) -> Snapshot:
    return Snapshot(
        function=str(configuration["FunctionName"]),
        taken_at=taken_at,
        revision_id=configuration.get("RevisionId"),
        code_sha256=str(configuration.get("CodeSha256", "")),
        last_update_status=str(configuration.get("LastUpdateStatus", "Successful")),
        variable_hashes=hashes(variables(configuration)),
    )
