"""Publish, test, then shift, then watch, else roll back: how a verified `$LATEST` becomes what `live` serves.

1. **publish** — with the `RevisionId` the verify step read and the package's `CodeSha256`, so the version is
   byte for byte the revision verified.
2. **test** — invoke that version by its number (Function URL event, origin secret) and run every smoke check on
   it: the exact version the alias will serve, before any traffic reaches it. A failure stops here; `live` is
   untouched and the version stays published, unused.
3. **shift** — move `live` to it (guarded by the alias's `RevisionId`), marking it *on trial* (`marks.py`).
4. **after the shift** — the steps the caller gives (upload the page, smoke the public URL), then **watch** the
   log group for errors from the new version for a short window.
5. **prove** — every check passed: the alias's description marks the version *proven*, which is what lets a prod
   deploy take its code.
Any failure after the shift moves `live` back to the version it served before, with the description it had
(guarded by the `RevisionId` the shift returned), undoes what the later steps can undo (the page), says so, and
fails the deploy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shipcaptaincrew.deploy import marks, smoke, watch
from shipcaptaincrew.deploy.invoke import BASE_URL, direct, origin_secret
from shipcaptaincrew.deploy.steps import DeployFailed, Echo, Progress, Steps, call

DESCRIPTION_LIMIT = 256
MIN_REDACTED = 8
"""Shorter values (`sqlite`, `ses`, `1`) are no secrets, and hiding them would blank out ordinary words."""


@dataclass(frozen=True)
class AfterShift:
    """A step run once `live` serves the new version; `undo` (if any) reverses it when the deploy rolls back."""

    name: str
    doing: str
    action: Callable[[], str]
    undo: Callable[[], str] | None = None


@dataclass
class Release:
    """What the caller adds to a deploy's release: the steps after the shift and how long to watch the logs."""

    after_shift: list[AfterShift] = field(default_factory=list)
    logs: Any = None
    """A CloudWatch Logs client; None: the logs are not watched."""
    watch_seconds: float = 0.0
    ssm: Callable[[], Any] | None = None
    """Makes an SSM client, for an origin secret kept in SSM rather than the environment."""
    note: str = ""
    """Added to the version's description (why staging was skipped, where the code was promoted from)."""


