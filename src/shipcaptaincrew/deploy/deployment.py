"""`scc deploy`: put a built package on a function without losing a single setting, test it, then move the alias.

Snapshot → drift → runtime → plan (merge from what live serves, 4 KB, diff; nothing changed yet, and a dry run
stops here) → update code (RevisionId) → wait → re-read and merge → update configuration (RevisionId) → wait →
verify by hashes → then `release.py`: publish → test the new version directly → shift the alias → the page, the
public smoke test, the log watch → mark the alias proven, else roll back. Every write carries the RevisionId it
was planned against, so a change made by anyone else meanwhile stops the deploy instead of being overwritten.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shipcaptaincrew.deploy import lambda_env, promote, runtime
from shipcaptaincrew.deploy.lambda_env import Changes
from shipcaptaincrew.deploy.package import RECORD, Target, built_for
from shipcaptaincrew.deploy.release import Release, Releaser, planned
from shipcaptaincrew.deploy.snapshot import Snapshot, take, variables
from shipcaptaincrew.deploy.steps import DeployFailed, Echo, Progress, Steps, call, read_alias

ALIAS = "live"


@dataclass(frozen=True)
class Plan:
    function: str
    package: bytes
    changes: Changes = field(default_factory=lambda: Changes({}))
    alias: str = ALIAS
    dry_run: bool = False
    replace_unpublished_code: bool = False
    """Allow replacing code on $LATEST that no published version holds (it was changed outside `scc deploy`)."""
    update_runtime: bool = False
    """Set the function's runtime, architecture and handler to what the package was built for."""
    staging: str | None = None
    """For a prod deploy: the staging function whose live alias must serve this code, proven (`marks.py`)."""
    skip_staging: str | None = None
    """Why this prod deploy goes ahead without staging's proof (written into the version's description)."""

    @property
    def code_sha256(self) -> str:
        """The package's hash as Lambda reports it (CodeSha256: base64 of the SHA-256 digest)."""
        return base64.b64encode(hashlib.sha256(self.package).digest()).decode()


@dataclass(frozen=True)
class Outcome:
    version: str | None
    previous: str | None
    diff: lambda_env.Diff
    snapshots: tuple[Path, ...]


def deploy(
    client: Any,
    plan: Plan,
    echo: Echo,
    snapshots: Path,
    after_step: Callable[[str], None] | None = None,
    waiter_delay: int = 1,
    release: Release | None = None,
) -> Outcome:
    """Run every step; raise DeployFailed (saying the function's state and how to recover) if one fails.

    `release` adds the steps after the alias moves (the page, the public smoke test) and the log watch."""
    return _Deployment(client, plan, echo, snapshots, after_step, waiter_delay, release or Release()).run()


