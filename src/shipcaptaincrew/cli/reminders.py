"""`scc reminders`: remind patrons before their charter."""

from __future__ import annotations

import click

from shipcaptaincrew.cli.common import open_context, reports_errors
from shipcaptaincrew.services import outbox, reminders


@click.group("reminders")
def reminders_group() -> None:
    """Emails to patrons SCC_REMINDER_DAYS days before their charter (`scc serve` sends them by itself)."""


@reminders_group.command("run")
@click.option("--dry-run", is_flag=True, help="Only list who would be reminded; queue and send nothing.")
@reports_errors
def run(dry_run: bool) -> None:
    """Queue the reminders due today and send them; each charter gets one per day-count, however often this runs."""
    ctx = open_context()
    found = reminders.send_reminders(ctx, dry_run=dry_run)
    for reminder in found:
        click.echo(f"{reminder.slug}  {reminder.days_before} day(s) before  {reminder.to}")
    if not dry_run:
        outbox.deliver_due(ctx)
    verb = "would be reminded" if dry_run else "reminded"
    click.echo(f"{len(found)} patron(s) {verb}.", err=True)
