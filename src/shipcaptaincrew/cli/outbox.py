"""`scc outbox`: see and deliver queued email."""

from __future__ import annotations

import time

import click

from shipcaptaincrew.cli.common import open_context, reports_errors
from shipcaptaincrew.services import outbox


@click.group("outbox")
def outbox_group() -> None:
    """Queued email: every message is kept here until delivered (or dead after its retries)."""


@outbox_group.command("list")
@click.option(
    "--status", type=click.Choice(["pending", "waiting", "sent", "dead"]), help="Only messages in this state."
)
@click.option("--limit", default=50, show_default=True, help="How many, newest first.")
@reports_errors
def list_messages(status: str | None, limit: int) -> None:
    """Recent messages, newest first."""
    for message in outbox.recent(open_context(), limit, status):
        retry = (
            f" next try {message.next_attempt_at:%H:%M:%S}" if message.status == "pending" and message.attempts else ""
        )
        waiting = f"  waiting for credentials: {message.last_error}" if message.status == "waiting" else ""
        click.echo(
            f"{message.id}  {message.status:<7} {message.attempts} tries  {message.email.to}  "
            f"{message.email.subject}{retry}{waiting}"
        )


@outbox_group.command("show")
@click.argument("message_id")
@reports_errors
def show(message_id: str) -> None:
    """One message, headers and text."""
    message = outbox.get(open_context(), message_id)
    click.echo(f"Message-ID: {message.message_id}\nTo: {message.email.to}\nSubject: {message.email.subject}")
    click.echo(f"Status: {message.status} after {message.attempts} tries {message.last_error}".rstrip())
    click.echo(f"\n{message.email.text}")


@outbox_group.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering every --every seconds until interrupted.")
@click.option("--every", default=10.0, show_default=True, help="Seconds between rounds with --loop.")
@click.option("--retry", "retry_id", help="Make this message (pending or dead) due now first.")
@reports_errors
def deliver(loop: bool, every: float, retry_id: str | None) -> None:
    """Send the messages that are due."""
    ctx = open_context()
    if retry_id:
        outbox.retry_now(ctx, retry_id)
    while True:
        report = outbox.deliver_due(ctx)
        if report.sent or report.failed or report.dead or report.waiting or not loop:
            click.echo(
                f"sent {report.sent}, failed {report.failed} (will retry), dead {report.dead}"
                + (f", waiting for credentials {report.waiting}" if report.waiting else "")
            )
        if not loop:
            return
        time.sleep(every)