class _Deployment:
    def __init__(
        self,
        client: Any,
        plan: Plan,
        echo: Echo,
        folder: Path,
        after_step: Callable[[str], None] | None,
        waiter_delay: int,
        release: Release,
    ) -> None:
        self.client, self.plan, self.echo, self.folder = client, plan, echo, folder
        self.release = release
        self.progress = Progress(plan.function, plan.alias)
        self.steps = Steps(echo, self.progress, after_step)
        self.waiter_delay = waiter_delay
        self.saved: list[Path] = []
        self.live: dict[str, Any] = {}
        """$LATEST's configuration as the snapshot read it."""
        self.served: dict[str, str] | None = None
        """The environment of the version the alias serves (None before the first deploy)."""
        self.alias: dict[str, Any] | None = None
        """The alias as the drift step read it (None before the first deploy)."""
        self.built = Target()
        self.runtime_changes: dict[str, str] = {}
        self.architecture_changes = False

    def run(self) -> Outcome:
        before = self.steps.run("snapshot", f"reading {self.plan.function} (values redacted)", self.snapshot)
        live_code = self.steps.run("drift", "comparing $LATEST with the published live version", self.drift)
        self.steps.run(
            "runtime", "comparing the package's runtime, architecture and handler with the function's", self.runtime
        )
        if self.plan.staging:
            self.steps.run(
                "gate", f"looking for this code, proven, on {self.plan.staging}'s {self.plan.alias} alias", self.gate
            )
        merged, diff = self.steps.run("plan", "merging the environment (nothing changed yet)", self.merge_plan)
        if self.plan.dry_run:
            for line in planned(self.release, self.plan.function, self.plan.alias):
                self.echo(line)
            self.echo("dry run: nothing was changed")
            return Outcome(None, self.progress.live_version, diff, tuple(self.saved))
        if live_code != self.plan.code_sha256 or self.architecture_changes:
            self.steps.run(
                "code",
                "uploading the package (with the snapshot's RevisionId)",
                lambda: self.update_code(before.revision_id),
            )
            self.steps.run("wait", "until the code update is done", self.wait)
        configuration = self.steps.run(
            "merge", "re-reading the live environment and merging into it", lambda: self.merge_again(merged)
        )
        if variables(configuration) != merged or self.runtime_changes:
            self.steps.run(
                "configuration",
                "writing the merged environment (with the RevisionId)",
                lambda: self.update_configuration(merged, configuration),
            )
            self.steps.run("wait", "until the configuration update is done", self.wait)
        verified = self.steps.run("verify", "re-reading the function and comparing hashes", lambda: self.verify(merged))
        releaser = Releaser(
            self.client,
            self.plan.function,
            self.plan.alias,
            self.steps,
            self.progress,
            self.echo,
            self.release,
            self.alias,
        )
        version = releaser.run(verified, self.plan.code_sha256, merged)
        self.saved.append(take(verified, _now()).save(self.folder, "after"))
        return Outcome(version, self.progress.live_version, diff, tuple(self.saved))

    # Each step returns (result, one-line summary).

    def snapshot(self) -> tuple[Snapshot, str]:
        configuration = self.configuration()
        if configuration.get("LastUpdateStatus") == "InProgress":
            raise DeployFailed(f"{self.plan.function} is being updated right now; wait for it and deploy again.")
        self.live = configuration
        snapshot = take(configuration, _now())
        path = snapshot.save(self.folder, "before")
        self.saved.append(path)
        summary = f"revision {snapshot.revision_id or '(none)'}, {len(snapshot.variable_hashes)} variables"
        return snapshot, f"{summary}; saved {path}"

    def drift(self) -> tuple[str, str]:
        latest = str(self.live.get("CodeSha256", ""))
        self.progress.live_version = self.alias_version()
        if self.progress.live_version is None:
            return latest, f"no {self.plan.alias} alias yet: the first deploy creates it"
        published = self.configuration(self.progress.live_version)
        self.served = variables(published)
        env_drift = lambda_env.diff(lambda_env.hashes(self.served), lambda_env.hashes(variables(self.live)))
        unpublished = [
            f"{mark}{key}"
            for mark, keys in (("+", env_drift.added), ("~", env_drift.changed), ("-", env_drift.removed))
            for key in keys
        ]
        code_drift = latest not in (published.get("CodeSha256"), self.plan.code_sha256)
        if code_drift and not self.plan.replace_unpublished_code and latest not in self.published_code():
            raise DeployFailed(
                f"$LATEST of {self.plan.function} holds code that no published version holds and that is not this "
                "build: it was changed outside `scc deploy`.\n"
                "State: nothing was changed.\nTo recover: keep it by publishing it (aws lambda publish-version), or "
                "replace it with --replace-unpublished-code."
            )
        kept = (
            f"; $LATEST changed outside scc deploy since version {self.progress.live_version}: {' '.join(unpublished)}"
        )
        return latest, f"{self.plan.alias} is version {self.progress.live_version}" + (kept if unpublished else "")

    def runtime(self) -> tuple[None, str]:
        built = built_for(self.plan.package)
        if built is None:
            raise DeployFailed(
                f"the package does not say what it was built for (no {RECORD}): build it with `scc package`.\n"
                "State: Nothing was changed."
            )
        self.built, found = built, runtime.mismatches(built, self.live)
        if found and not self.plan.update_runtime:
            raise DeployFailed(runtime.refusal(self.plan.function, built, found))
        self.runtime_changes = runtime.configuration_changes(built, found)
        self.architecture_changes = any(mismatch.name == "architecture" for mismatch in found)
        summary = f"{built.runtime}, {built.architecture}, {built.handler}"
        return None, f"{summary}; --update-runtime sets: {', '.join(m.name for m in found)}" if found else summary

    def gate(self) -> tuple[None, str]:
        assert self.plan.staging is not None
        found = promote.proven_live(self.client, self.plan.staging, self.plan.alias)
        if found is not None and found.code_sha256 == self.plan.code_sha256:
            note = found.note()
        elif self.plan.skip_staging is not None:
            note = promote.skipped(self.plan.skip_staging)
        else:
            raise DeployFailed(promote.unproven(self.plan.function, self.plan.staging, self.plan.code_sha256, found))
        self.release.note = "; ".join(part for part in (self.release.note, note) if part)
        return None, note

    def merge_plan(self) -> tuple[tuple[dict[str, str], lambda_env.Diff], str]:
        latest = variables(self.live)
        served = latest if self.served is None else self.served
        lost = lambda_env.lost(served, latest)
        unresolved = lambda_env.unresolved(lost, self.plan.changes)
        if unresolved:
            raise DeployFailed(self.lost_keys(unresolved))
        try:
            merged = lambda_env.merge(lambda_env.base(served, latest), self.plan.changes)
        except lambda_env.EnvironmentRefused as refused:
            raise DeployFailed(f"refused: {refused}.\nState: nothing was changed.") from None
        restored = tuple(key for key in lost if key in merged)
        diff = replace(lambda_env.diff(served, merged), restored=restored, live_version=self.progress.live_version)
        for line in diff.lines():
            self.echo(line)
        same_code = self.live.get("CodeSha256") == self.plan.code_sha256
        code = "code unchanged" if same_code else f"new code {self.plan.code_sha256[:12]}…"
        return (merged, diff), f"{code}; environment {lambda_env.size(merged)} of {lambda_env.LIMIT_BYTES} bytes"

    def lost_keys(self, keys: tuple[str, ...]) -> str:
        version = self.progress.live_version
        how = "removed outside `scc deploy` (a stack update or a console edit writes the whole environment)"
        lines = [f"  {key}: version {version} ({self.plan.alias}) has it, $LATEST does not: {how}" for key in keys]
        return "\n".join(
            [
                f"refused: $LATEST of {self.plan.function} lost settings that {self.plan.alias} serves:",
                *lines,
                "State: nothing was changed.",
                "To recover: deploy again with --restore-from-live to put them back as the live version has them, "
                f"or with {' '.join(f'--remove {key}' for key in keys)} to drop them.",
            ]
        )

    def update_code(self, revision: str | None) -> tuple[None, str]:
        call(
            self.client,
            "update_function_code",
            FunctionName=self.plan.function,
            ZipFile=self.plan.package,
            Architectures=[self.built.architecture],
            RevisionId=revision,
        )
        self.progress.code_updated = True
        return None, f"{len(self.plan.package) / 1e6:.1f} MB uploaded"

    def wait(self) -> tuple[None, str]:
        waiter = self.client.get_waiter("function_updated_v2")
        waiter.wait(FunctionName=self.plan.function, WaiterConfig={"Delay": self.waiter_delay, "MaxAttempts": 300})
        return None, "done"

    def merge_again(self, planned: dict[str, str]) -> tuple[dict[str, Any], str]:
        """Merge into what is live now. The RevisionId read here guards the write; a change to the code or the
        environment since the snapshot (possible only where RevisionIds are not enforced) stops the deploy."""
        configuration = self.configuration()
        code_changed = configuration.get("CodeSha256") != self.plan.code_sha256
        served = variables(configuration) if self.served is None else self.served
        again = lambda_env.merge(lambda_env.base(served, variables(configuration)), self.plan.changes)
        if code_changed or again != planned:
            raise DeployFailed(
                "the function changed while this deploy ran (RevisionId mismatch): someone or something else "
                f"updated it after this deploy wrote to it.\nState: {self.progress.state()}\n"
                f"To recover: {self.progress.recovery()}"
            )
        return configuration, f"revision {configuration.get('RevisionId') or '(none)'}, as planned"

    def update_configuration(self, merged: dict[str, str], read: dict[str, Any]) -> tuple[None, str]:
        call(
            self.client,
            "update_function_configuration",
            FunctionName=self.plan.function,
            Environment={"Variables": merged},
            RevisionId=read.get("RevisionId"),
            **self.runtime_changes,
        )
        self.progress.config_updated = True
        return None, f"{len(merged)} variables written" + "".join(f", {k} {v}" for k, v in self.runtime_changes.items())

    def verify(self, merged: dict[str, str]) -> tuple[dict[str, Any], str]:
        configuration = self.configuration()
        wrong = lambda_env.diff(lambda_env.hashes(merged), lambda_env.hashes(variables(configuration)))
        if not wrong.empty:
            raise DeployFailed(
                "the function's environment is not what was written: "
                f"{', '.join(wrong.added + wrong.changed + wrong.removed)} differ.\n"
                f"State: {self.progress.state()}\nTo recover: {self.progress.recovery()}"
            )
        if configuration.get("CodeSha256") != self.plan.code_sha256:
            raise DeployFailed(f"the function's code is not this package.\nState: {self.progress.state()}")
        wrong_runtime = runtime.mismatches(self.built, configuration)
        if wrong_runtime:
            lines = "; ".join(mismatch.line() for mismatch in wrong_runtime)
            raise DeployFailed(
                f"the function does not run what the package needs: {lines}.\nState: {self.progress.state()}"
            )
        return configuration, f"{len(merged)} variables match by SHA-256; code {self.plan.code_sha256[:12]}…"

    # Reads.

    def configuration(self, qualifier: str | None = None) -> dict[str, Any]:
        return call(self.client, "get_function_configuration", FunctionName=self.plan.function, Qualifier=qualifier)

    def alias_version(self) -> str | None:
        self.alias = read_alias(self.client, self.plan.function, self.plan.alias)
        return str(self.alias["FunctionVersion"]) if self.alias else None

    def published_code(self) -> set[str]:
        """The CodeSha256 of every published version (a deploy whose test failed leaves its version published)."""
        return {
            str(version.get("CodeSha256")) for version in promote.published_versions(self.client, self.plan.function)
        }


def _now() -> datetime:
    return datetime.now(UTC)
