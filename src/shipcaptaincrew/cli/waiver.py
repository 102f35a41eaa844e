"""`scc waiver`: the waiver text guests sign, and checking signatures."""

from __future__ import annotations

from typing import TextIO

import click

from shipcaptaincrew.cli.common import CLI_ACTOR, open_context, reports_errors
from shipcaptaincrew.services import waiver_audit, waivers

NOT_SET = "No waiver text is set yet, so guests cannot sign."


@click.group("waiver")
def waiver_group() -> None:
    """The waiver text (versioned, immutable) and the signatures."""


@waiver_group.command("set")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@reports_errors
def set_text(file: TextIO) -> None:
    """Make the text in FILE the waiver guests sign from now on (a new version; old signatures keep theirs)."""
    version = waivers.set_waiver_text(open_context(), file.read(), CLI_ACTOR)
    click.echo(f"Waiver version {version.id}, SHA-256 {version.sha256}")


@waiver_group.command("show")
@reports_errors
def show() -> None:
    """Print the current waiver text and its version."""
    version = waivers.current_waiver(open_context())
    if version is None:
        raise click.ClickException(f"{NOT_SET} Set your own: scc waiver set FILE")
    click.echo(f"Version {version.id}, SHA-256 {version.sha256}, since {version.created_at:%Y-%m-%d %H:%M} UTC\n")
    click.echo(version.text)


@waiver_group.command("verify")
@reports_errors
def verify() -> None:
    """Check every record's seal, the chain that links them (nothing removed, inserted or cut off), each waiver
    version's text and each event's count; name what is wrong and exit 1 if anything is."""
    report = waiver_audit.verify_signatures(open_context())
    for problem in report.problems:
        click.echo(f"ALTERED  {problem.record_id}  {problem.event_slug}  {problem.problem}")
    if report.unsealed:
        click.echo(f"{report.unsealed} record(s) from before sealing: checked by their unkeyed hash only.", err=True)
    click.echo(f"{report.checked} records checked, {len(report.problems)} problem(s).", err=True)
    if report.problems:
        raise SystemExit(1)


@waiver_group.command("void")
@click.argument("signature_id")
@click.option("--reason", required=True, help="Why it does not count (kept with the void record).")
@reports_errors
def void(signature_id: str, reason: str) -> None:
    """Take signature SIGNATURE_ID out of its event's count and manifest; the signature itself is kept."""
    record, event = waivers.void_signature(open_context(), signature_id, reason, CLI_ACTOR)
    click.echo(f"Voided {signature_id} ({record.id}); {event.slug} now counts {event.waivers_signed} signed.")
