"""`scc weather-call`: cancel or move every live charter of some periods of one day."""

from __future__ import annotations

from datetime import date

import click

from shipcaptaincrew.cli.common import CLI_ACTOR, DAY, open_context, reports_errors
from shipcaptaincrew.domain.money import format_cents
from shipcaptaincrew.services import outbox, weather


@click.command("weather-call")
@click.option("--date", "day", required=True, type=DAY, help="The day of the call.")
@click.option("--period", "periods", required=True, multiple=True, help="A period to call off (repeat for more).")
@click.option("--action", required=True, type=click.Choice(weather.ACTIONS, case_sensitive=False), help="What to do.")
@click.option("--reason", required=True, help="Why, as the patrons will read it (e.g. 'small craft advisory').")
@click.option("--to-date", type=DAY, help="Reschedule: the day to move the charters to.")
@click.option("--to-period", help="Reschedule: the period to move them to (default: each keeps its own).")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Only say what would happen to each charter, who would be emailed, and the money; change nothing.",
)
@reports_errors
def weather_call_command(
    day: object,
    periods: tuple[str, ...],
    action: str,
    reason: str,
    to_date: object,
    to_period: str | None,
    dry_run: bool,
) -> None:
    """Cancel or move every live charter of the given periods of a day, one at a time, and say what happened to
    each. Patrons (and, for a move, guests who signed) and the assigned crew are emailed. Running it again changes
    nothing."""
    ctx = open_context()
    call = weather.WeatherCall(
        _day(day), tuple(periods), action.lower(), reason, _day(to_date) if to_date else None, to_period
    )
    outcomes = weather.make_weather_call(ctx, call, CLI_ACTOR, dry_run=dry_run)
    for outcome in outcomes:
        click.echo(_line(outcome))
    if not dry_run:
        outbox.deliver_due(ctx)
    refunds = sum(outcome.refund_due_cents for outcome in outcomes)
    failed = sum(1 for outcome in outcomes if outcome.result == "failed")
    click.echo(
        f"{len(outcomes)} charter(s){', ' + str(failed) + ' failed' if failed else ''}; refunds due "
        f"{format_cents(refunds)}{' (dry run: nothing changed)' if dry_run else ''}.",
        err=True,
    )
    if failed:
        raise SystemExit(1)


def _line(outcome: weather.Outcome) -> str:
    moved = f" -> {outcome.new_slug}" if outcome.new_slug else ""
    money = f"  paid {format_cents(outcome.paid_cents)}, refund due {format_cents(outcome.refund_due_cents)}"
    told = f"  emails: {', '.join(outcome.emailed) or 'none'}"
    error = f"  ({outcome.error})" if outcome.error else ""
    return f"{outcome.slug}{moved}  {outcome.result}{error}{money}{told}"


def _day(value: object) -> date:
    assert hasattr(value, "date")
    found: date = value.date()
    return found
