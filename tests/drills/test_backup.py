"""Backup and restore drill: `scc backup` while a live server logs payments, `scc restore` into a fresh folder,
a server on the restored store; and the refusals that keep a store from being overwritten by mistake."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from click.testing import CliRunner

from shipcaptaincrew.adapters.sqlite_backup import back_up
from shipcaptaincrew.cli import cli
from tests.drills.ledger import AMOUNT_DUE_CENTS, SLUG, Payer, prepare, read_ledger, request, sign_in
from tests.live_server import LiveServerFactory


def scc_process(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`scc ARGS...` as its own process, as an operator runs it beside the server."""
    env = {**os.environ, "SCC_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "shipcaptaincrew", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


def scc(data_dir: Path, *args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"SCC_DATA_DIR": str(data_dir), **env}, catch_exceptions=False)
    return result.exit_code, result.output


def wait_for(payer: Payer, acknowledged: int) -> None:
    deadline = time.monotonic() + 30
    while len(payer.acknowledged) < acknowledged and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(payer.acknowledged) >= acknowledged


def backup_while_paying(servers: LiveServerFactory, data: Path, target: Path) -> tuple[dict[str, str], tuple[int, str]]:
    """Start a server on `data`, log payments, run `scc backup` in the middle; return what was acknowledged
    before the backup started and the backup's exit code and output. Payments go on for a while after it.

    The backup runs in this process (not a new one, which takes half a second to start), so that little
    happens between noting the acknowledged payments and the copy: the newest of them are then only in the
    WAL, and a copy of the database file alone would miss them."""
    server = servers.fresh(data, with_password=False)
    payer = Payer(server.url, "")
    payer.token = sign_in(payer.base_url)
    stop = threading.Event()
    client = threading.Thread(target=payer.keep_paying, args=(stop,))
    client.start()
    try:
        wait_for(payer, 30)
        with payer.lock:
            before = dict(payer.acknowledged)
        result = scc(data, "backup", str(target))
        wait_for(payer, len(payer.acknowledged) + 10)
    finally:
        stop.set()
        client.join(timeout=30)
        server.stop()
    assert payer.refused == [] and payer.unanswered == []
    return before, result


def restored_statement(servers: LiveServerFactory, data: Path) -> dict[str, object]:
    base_url = servers.fresh(data, with_password=False).url
    headers = {"Authorization": f"Bearer {sign_in(base_url)}"}
    status, body = request(base_url, "GET", f"/api/events/{SLUG}/payments", headers=headers)
    assert status == 200, body
    found: dict[str, object] = json.loads(body)
    return found


def test_a_backup_taken_while_the_server_logs_payments_restores_the_ledger_as_it_was_when_the_backup_began(
    tmp_path: Path, live_server_factory: LiveServerFactory
) -> None:
    source, target, fresh = tmp_path / "source", tmp_path / "backup.sqlite3", tmp_path / "restored"
    prepare(source)

    before, result = backup_while_paying(live_server_factory, source, target)

    code, out = result
    assert code == 0, out
    assert out.startswith(f"wrote {target}: ") and "ledger entries" in out
    copy, live = read_ledger(target), read_ledger(source / "scc.sqlite3")
    assert copy.integrity == ["ok"]
    assert set(before.values()) <= set(copy.ids), "every payment acknowledged before the backup began is in it"
    assert copy.entries == live.entries[: len(copy.entries)], "the copy is the ledger as it was at one moment"
    assert len(copy.entries) < len(live.entries), "the server went on writing during and after the backup"
    assert copy.paid_cents == copy.total_cents

    restored = scc_process(fresh, "restore", str(target))
    assert restored.returncode == 0, restored.stderr
    statement = restored_statement(live_server_factory, fresh)
    lines = statement["entries"]
    assert isinstance(lines, list) and isinstance(statement["event"], dict)
    assert [line["entry"]["id"] for line in lines] == copy.ids
    assert [line["entry"]["amount_cents"] for line in lines] == [cents for _, _, cents in copy.entries]
    assert statement["event"]["paid_cents"] == copy.total_cents
    assert statement["event"]["balance_cents"] == AMOUNT_DUE_CENTS - copy.total_cents


def test_backup_refuses_to_overwrite_a_file_unless_forced(tmp_path: Path) -> None:
    data, target = tmp_path / "data", tmp_path / "backup.sqlite3"
    prepare(data)
    target.write_text("keep me")

    code, out = scc(data, "backup", str(target))
    assert code == 1 and "exists already" in out and "--force" in out
    assert target.read_text() == "keep me"

    code, out = scc(data, "backup", str(target), "--force")
    assert code == 0 and "1 events" in out
    assert read_ledger(target).integrity == ["ok"]
    assert [path.name for path in tmp_path.iterdir() if "partial" in path.name] == []


