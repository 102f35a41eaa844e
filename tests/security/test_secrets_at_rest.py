"""Reading what the server keeps: other users of the machine, copies of exports, links that outlive their use."""

from __future__ import annotations

import os
import shlex
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.adapters.sqlite_transfer import SqliteTransfer
from shipcaptaincrew.domain.errors import Unauthorized
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.transfer import export_jsonl, import_jsonl
from tests.builders import BOOK_SARAH
from tests.contract.test_transfer import Built, populate
from tests.contract.test_transfer import context as transfer_context

PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
SLUG = "2026-05-23-sarah-pm"


def scc_with_open_umask(data_dir: Path, *args: str) -> str:
    """`scc ARGS` in its own process, run as if the operator's umask let everyone read and write new files."""
    command = " ".join(shlex.quote(part) for part in (sys.executable, "-m", "shipcaptaincrew", *args))
    environ = {**os.environ, "SCC_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        ["sh", "-c", f"umask 000; exec {command}"], env=environ, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_and_every_file_holding_secrets_are_private_whatever_the_umask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    scc_with_open_umask(data, *BOOK_SARAH)
    scc_with_open_umask(data, "payments", "log", SLUG, "--amount", "100", "--method", "cash", "--patron-name", "Sarah")
    exports = {
        "backup": ("backup", str(tmp_path / "backup.sqlite3")),
        "store": ("export", "--jsonl", "-o", str(tmp_path / "store.jsonl")),
        "payments": ("export", "payments", "--from", "2000-01-01", "--to", "2100-01-01", "-o",
                     str(tmp_path / "payments.csv")),
        "manifest": ("export", "manifest", SLUG, "-o", str(tmp_path / "manifest.csv")),
    }  # fmt: skip
    for args in exports.values():
        scc_with_open_umask(data, *args)
    gmail_token = (
        "from pathlib import Path; from shipcaptaincrew.adapters.gmail_token_store import FileTokenStore;"
        "from shipcaptaincrew.adapters.gmail_oauth import GmailToken;"
        f"FileTokenStore(Path({str(data / 'gmail-token.json')!r})).save(GmailToken('id', 'secret', 'refresh'))"
    )
    subprocess.run(
        ["sh", "-c", f"umask 000; exec {shlex.quote(sys.executable)} -c {shlex.quote(gmail_token)}"],
        check=True,
        timeout=60,
    )

    assert mode(data) == PRIVATE_FOLDER
    held = list(data.rglob("*"))
    assert {path.name for path in held} >= {"scc.sqlite3", "secret.key", "gmail-token.json", "outbox"}
    assert any(path.suffix == ".eml" for path in held)
    for path in held:
        assert mode(path) == (PRIVATE_FOLDER if path.is_dir() else PRIVATE_FILE), path
    for name in ("backup.sqlite3", "store.jsonl", "payments.csv", "manifest.csv"):
        assert mode(tmp_path / name) == PRIVATE_FILE, name


def test_a_store_left_readable_by_an_older_version_is_made_private_when_opened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    scc_with_open_umask(data, "events", "list", "--from", "2026-05-01", "--to", "2026-05-31")
    for path in [data, *data.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o644)

    scc_with_open_umask(data, "events", "list", "--from", "2026-05-01", "--to", "2026-05-31")

    assert mode(data) == PRIVATE_FOLDER
    assert mode(data / "scc.sqlite3") == PRIVATE_FILE


def full_store(tmp_path: Path) -> tuple[Built, SqliteStore]:
    store = SqliteStore(tmp_path / "source.sqlite3", DEFAULT_PERIODS)
    return populate(transfer_context(store)), store


def secrets_held(store: SqliteStore) -> dict[str, set[str]]:
    with sqlite3.connect(store.path) as database:
        return {
            "password hash": _credential(database, "admin_password_hash"),
            "password tag": _credential(database, "admin_password_tag"),
            "calendar tokens": {row[0] for row in database.execute("SELECT calendar_token FROM people")},
            "day-sheet nonces": {row[0] for row in database.execute("SELECT day_sheet_nonce FROM people")},
            "copy tokens": {row[0] for row in database.execute("SELECT copy_token FROM signatures")},
            "revoked token ids": {row[0] for row in database.execute("SELECT token_id FROM revoked_tokens")},
        }


def _credential(database: sqlite3.Connection, name: str) -> set[str]:
    return {row[0] for row in database.execute("SELECT value FROM credentials WHERE name = ?", (name,))}


def test_an_export_carries_no_password_hash_tag_token_or_revocation_unless_asked(tmp_path: Path) -> None:
    _, store = full_store(tmp_path)
    held = secrets_held(store)
    assert all(held.values())

    plain = b"".join(export_jsonl(SqliteTransfer(store.path)))
    full = b"".join(export_jsonl(SqliteTransfer(store.path), include_secrets=True))

    for what, values in held.items():
        for value in values:
            assert value.encode() not in plain, what  # nor in the links of the emails the outbox keeps
            assert value.encode() in full, what
    assert b'"type":"credential"' not in plain and b'"type":"revoked_token"' not in plain


def test_an_import_without_secrets_makes_new_links_and_asks_for_a_new_password(tmp_path: Path) -> None:
    built, store = full_store(tmp_path)
    before = secrets_held(store)
    target = SqliteStore(tmp_path / "target.sqlite3", DEFAULT_PERIODS)
    plain = b"".join(export_jsonl(SqliteTransfer(store.path)))

    import_jsonl(SqliteTransfer(target.path), plain.splitlines(keepends=True), lambda done, total: None)

    after = secrets_held(target)
    assert after["password hash"] == after["password tag"] == after["revoked token ids"] == set()
    for what in ("calendar tokens", "day-sheet nonces", "copy tokens"):
        assert len(after[what]) == len(before[what]) and not after[what] & before[what], what
        assert all(len(token) >= 32 for token in after[what]), what
    ctx = transfer_context(target)
    with pytest.raises(Unauthorized):
        admin.check_token(ctx, built.live_token)
    assert admin.ensure_admin_password(ctx) is not None  # `scc serve` prints a new one, as on a first run
