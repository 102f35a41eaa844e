"""Production takes only what staging proved.

A version that passed its smoke test says so in its description (`release.SMOKE_PASSED`, written when it is
published). A prod deploy looks among staging's versions for one with the package's `CodeSha256` and that mark;
without one it refuses, unless the deployer says why not (`--skip-staging "reason"`, written into the prod
version's description). `scc promote` goes the other way round: it takes the code of the version staging's `live`
alias serves, checks its hash and its mark, and deploys those exact bytes to prod with prod's own settings.
"""

from __future__ import annotations

import base64
import hashlib
import urllib.request
from dataclasses import dataclass
from typing import Any

from shipcaptaincrew.deploy.release import SMOKE_PASSED
from shipcaptaincrew.deploy.steps import DeployFailed, call, error_code

DOWNLOAD_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Proof:
    function: str
    version: str

    def note(self) -> str:
        return f"proven on {self.function} version {self.version}"


def proof(client: Any, staging: str, code_sha256: str) -> Proof | None:
    """The newest version of `staging` with this code that passed its smoke test, if any."""
    proven = [
        version
        for version in _versions(client, staging)
        if version.get("CodeSha256") == code_sha256 and SMOKE_PASSED in version.get("Description", "")
    ]
    if not proven:
        return None
    return Proof(staging, str(max(proven, key=lambda version: int(version["Version"]))["Version"]))


def unproven(function: str, staging: str, code_sha256: str) -> str:
    return (
        f"refused: this package (CodeSha256 {code_sha256[:12]}…) has not passed on staging: no version of {staging} "
        f"holds this code with '{SMOKE_PASSED}' in its description.\nState: nothing was changed.\n"
        f"To go on: deploy it to staging (`scc deploy --stage staging --zip FILE`), then `scc promote`; or, when "
        f'{function} cannot wait, deploy with --skip-staging "the reason" (written into the version\'s description).'
    )


def skipped(reason: str) -> str:
    """The note a prod version carries when staging was skipped (one line; the description holds 256 characters)."""
    return "staging skipped: " + " ".join(reason.split())


def staging_code(client: Any, staging: str, alias: str) -> tuple[bytes, Proof]:
    """The exact zip of the version staging's `alias` serves, which must have passed its smoke test."""
    found = call(client, "get_function", FunctionName=staging, Qualifier=alias)
    configuration, version = found["Configuration"], str(found["Configuration"]["Version"])
    if SMOKE_PASSED not in configuration.get("Description", ""):
        raise DeployFailed(
            f"refused: {staging} version {version} ({alias}) has no record of passing its smoke test "
            f"('{SMOKE_PASSED}' is not in its description): deploy to staging with `scc deploy` first.\n"
            "State: nothing was changed."
        )
    with urllib.request.urlopen(found["Code"]["Location"], timeout=DOWNLOAD_TIMEOUT_SECONDS) as answer:
        package = answer.read()
    if base64.b64encode(hashlib.sha256(package).digest()).decode() != configuration["CodeSha256"]:
        raise DeployFailed(
            f"the code downloaded from {staging} version {version} does not match its CodeSha256.\n"
            "State: nothing was changed."
        )
    return package, Proof(staging, version)


def _versions(client: Any, function: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    marker = None
    while True:
        try:
            page = call(client, "list_versions_by_function", FunctionName=function, Marker=marker)
        except Exception as error:
            if error_code(error) == "ResourceNotFoundException":
                return []
            raise
        found += [version for version in page.get("Versions", []) if str(version.get("Version")).isdigit()]
        marker = page.get("NextMarker")
        if not marker:
            return found