def test_restore_refuses_files_that_are_not_sound_scc_databases_and_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    data, good = tmp_path / "data", tmp_path / "good.sqlite3"
    prepare(data)
    assert scc(data, "backup", str(good))[0] == 0
    store = (data / "scc.sqlite3").read_bytes()
    text, foreign, newer, damaged = (tmp_path / name for name in ("notes.txt", "other.db", "newer.db", "damaged.db"))
    text.write_text("not a database\n" * 100)
    sqlite3.connect(foreign).execute("CREATE TABLE things (x)").connection.close()
    newer.write_bytes(good.read_bytes())
    sqlite3.connect(newer).execute("PRAGMA user_version = 999").connection.close()
    damaged.write_bytes(scrambled(good.read_bytes()))

    for source, reason in (
        (text, "not an scc database"),
        (foreign, "not an scc store"),
        (newer, "newer than this scc knows"),
        (damaged, "damaged.db"),
        (tmp_path / "missing.db", "no file"),
    ):
        code, out = scc(tmp_path / "empty", "restore", str(source), "--force")
        assert code == 1 and reason in out, (source.name, out)
    assert (data / "scc.sqlite3").read_bytes() == store
    assert not (tmp_path / "empty" / "scc.sqlite3").exists(), "nothing was installed"
    assert [path.name for path in (tmp_path / "empty").iterdir()] == []


