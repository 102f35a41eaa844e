"""`scc export`: data for the bookkeeper."""

from __future__ import annotations

import contextlib
import csv
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import click

from shipcaptaincrew.adapters.private_files import open_private
from shipcaptaincrew.bootstrap import build_transfer
from shipcaptaincrew.cli.common import DAY, load_settings, open_context, reports_errors
from shipcaptaincrew.domain.days import check_window
from shipcaptaincrew.domain.ledger import Entry
from shipcaptaincrew.domain.money import format_cents
from shipcaptaincrew.ports import Transfer
from shipcaptaincrew.services import payments, waivers
from shipcaptaincrew.services import transfer as transfer_service

OUTPUT = click.Path(dir_okay=False, allow_dash=True)
HEADER = ["recorded_at", "id", "event", "kind", "amount", "method", "patron_name", "reference", "note",
          "received_on", "reverses", "reason", "actor"]  # fmt: skip


@click.group("export", invoke_without_command=True)
@click.option("--jsonl", is_flag=True, help="The whole store as JSON Lines, for `scc import --jsonl`.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="With --jsonl: the file to write (default stdout).",
)
@click.option(
    "--include-secrets",
    is_flag=True,
    help="With --jsonl: keep the password hash, signed-out tokens and link tokens (a move of the store).",
)
@click.pass_context
@reports_errors
def export_group(context: click.Context, jsonl: bool, output: str, include_secrets: bool) -> None:
    """Export data as files: the whole store (--jsonl), or one of the commands below."""
    if context.invoked_subcommand is not None:
        if jsonl or include_secrets:
            raise click.UsageError("--jsonl exports the whole store; it takes no subcommand")
        return
    if not jsonl:
        click.echo(context.get_help())
        return
    count = write_jsonl(build_transfer(load_settings()), output, include_secrets)
    click.echo(f"{count} records exported" + ("" if include_secrets else " (secrets left out)"), err=True)


def write_jsonl(transfer: Transfer, output: str, include_secrets: bool = False) -> int:
    """Write the export to the file (put in place only once complete) or stdout; return the number of records."""
    lines = transfer_service.export_jsonl(transfer, include_secrets)
    if output == "-":
        return _write_lines(sys.stdout.buffer, lines)
    target = Path(output)
    partial = target.with_name(target.name + ".partial")
    with open_private(partial) as handle:
        count = _write_lines(handle, lines)
    partial.replace(target)
    return count


def _write_lines(handle: IO[bytes], lines: Iterator[bytes]) -> int:
    """Write every line; return how many records there were (the header is not one)."""
    written = 0
    for line in lines:
        handle.write(line)
        written += 1
    handle.flush()
    return written - 1


@export_group.command("payments")
@click.option("--from", "start", required=True, type=DAY, help="First day recorded.")
@click.option("--to", "end", required=True, type=DAY, help="Last day recorded, inclusive.")
@click.option("--output", "-o", type=OUTPUT, default="-", help="File (default stdout), readable by you only.")
@reports_errors
def export_payments(start: datetime, end: datetime, output: str) -> None:
    """Ledger entries recorded in a window, as CSV. Reversals are negative amounts."""
    check_window(start.date(), end.date(), "--from", "--to")
    rows = payments.entries_between(open_context(), start.date(), end.date())
    with csv_output(output) as handle:
        _payment_rows(csv.writer(handle, lineterminator="\n"), rows)
    click.echo(f"{len(rows)} entries exported", err=True)


def _payment_rows(writer: Any, rows: list[Entry]) -> None:
    writer.writerow(HEADER)
    for entry in rows:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    entry.recorded_at.isoformat(),
                    entry.id,
                    entry.event_slug,
                    entry.kind,
                    format_cents(entry.signed_cents),
                    entry.method,
                    entry.patron_name,
                    entry.reference,
                    entry.note,
                    entry.received_on.isoformat() if entry.received_on else "",
                    entry.reverses or "",
                    entry.reason,
                    entry.actor,
                )
            ]
        )


@contextlib.contextmanager
def csv_output(output: str) -> Iterator[IO[str]]:
    """Standard output for "-", else the file, created 0600: an export holds patrons' names, phones and emails."""
    if output == "-":
        yield sys.stdout
        return
    with open_private(Path(output), "w", encoding="utf-8", newline="") as handle:
        yield handle


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ (or tab/CR) gets a leading quote.

    Amounts are exempt: a negative amount is a number, not a formula.
    """
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_amount(value):
        return "'" + value
    return value


def _is_amount(value: str) -> bool:
    return value.lstrip("-").replace(".", "", 1).isdigit()


MANIFEST = ["guest_name", "minor", "guardian_name", "emergency_name", "emergency_phone", "phone", "email",
            "signed_at", "signature_id", "record_hash"]  # fmt: skip


@export_group.command("manifest")
@click.argument("slug")
@click.option("--output", "-o", type=OUTPUT, default="-", help="File (default stdout), readable by you only.")
@reports_errors
def export_manifest(slug: str, output: str) -> None:
    """The guests who signed for event SLUG, as CSV (the passenger manifest): each person once (their newest
    signature), voided signatures left out."""
    event, found = waivers.counted_signatures(open_context(), slug)
    with csv_output(output) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MANIFEST)
        for item in found:
            writer.writerow(
                [
                    safe_cell(value)
                    for value in (
                        item.guest_name,
                        "yes" if item.minor else "no",
                        item.guardian_name,
                        item.emergency_name,
                        item.emergency_phone,
                        item.phone,
                        item.email,
                        item.signed_at,
                        item.id,
                        item.record_hash,
                    )
                ]
            )
    click.echo(f"{len(found)} of {event.details.party_size} guests signed", err=True)
