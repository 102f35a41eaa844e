"""`scc import --jsonl`: restore a whole-store export (`scc export --jsonl`) into an empty store."""

from __future__ import annotations

from typing import BinaryIO

import click

from shipcaptaincrew.bootstrap import build_transfer
from shipcaptaincrew.cli.common import load_settings, reports_errors
from shipcaptaincrew.services import transfer

LARGE = 5000  # records: from here on, progress is shown on stderr


@click.command("import")
@click.option("--jsonl", is_flag=True, required=True, help="The file is JSON Lines from `scc export --jsonl`.")
@click.argument("source", type=click.File("rb"), default="-")
@reports_errors
def import_command(jsonl: bool, source: BinaryIO) -> None:
    """Restore SOURCE (a file, or - for stdin) into the store SCC_STORE names, which must be empty.

    Every line is checked first, and what records point at; one bad line and nothing is written. Records are
    restored as they were: no use case runs again, so no receipt is sent and no audit entry is added.
    """
    count = transfer.import_jsonl(build_transfer(load_settings()), source, show_progress)
    click.echo(f"{count} records imported", err=True)


def show_progress(done: int, total: int) -> None:
    if total >= LARGE and done < total:
        click.echo(f"imported {done} of {total} records", err=True)