class Releaser:
    def __init__(
        self,
        client: Any,
        function: str,
        alias: str,
        steps: Steps,
        progress: Progress,
        echo: Echo,
        release: Release,
        alias_before: dict[str, Any] | None,
    ) -> None:
        self.client, self.function, self.alias = client, function, alias
        self.steps, self.progress, self.echo, self.release = steps, progress, echo, release
        self.alias_revision = alias_before.get("RevisionId") if alias_before else None
        self.alias_description = str(alias_before.get("Description") or "") if alias_before else ""
        """What the alias said before the shift (the previous version's mark), put back with it on a rollback."""
        self.done: list[AfterShift] = []
        self.values: list[str] = []

    def run(self, verified: dict[str, Any], code_sha256: str, variables: dict[str, str]) -> str:
        secret = origin_secret(variables, self.release.ssm or _no_ssm)
        self.values = sorted({*variables.values(), *([secret] if secret else [])}, key=len, reverse=True)
        base = BASE_URL + variables.get("SCC_PATH_PREFIX", "")
        version = self.steps.run(
            "publish", "publishing the verified revision", lambda: self.publish(verified, code_sha256)
        )
        self.steps.run(
            "test",
            f"invoking version {version} of {self.function} directly and smoke-testing it (no traffic yet)",
            lambda: self.test(version, base, secret),
        )
        began = int(time.time() * 1000)
        self.steps.run("shift", f"moving the {self.alias} alias", lambda: self.shift(version))
        try:
            for step in self.release.after_shift:
                self.after(step)
            if self.release.logs is not None and self.release.watch_seconds > 0:
                group = watch.log_group(verified)
                self.steps.run(
                    "watch",
                    f"reading {group} for errors for {self.release.watch_seconds:g} s",
                    lambda: self.watch(group, began, version),
                )
        except DeployFailed as failed:
            raise self.roll_back(version, failed) from None
        self.steps.run(
            "prove",
            f"marking the {self.alias} alias: version {version} passed every check",
            lambda: self.prove(version),
        )
        return version

    def after(self, step: AfterShift) -> None:
        self.done.append(step)  # before it runs: a step that fails half-way is undone too
        self.steps.run(step.name, step.doing, lambda: (None, step.action()))

    def test(self, version: str, base: str, secret: str | None) -> tuple[None, str]:
        results = smoke.run(base, get=direct(self.client, self.function, version, secret))
        return None, self._verdict(results, f"version {version}")

    def publish(self, verified: dict[str, Any], code_sha256: str) -> tuple[str, str]:
        description = f"scc deploy {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC"
        if self.release.note:
            description += f"; {self.release.note}"
        answer = call(
            self.client,
            "publish_version",
            FunctionName=self.function,
            CodeSha256=code_sha256,
            RevisionId=verified.get("RevisionId"),
            Description=description[:DESCRIPTION_LIMIT],
        )
        self.progress.published = str(answer["Version"])
        return self.progress.published, f"version {self.progress.published}: {answer.get('Description', '')}"

    def shift(self, version: str) -> tuple[None, str]:
        previous, trial = self.progress.live_version, marks.on_trial(version, datetime.now(UTC))
        alias = {"FunctionName": self.function, "Name": self.alias, "FunctionVersion": version, "Description": trial}
        if previous is None:
            moved = call(self.client, "create_alias", **alias)
        else:
            moved = call(self.client, "update_alias", **alias, RevisionId=self.alias_revision)
        self.alias_revision = moved.get("RevisionId")
        self.progress.alias_moved = True
        return None, f"{self.alias}: {previous or '(new)'} → {version} (on trial)"

    def prove(self, version: str) -> tuple[None, str]:
        checks = self.checks()
        call(
            self.client,
            "update_alias",
            FunctionName=self.function,
            Name=self.alias,
            Description=marks.proven(version, checks, datetime.now(UTC)),
            RevisionId=self.alias_revision,
        )
        return None, f"{self.alias}: version {version} proven ({', '.join(checks)})"

    def checks(self) -> list[str]:
        """The checks this deploy ran, by their step names (a check skipped on the command line is not named)."""
        names = ["test", *(step.name for step in self.release.after_shift)]
        if self.release.logs is not None and self.release.watch_seconds > 0:
            names.append(f"watch {self.release.watch_seconds:g} s")
        return names

    def watch(self, group: str, since_ms: int, version: str) -> tuple[None, str]:
        found = watch.watch(self.release.logs, group, since_ms, version, self.release.watch_seconds)
        if found:
            lines = "\n".join(f"  {self.redacted(line)[:300]}" for line in found[:5])
            raise DeployFailed(f"version {version} logged {len(found)} error(s) after the shift:\n{lines}")
        return None, f"no errors from version {version}"

    def roll_back(self, version: str, failed: DeployFailed) -> DeployFailed:
        """Move the alias back; the message keeps what went wrong and says what was put back."""
        previous = self.progress.live_version
        failed = DeployFailed(str(failed).split("\nState:")[0])  # the state it gives is no longer true
        if previous is None:
            return DeployFailed(
                f"{failed}\nNot rolled back: {self.alias} served no version before this deploy; it "
                f"stays on version {version}, {self.mark_failed(version)}. Fix the cause and deploy "
                "again."
            )
        self.echo(f"[rollback] moving {self.alias} back to version {previous}")
        try:
            call(
                self.client,
                "update_alias",
                FunctionName=self.function,
                Name=self.alias,
                FunctionVersion=previous,
                Description=self.alias_description,
                RevisionId=self.alias_revision,
            )
        except Exception as error:
            return DeployFailed(
                f"{failed}\nROLLBACK FAILED: {self.alias} still points at version {version} "
                f"({type(error).__name__}); move it with `scc rollback --to {previous}`."
            )
        undone = [f"{step.name}: {_undo(step)}" for step in reversed(self.done) if step.undo]
        return DeployFailed(
            f"{failed}\nRolled back: {self.alias} serves version {previous} again (its code and settings); "
            f"version {version} stays published, and $LATEST keeps the new code and environment."
            + "".join(f"\n  {line}" for line in undone)
            + "\nTo recover: fix the cause and deploy again."
        )

    def mark_failed(self, version: str) -> str:
        """Say on the alias that its version failed (it is already no proof: the shift marked it on trial)."""
        try:
            call(
                self.client,
                "update_alias",
                FunctionName=self.function,
                Name=self.alias,
                Description=marks.failed(version, datetime.now(UTC)),
                RevisionId=self.alias_revision,
            )
        except Exception as error:
            return f"still marked on trial ({type(error).__name__}), which proves nothing"
        return "marked failed"

    def redacted(self, text: str) -> str:
        """What the function said (an error can quote a setting), with every value of its environment hidden."""
        for value in self.values:
            if len(value) >= MIN_REDACTED:
                text = text.replace(value, "[redacted]")
        return text

    def _verdict(self, results: list[smoke.Result], target: str) -> str:
        for result in results:
            self.echo(f"    {'✓' if result.passed else '✗'} {result.name}: {self.redacted(result.detail)}")
        failed = [result.name for result in results if not result.passed]
        if failed:
            raise DeployFailed(
                f"the smoke test of {target} failed: {', '.join(failed)}. No traffic reached it.\n"
                f"State: {self.progress.state()}\nTo recover: fix the cause and deploy again; "
                "the next deploy re-reads the function and merges into it."
            )
        return f"all {len(results)} checks passed on {target}"


def _undo(step: AfterShift) -> str:
    try:
        return step.undo() if step.undo else ""
    except Exception as error:
        return f"could not be undone ({type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''})"


def planned(release: Release, function: str, alias: str) -> list[str]:
    """What a deploy does after the plan step, for --dry-run."""
    after = [step.doing for step in release.after_shift]
    if release.logs is not None and release.watch_seconds > 0:
        after.append(f"watch the log group for errors for {release.watch_seconds:g} s")
    return [
        "then: update the code and the configuration (RevisionId), wait, verify by hashes",
        f"      publish it, invoke the new version of {function} directly and smoke-test it (no traffic yet)",
        f"      move {alias} to it (on trial)",
        *(f"      {doing}" for doing in after),
        f"      mark {alias} proven (what lets prod take this code); on any failure after the move: move {alias} "
        "back to the version it served before",
    ]


def _no_ssm() -> Any:
    raise DeployFailed("the function keeps its settings in SSM, but no SSM client was given")
