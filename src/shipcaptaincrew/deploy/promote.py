"""Production takes only what staging proved.

Proof is the mark a staging deploy writes on staging's `live` alias once every check passed (`marks.py`): the test
of the new version before the shift, and after it the page, the public smoke test and the log watch. A deploy
rolled back, stopped half-way, or moved past by a later deploy or `scc rollback` leaves no proof. A prod deploy
takes a package only when staging's `live` alias serves a proven version with the package's `CodeSha256`; without
one it refuses, unless the deployer says why not (`--skip-staging "reason"`, written into the prod version's
description). `scc promote` goes the other way round: it takes the code of that proven version, checks its hash,
and deploys those exact bytes to prod with prod's own settings.
"""

from __future__ import annotations

import base64
import hashlib
import urllib.request
from dataclasses import dataclass
from typing import Any

from shipcaptaincrew.deploy import marks
from shipcaptaincrew.deploy.steps import DeployFailed, call, error_code, read_alias

DOWNLOAD_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Proof:
    """A staging version that passed every check and is what staging's alias serves."""

    function: str
    version: str
    code_sha256: str

    def note(self) -> str:
        return f"proven on {self.function} version {self.version}"


def proven_live(client: Any, staging: str, alias: str) -> Proof | None:
    """The version `staging`'s `alias` serves, if the deploy that moved it there marked it proven; else None."""
    found = read_alias(client, staging, alias)
    if found is None or not marks.proves(str(found.get("Description") or ""), str(found["FunctionVersion"])):
        return None
    version = str(found["FunctionVersion"])
    configuration = call(client, "get_function_configuration", FunctionName=staging, Qualifier=version)
    return Proof(staging, version, str(configuration["CodeSha256"]))


def unproven(function: str, staging: str, code_sha256: str, found: Proof | None) -> str:
    why = (
        f"{staging}'s live alias serves no version that passed every check there"
        if found is None
        else f"{staging}'s proven live version {found.version} holds other code"
    )
    return (
        f"refused: this package (CodeSha256 {code_sha256[:12]}…) has not passed on staging: {why}.\n"
        f"State: nothing was changed.\n"
        f"To go on: deploy it to staging (`scc deploy --stage staging --zip FILE`), then `scc promote`; or, when "
        f'{function} cannot wait, deploy with --skip-staging "the reason" (written into the version\'s description).'
    )


def skipped(reason: str) -> str:
    """The note a prod version carries when staging was skipped (one line; the description holds 256 characters)."""
    return "staging skipped: " + " ".join(reason.split())


def staging_code(client: Any, staging: str, alias: str) -> tuple[bytes, Proof]:
    """The exact zip of the version staging's `alias` serves, which must be proven."""
    proof = proven_live(client, staging, alias)
    if proof is None:
        raise DeployFailed(
            f"refused: {staging}'s {alias} alias has no record of passing every check (the version it serves was "
            "rolled back from, stopped before its checks finished, or moved to by hand): deploy to staging with "
            "`scc deploy` first.\nState: nothing was changed."
        )
    found = call(client, "get_function", FunctionName=staging, Qualifier=proof.version)
    with urllib.request.urlopen(found["Code"]["Location"], timeout=DOWNLOAD_TIMEOUT_SECONDS) as answer:
        package = answer.read()
    if base64.b64encode(hashlib.sha256(package).digest()).decode() != proof.code_sha256:
        raise DeployFailed(
            f"the code downloaded from {staging} version {proof.version} does not match its "
            "CodeSha256.\nState: nothing was changed."
        )
    return package, proof


def published_versions(client: Any, function: str) -> list[dict[str, Any]]:
    """Every published version's configuration ($LATEST left out); none for a function that does not exist."""
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
