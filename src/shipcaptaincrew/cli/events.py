"""`scc events`: list, create, show, check-slugs, rename, cancel, reschedule."""

from __future__ import annotations

from datetime import date, timedelta

import click

from shipcaptaincrew.cli.common import CLI_ACTOR, DAY, open_context, reports_errors
from shipcaptaincrew.domain.bookings import Event, EventDetails, Patron
from shipcaptaincrew.domain.days import check_window, in_range
from shipcaptaincrew.domain.money import format_cents, parse_cents
from shipcaptaincrew.services import booking, outbox, queries


@click.group("events")
def events_group() -> None:
    """Book, list and fix events (charters)."""


@events_group.command("list")
@click.option("--from", "start", type=DAY, help="First day (default today).")
@click.option("--to", "end", type=DAY, help="Last day, inclusive (default from + 13 days).")
@reports_errors
def list_events(start: object, end: object) -> None:
    """List events in a date window, by date and period."""
    ctx = open_context()
    first = in_range(_day(start) or ctx.clock.now().date(), "--from")
    last = _day(end) or first + timedelta(days=13)
    check_window(first, last, "--from" if start else "today", "--to")
    cursor: str | None = None
    while True:
        page = queries.list_events(ctx, first, last, cursor, 500)
        for event in page.events:
            click.echo(_line(event))
        if not (cursor := page.next_cursor):
            break


@events_group.command("create")
@click.option("--date", "day", required=True, type=DAY, help="The charter's date.")
@click.option("--period", required=True, help="am, pm, sunset, full (or as configured by SCC_PERIODS).")
@click.option("--first-name", required=True, help="Patron's first name (goes into the slug).")
@click.option("--last-name", default="", help="Patron's last name.")
@click.option("--email", default="", help="Patron's email, for receipts.")
@click.option("--phone", default="", help="Patron's phone.")
@click.option("--party-size", required=True, type=int, help="Number of guests.")
@click.option("--price", help="Amount due, e.g. 900 or 900.00 (omit for no price).")
@click.option("--title", default="", help="Short title, e.g. 'Birthday cruise'.")
@click.option("--slug", help="Use this slug instead of building one; it must match the date and period.")
@reports_errors
def create(
    day: object,
    period: str,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    party_size: int,
    price: str | None,
    title: str,
    slug: str | None,
) -> None:
    """Book an event; prints its slug."""
    patron = Patron(first_name, last_name, email, phone)
    due = parse_cents(price, "price") if price is not None else None
    details = EventDetails(_day(day) or date.today(), period, patron, party_size, title, "", due)
    event = booking.create_event(open_context(), details, CLI_ACTOR, slug)
    click.echo(event.slug)


@events_group.command("show")
@click.argument("slug")
@reports_errors
def show(slug: str) -> None:
    """Show one event (an old slug works too)."""
    event, aliases = queries.get_event_with_aliases(open_context(), slug)
    details, patron = event.details, event.details.patron
    due = format_cents(details.amount_due_cents) if details.amount_due_cents else "no price"
    rows = [
        ("slug", event.slug), ("old slugs", ", ".join(aliases) or "-"), ("date", f"{details.date} {details.period}"),
        ("patron", f"{patron.first_name} {patron.last_name}".strip()), ("email", patron.email or "-"),
        ("phone", patron.phone or "-"), ("party", str(details.party_size)), ("title", details.title or "-"),
        ("status", details.status), ("amount due", due), ("paid", format_cents(event.payment.paid_cents)),
        ("balance", format_cents(event.balance_cents)), ("cleared", "yes" if event.payment_cleared else "no"),
        ("refund due", format_cents(event.refund_due_cents)),
        ("version", str(event.version)),
    ]  # fmt: skip
    for name, value in rows:
        click.echo(f"{name:>11}  {value}")


@events_group.command("check-slugs")
@reports_errors
def check_slugs() -> None:
    """List slugs that do not follow YYYY-MM-DD-firstname-period. Exits 1 when there are any."""
    legacy = queries.list_legacy_slugs(open_context())
    for item in legacy:
        click.echo(f"{item.slug}\t{item.reason}")
    if legacy:
        click.echo(f"{len(legacy)} slug(s) to fix with: scc events rename OLD NEW", err=True)
        raise SystemExit(1)
    click.echo("All slugs follow YYYY-MM-DD-firstname-period.", err=True)


@events_group.command("rename")
@click.argument("old")
@click.argument("new")
@reports_errors
def rename(old: str, new: str) -> None:
    """Give an event a conforming slug. The old slug keeps working, so links already sent still open."""
    event = booking.rename_event(open_context(), old, new, CLI_ACTOR)
    click.echo(f"Renamed {old} -> {event.slug}; {old} still leads to it.")


@events_group.command("cancel")
@click.argument("slug")
@click.option("--reason", required=True, help="Why; the patron is emailed it (e.g. 'small craft advisory').")
@click.option("--keep", help="What you keep of what was due (a cancellation fee), e.g. 100.00; default nothing.")
@reports_errors
def cancel(slug: str, reason: str, keep: str | None) -> None:
    """Cancel the charter SLUG and email the patron; what was paid beyond --keep is shown as a refund due."""
    ctx = open_context()
    event = booking.cancel_event(ctx, slug, reason, CLI_ACTOR, parse_cents(keep, "--keep") if keep else None)
    outbox.deliver_due(ctx)
    refund = f"; refund due {format_cents(event.refund_due_cents)}" if event.refund_due_cents else ""
    click.echo(f"Cancelled {event.slug}{refund}.")


@events_group.command("reschedule")
@click.argument("slug")
@click.option("--date", "day", required=True, type=DAY, help="The new date.")
@click.option("--period", required=True, help="The new period: am, pm, sunset, full (or as in SCC_PERIODS).")
@reports_errors
def reschedule(slug: str, day: object, period: str) -> None:
    """Move the charter SLUG to another day or period and email the patron; the old slug keeps leading to it."""
    ctx = open_context()
    current = queries.get_event(ctx, slug)
    event = booking.reschedule_event(ctx, slug, _day(day) or current.details.date, period, current.version, CLI_ACTOR)
    outbox.deliver_due(ctx)
    conflicts = f"; {len(event.assignment.conflicts)} conflict(s) to look at" if event.assignment.conflicts else ""
    click.echo(f"Moved {current.slug} -> {event.slug}{conflicts}.")


def _line(event: Event) -> str:
    details = event.details
    due = format_cents(details.amount_due_cents) if details.amount_due_cents else "-"
    state = "paid" if event.payment_cleared else f"owes {format_cents(event.balance_cents)}"
    name = f"{details.patron.first_name} {details.patron.last_name}".strip()
    return f"{event.slug:<36} {details.date} {details.period:<7} {name:<28} {details.party_size:>3}  {due:>10}  {state}"


def _day(value: object) -> date | None:
    return value.date() if hasattr(value, "date") else None
