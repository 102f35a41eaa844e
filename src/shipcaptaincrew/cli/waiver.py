"""`scc waiver`: the waiver text guests sign, and checking signatures."""

from __future__ import annotations

from typing import TextIO

import click

from shipcaptaincrew.cli.common import CLI_ACTOR, open_context, reports_errors
from shipcaptaincrew.services import waivers


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
    click.echo(f"Version {version.id}, SHA-256 {version.sha256}, since {version.created_at:%Y-%m-%d %H:%M} UTC\n")
    click.echo(version.text)


@waiver_group.command("verify")
@reports_errors
def verify() -> None:
    """Recompute the hash of every signature and waiver version; exit 1 if any record was altered."""
    checked, problems = waivers.verify_signatures(open_context())
    for problem in problems:
        click.echo(f"ALTERED  {problem.signature_id}  {problem.event_slug}  {problem.problem}")
    click.echo(f"{checked} signatures checked, {len(problems)} problem(s).", err=True)
    if problems:
        raise SystemExit(1)
