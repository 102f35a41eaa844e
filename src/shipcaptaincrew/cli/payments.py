"""`scc payments`: log, list and reverse payments; log refunds."""

from __future__ import annotations

import click

from shipcaptaincrew.cli.common import CLI_ACTOR, open_context, reports_errors
from shipcaptaincrew.domain.errors import NeedsConfirmation
from shipcaptaincrew.domain.ledger import Entry, PaymentDraft
from shipcaptaincrew.domain.money import format_cents, parse_cents
from shipcaptaincrew.services import outbox, payments


@click.group("payments")
def payments_group() -> None:
    """Log, list and reverse payments, and log refunds (the ledger is append-only)."""


@payments_group.command("log")
@click.argument("slug")
@click.option("--amount", required=True, help="Amount paid, e.g. 125.50.")
@click.option("--method", required=True, help="cash, check, venmo, zelle, card, other (or SCC_PAYMENT_METHODS).")
@click.option("--patron-name", required=True, help="Who paid.")
@click.option("--reference", default="", help="Check number, Venmo handle, transaction id.")
@click.option("--note", default="", help="Anything the bookkeeper should know.")
@click.option("--confirm", is_flag=True, help="Log an amount more than ten times what is owed (refused without it).")
@reports_errors
def log(slug: str, amount: str, method: str, patron_name: str, reference: str, note: str, confirm: bool) -> None:
    """Log a payment for the event SLUG and deliver the receipt."""
    ctx = open_context()
    draft = PaymentDraft(parse_cents(amount, "amount"), method, patron_name, reference, note, confirmed=confirm)
    try:
        result = payments.log_payment(ctx, slug, draft, CLI_ACTOR)
    except NeedsConfirmation as error:
        raise NeedsConfirmation(f"{error.message}; if it is right, add --confirm", error.field) from None
    outbox.deliver_due(ctx)
    state = "cleared" if result.event.payment_cleared else f"balance {format_cents(result.event.balance_cents)}"
    click.echo(
        f"{result.entry.id}  {format_cents(result.entry.amount_cents)} {result.entry.method} for {result.event.slug}: "
        f"{state}"
    )


@payments_group.command("refund")
@click.argument("slug")
@click.option("--amount", required=True, help="Amount sent back, e.g. 125.50 (at most what was paid).")
@click.option("--method", required=True, help="How it went back: cash, check, venmo, zelle, card, other.")
@click.option("--patron-name", required=True, help="Who it went back to.")
@click.option("--reference", default="", help="Check number, Venmo handle, transaction id.")
@click.option("--note", default="", help="Anything the bookkeeper should know.")
@reports_errors
def refund(slug: str, amount: str, method: str, patron_name: str, reference: str, note: str) -> None:
    """Log a refund (money sent back) for the event SLUG and deliver the patron's refund receipt."""
    ctx = open_context()
    draft = PaymentDraft(parse_cents(amount, "amount"), method, patron_name, reference, note)
    result = payments.log_refund(ctx, slug, draft, CLI_ACTOR)
    outbox.deliver_due(ctx)
    click.echo(
        f"{result.entry.id}  {format_cents(result.entry.amount_cents)} back by {result.entry.method} for "
        f"{result.event.slug}; paid net {format_cents(result.event.payment.paid_cents)}"
    )


@payments_group.command("rain-check")
@click.argument("slug")
@click.option("--to", "target", required=True, help="The same patron's booking that takes the credit.")
@click.option("--amount", help="How much of the refund due moves (default: all of it).")
@reports_errors
def rain_check(slug: str, target: str, amount: str | None) -> None:
    """Move what the cancelled charter SLUG owes back onto another booking of the same patron, as a credit."""
    cents = parse_cents(amount, "--amount") if amount else None
    found = payments.give_rain_check(open_context(), slug, target, cents, CLI_ACTOR)
    click.echo(
        f"{format_cents(found.arrived.amount_cents)} moved from {found.source.slug} to {found.target.slug}; "
        f"{found.target.slug} now owes {format_cents(max(found.target.balance_cents, 0))}"
    )


@payments_group.command("list")
@click.argument("slug")
@reports_errors
def list_payments(slug: str) -> None:
    """The ledger of event SLUG with the balance after each entry."""
    found = payments.statement(open_context(), slug)
    for entry, balance in zip(found.entries, found.balances, strict=True):
        click.echo(f"{_line(entry)}  balance {format_cents(balance):>10}")
    if not found.entries:
        click.echo(f"No payments yet; {format_cents(found.event.balance_cents)} due.")


@payments_group.command("reverse")
@click.argument("entry_id")
@click.option("--reason", required=True, help="Why (e.g. 'check bounced'); kept in the ledger.")
@reports_errors
def reverse(entry_id: str, reason: str) -> None:
    """Reverse a payment by appending a reversal entry; the original stays in the ledger."""
    result = payments.reverse_payment(open_context(), entry_id, reason, CLI_ACTOR)
    click.echo(f"{result.entry.id} reverses {entry_id}; balance {format_cents(result.event.balance_cents)}")


def _line(entry: Entry) -> str:
    amount = format_cents(entry.signed_cents)
    what = f"reverses {entry.reverses}: {entry.reason}" if entry.reverses else f"{entry.method} {entry.reference}"
    return f"{entry.recorded_at:%Y-%m-%d %H:%M}  {entry.id}  {amount:>10}  {entry.patron_name}  {what.strip()}"