def scrambled(database: bytes) -> bytes:
    """The database with its last pages overwritten: SQLite can open it, its integrity check cannot pass."""
    page = int.from_bytes(database[16:18], "big")
    return database[: -3 * page] + bytes(range(256)) * (3 * page // 256)


def test_restore_refuses_a_store_that_holds_data_unless_forced_and_keeps_the_old_store_aside(tmp_path: Path) -> None:
    first, second, backup = tmp_path / "first", tmp_path / "second", tmp_path / "first.sqlite3"
    prepare(first)
    assert scc(first, "backup", str(backup))[0] == 0
    booked = scc_process(
        second, "events", "create", "--date", "2026-06-01", "--period", "am", "--first-name", "Ann", "--party-size", "2"
    )
    assert booked.returncode == 0, booked.stderr
    before = (second / "scc.sqlite3").read_bytes()

    code, out = scc(second, "restore", str(backup))
    assert code == 1 and "holds 1 events" in out and "--force" in out
    assert (second / "scc.sqlite3").read_bytes() == before

    code, out = scc(second, "restore", str(backup), "--force")
    assert code == 0 and "the previous database is kept at" in out
    (aside,) = second.glob("scc.sqlite3.before-restore-*")
    assert slugs(aside) == ["2026-06-01-ann-am"]
    assert slugs(second / "scc.sqlite3") == [SLUG]


def slugs(database: Path) -> list[str]:
    connection = sqlite3.connect(database)
    try:
        return [row[0] for row in connection.execute("SELECT slug FROM events")]
    finally:
        connection.close()


def test_restore_into_a_new_folder_needs_no_force_and_keeps_nothing_aside(tmp_path: Path) -> None:
    data, backup, fresh = tmp_path / "data", tmp_path / "backup.sqlite3", tmp_path / "fresh"
    prepare(data)
    assert scc(data, "backup", str(backup))[0] == 0

    code, out = scc(fresh, "restore", str(backup))

    assert code == 0 and "kept at" not in out
    assert slugs(fresh / "scc.sqlite3") == [SLUG]
    assert sorted(path.name for path in fresh.iterdir()) == ["scc.sqlite3"]


def test_restore_refuses_while_the_server_has_the_store_open_even_when_forced(
    tmp_path: Path, live_server_factory: LiveServerFactory
) -> None:
    data, backup = tmp_path / "data", tmp_path / "backup.sqlite3"
    prepare(data)
    assert scc(data, "backup", str(backup))[0] == 0

    server = live_server_factory.fresh(data, with_password=False)
    result = scc_process(data, "restore", str(backup), "--force")
    server.stop()

    assert result.returncode == 1 and "in use" in result.stderr and "stop `scc serve`" in result.stderr
    assert list(data.glob("scc.sqlite3.before-restore-*")) == []


def test_backup_and_restore_refuse_the_dynamodb_store_and_point_to_the_export(tmp_path: Path) -> None:
    for command in ("backup", "restore"):
        code, out = scc(tmp_path, command, str(tmp_path / "x.sqlite3"), SCC_STORE="dynamodb")

        assert code == 2 and "SQLite store only" in out and "scc export --jsonl" in out


def test_restore_over_a_store_left_by_a_killed_server_keeps_its_unfolded_writes_in_the_copy_aside(
    tmp_path: Path, live_server_factory: LiveServerFactory
) -> None:
    first, second, backup = tmp_path / "first", tmp_path / "second", tmp_path / "first.sqlite3"
    prepare(first)
    assert scc(first, "backup", str(backup))[0] == 0
    prepare(second)
    server = live_server_factory.fresh(second, with_password=False)
    payer = Payer(server.url, "")
    payer.token = sign_in(payer.base_url)
    assert payer.pay("before-the-crash")
    server.kill()
    assert (second / "scc.sqlite3-wal").stat().st_size > 0, "the payment is still in the WAL"

    code, out = scc(second, "restore", str(backup), "--force")

    assert code == 0, out
    assert not (second / "scc.sqlite3-wal").exists()
    (aside,) = second.glob("scc.sqlite3.before-restore-*")
    assert read_ledger(aside).ids == list(payer.acknowledged.values())
    assert read_ledger(second / "scc.sqlite3").ids == []


def test_restore_refuses_a_folder_holding_a_wal_without_its_database(tmp_path: Path) -> None:
    data, fresh, backup = tmp_path / "data", tmp_path / "fresh", tmp_path / "backup.sqlite3"
    prepare(data)
    assert scc(data, "backup", str(backup))[0] == 0
    fresh.mkdir()
    (fresh / "scc.sqlite3-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(60))

    code, out = scc(fresh, "restore", str(backup), "--force")

    assert code == 1 and "without its database" in out
    assert not (fresh / "scc.sqlite3").exists()


def fill(database: Path, megabytes: int) -> None:
    """Make the store big: audit rows of 100 KB each (the audit log takes inserts from anyone)."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("BEGIN")
        for _ in range(megabytes * 10):
            connection.execute(
                "INSERT INTO audit (action, actor, at, data) VALUES ('bulk', 'test', '2026-01-01', ?)", ("x" * 100_000,)
            )
        connection.execute("COMMIT")
    finally:
        connection.close()


def test_a_big_store_written_between_every_step_of_the_copy_is_still_copied_whole(tmp_path: Path) -> None:
    data, target = tmp_path / "data", tmp_path / "backup.sqlite3"
    prepare(data)
    fill(data / "scc.sqlite3", megabytes=20)
    writer, steps = sqlite3.connect(data / "scc.sqlite3", isolation_level=None), []

    def write_between_steps(copied: int, total: int) -> None:
        steps.append((copied, total))  # each write makes a step-wise copy start over
        writer.execute("INSERT INTO audit (action, actor, at, data) VALUES ('during', 'test', '2026-01-01', '{}')")

    try:
        summary = back_up(data / "scc.sqlite3", target, progress=write_between_steps)
    finally:
        writer.close()

    assert len(steps) <= 5, "after a few restarts the rest is copied in one step"
    assert summary.size_bytes > 20_000_000
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT count(*) FROM audit WHERE action = 'bulk'").fetchone()[0] == 200
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()


def test_backup_shows_its_progress_on_stderr_for_a_big_store(tmp_path: Path) -> None:
    data, target = tmp_path / "data", tmp_path / "backup.sqlite3"
    prepare(data)
    fill(data / "scc.sqlite3", megabytes=20)

    result = scc_process(data, "backup", str(target))

    assert result.returncode == 0, result.stderr
    assert "copied 1,024 of" in result.stderr and "(100%)" in result.stderr
    assert result.stdout.startswith(f"wrote {target}: ") and "MB" in result.stdout


def test_backup_refuses_the_store_itself_and_a_missing_folder_even_when_forced(tmp_path: Path) -> None:
    data = tmp_path / "data"
    prepare(data)
    store = (data / "scc.sqlite3").read_bytes()

    code, out = scc(data, "backup", str(data / "scc.sqlite3"), "--force")
    assert code == 1 and "the store itself" in out
    code, out = scc(data, "backup", str(tmp_path / "nowhere" / "backup.sqlite3"))
    assert code == 1 and "no folder" in out
    assert (data / "scc.sqlite3").read_bytes() == store
