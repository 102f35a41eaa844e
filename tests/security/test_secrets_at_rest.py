"""Reading what the server keeps: other users of the machine, copies of exports, links that outlive their use."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
SLUG = "2026-05-23-sarah-pm"


def scc_with_open_umask(data_dir: Path, *args: str) -> str:
    """`scc ARGS` in its own process, run as if the operator's umask let everyone read and write new files."""
    command = " ".join(shlex.quote(part) for part in (sys.executable, "-m", "shipcaptaincrew", *args))
    environ = {**os.environ, "SCC_DATA_DIR": str(data_dir)}
    done = subprocess.run(["sh", "-c", f"umask 000; exec {command}"], env=environ, capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_and_every_file_holding_secrets_are_private_whatever_the_umask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    scc_with_open_umask(data, "events", "create", "--date", "2026-05-23", "--period", "pm", "--first-name", "Sarah",
                        "--party-size", "6", "--price", "900", "--email", "sarah@example.org")  # fmt: skip
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
    subprocess.run(["sh", "-c", f"umask 000; exec {shlex.quote(sys.executable)} -c {shlex.quote(gmail_token)}"],
                   check=True, timeout=60)  # fmt: skip

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
