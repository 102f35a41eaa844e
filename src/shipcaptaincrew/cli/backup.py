"""`scc backup` and `scc restore`: a copy of the SQLite store taken while the server runs, and putting one back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from shipcaptaincrew.cli.common import load_settings, reports_errors
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.money import format_cents

PROGRESS_FROM_PAGES = 4096  # show progress for stores of 16 MB and more (4 KB pages)


@click.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@reports_errors
def backup_command(dest: Path, force: bool) -> None:
    """Copy the SQLite store to the file DEST, consistent even while `scc serve` is running and writing.

    The copy holds every change committed before the command started. It covers the database only: the secret
    key (which signs tokens; without it everyone signs in again) and sent mail stay in SCC_DATA_DIR.
    """
    settings = _sqlite_settings("backup")
    from shipcaptaincrew.adapters.sqlite_backup import back_up, describe_counts

    summary = back_up(settings.database_path, dest, force=force, progress=_progress)
    click.echo(
        f"wrote {dest}: {_size(summary.size_bytes)}, schema version {summary.schema_version}, "
        f"{describe_counts(summary)}, ledger total {format_cents(summary.ledger_total_cents)}"
    )


@click.command("restore")
@click.argument("src", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a store that holds data (it is kept aside, not deleted).")
@reports_errors
def restore_command(src: Path, force: bool) -> None:
    """Replace the SQLite store with the backup SRC, made by `scc backup`.

    SRC must pass SQLite's integrity check and have a schema version this scc knows. Refused while the server
    (or anything else) has the store open; refused when the store holds data, unless --force. The previous
    database is kept beside it as scc.sqlite3.before-restore-<time>; the swap is one rename.
    """
    settings = _sqlite_settings("restore")
    from shipcaptaincrew.adapters.sqlite_backup import describe_counts, restore

    restored = restore(src, settings.database_path, datetime.now(UTC), force=force)
    summary = restored.summary
    click.echo(
        f"restored {src} into {summary.path}: schema version {summary.schema_version}, {describe_counts(summary)}, "
        f"ledger total {format_cents(summary.ledger_total_cents)}"
    )
    if restored.previous is not None:
        click.echo(f"the previous database is kept at {restored.previous}")


def _sqlite_settings(command: str) -> Settings:
    settings = load_settings()
    if settings.store != "sqlite":
        raise click.UsageError(
            f"`scc {command}` works on the SQLite store only (SCC_STORE is {settings.store}); for DynamoDB use "
            "point-in-time recovery, or `scc export --jsonl` for a portable copy of the data"
        )
    return settings


def _progress(copied: int, total: int) -> None:
    if total >= PROGRESS_FROM_PAGES:
        click.echo(f"copied {copied:,} of {total:,} pages ({copied / total:.0%})", err=True)


def _size(size: int) -> str:
    return f"{size:,} bytes" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB ({size:,} bytes)"
