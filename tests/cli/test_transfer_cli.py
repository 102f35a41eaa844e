"""`scc export --jsonl` and `scc import --jsonl` as an operator runs them, on real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from shipcaptaincrew.adapters import sqlite_transfer
from shipcaptaincrew.cli import cli
from shipcaptaincrew.cli import transfer as transfer_cli
from tests.builders import BOOK_SARAH


def scc(data: Path, *args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={"SCC_DATA_DIR": str(data)}, input=input, catch_exceptions=False)


def booked_and_paid(data: Path) -> None:
    scc(data, *BOOK_SARAH)
    result = scc(
        data,
        "payments",
        "log",
        "2026-05-23-sarah-pm",
        "--amount",
        "400",
        "--method",
        "cash",
        "--patron-name",
        "Sarah Lopez",
    )
    assert result.exit_code == 0, result.output


def test_an_export_imported_elsewhere_exports_the_same_bytes(tmp_path: Path) -> None:
    booked_and_paid(tmp_path / "a")
    first = tmp_path / "a.jsonl"
    assert scc(tmp_path / "a", "export", "--jsonl", "-o", str(first)).exit_code == 0

    imported = scc(tmp_path / "b", "import", "--jsonl", str(first))
    again = scc(tmp_path / "b", "export", "--jsonl")

    assert imported.exit_code == 0, imported.output
    assert "records imported" in imported.stderr
    assert again.stdout_bytes == first.read_bytes()
    assert first.read_bytes().startswith(b'{"format":"scc-transfer","version":4}\n')
    assert b'"type":"ledger_entry"' in first.read_bytes()


def test_an_import_reads_standard_input_given_a_dash(tmp_path: Path) -> None:
    booked_and_paid(tmp_path / "a")
    data = scc(tmp_path / "a", "export", "--jsonl").stdout_bytes

    assert scc(tmp_path / "b", "import", "--jsonl", "-", input=data).exit_code == 0
    assert scc(tmp_path / "b", "export", "--jsonl").stdout_bytes == data


def test_export_alone_shows_its_help_and_the_csv_exports_still_work(tmp_path: Path) -> None:
    booked_and_paid(tmp_path)

    shown = scc(tmp_path, "export")
    payments = scc(tmp_path, "export", "payments", "--from", "2020-01-01", "--to", "2100-01-01")

    assert shown.exit_code == 0 and "--jsonl" in shown.output and "payments" in shown.output
    assert payments.exit_code == 0 and "Sarah Lopez" in payments.stdout


def test_an_import_into_a_store_with_data_is_refused(tmp_path: Path) -> None:
    booked_and_paid(tmp_path / "a")
    data = scc(tmp_path / "a", "export", "--jsonl").stdout_bytes

    refused = scc(tmp_path / "a", "import", "--jsonl", "-", input=data)

    assert refused.exit_code == 1
    assert "not empty" in refused.output


def test_a_bad_line_is_refused_with_its_number_and_nothing_is_imported(tmp_path: Path) -> None:
    booked_and_paid(tmp_path / "a")
    lines = scc(tmp_path / "a", "export", "--jsonl").stdout_bytes.splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"type":', b'"typo":')

    refused = scc(tmp_path / "b", "import", "--jsonl", "-", input=b"".join(lines))

    assert refused.exit_code == 1
    assert "line 3" in refused.output
    assert scc(tmp_path / "b", "export", "--jsonl").stdout_bytes.count(b"\n") == 1  # the header only


def test_a_large_import_shows_its_progress_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer_cli, "LARGE", 2)
    monkeypatch.setattr(sqlite_transfer, "PROGRESS_EVERY", 2)
    booked_and_paid(tmp_path / "a")
    data = scc(tmp_path / "a", "export", "--jsonl").stdout_bytes

    imported = scc(tmp_path / "b", "import", "--jsonl", "-", input=data)

    assert "imported 2 of" in imported.stderr
    assert "imported 2 of" not in imported.stdout


def test_the_password_hash_and_calendar_links_leave_only_with_include_secrets(tmp_path: Path) -> None:
    booked_and_paid(tmp_path)
    assert scc(tmp_path, "admin", "set-password", "--password-stdin", input=b"a long enough password\n").exit_code == 0
    assert scc(tmp_path, "roster", "people", "add", "Ana Ruiz", "--role", "captain").exit_code == 0

    plain = scc(tmp_path, "export", "--jsonl")
    full = scc(tmp_path, "export", "--jsonl", "--include-secrets")

    assert b"$argon2id$" not in plain.stdout_bytes and b"calendar_token" not in plain.stdout_bytes
    assert "secrets left out" in plain.stderr
    assert b"$argon2id$" in full.stdout_bytes and b"calendar_token" in full.stdout_bytes
