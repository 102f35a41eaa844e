"""Someone with write access to the database (a stolen backup put back, a careless admin) rewrites the waivers."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, timedelta

import pytest

from tests.security.conftest import Server
from tests.security.guests import book, sign
from tests.security.test_signing_attacks import scc

TRIGGERS = (
    "signatures_are_append_only_update",
    "signatures_are_append_only_delete",
    "signature_voids_are_append_only_update",
    "signature_voids_are_append_only_delete",
)


def database(server: Server) -> sqlite3.Connection:
    connection = sqlite3.connect(server.data_dir / "scc.sqlite3", timeout=10, isolation_level=None)
    for trigger in TRIGGERS:
        connection.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    return connection


def verify(server: Server) -> tuple[int, str]:
    environ = {**os.environ, "SCC_DATA_DIR": str(server.data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "shipcaptaincrew", "waiver", "verify"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def signed(server: Server) -> Server:
    """Two charters, five signatures and a void, and the first charter moved to another day (its slug renamed)."""
    first = book(server, date.today() + timedelta(days=5), party_size=6)
    second = book(server, date.today() + timedelta(days=6), "James", party_size=4)
    for party, name in [
        (first, "Ana Lima"),
        (first, "Rui Lima"),
        (second, "Leo Costa"),
        (first, "Bea Lima"),
        (second, "Mallory Forger"),
    ]:
        assert sign(server, party["guest_url"], name=name).status == 303
    forged = next(
        row
        for row in server.api("GET", f"/api/events/{second['slug']}/waivers").json()["signatures"]  # type: ignore[union-attr]
        if row["guest_name"] == "Mallory Forger"
    )  # type: ignore[index]
    server.api("POST", f"/api/waivers/{forged['id']}/void", {"reason": "not in this party"})
    later = (date.today() + timedelta(days=7)).isoformat()
    assert server.api("PATCH", f"/api/events/{first['slug']}", {"version": 1, "date": later}).status == 200
    return server


def test_honest_records_verify_even_after_their_charter_was_renamed(signed: Server) -> None:
    code, printed = verify(signed)

    assert code == 0, printed
    assert "6 records checked, 0 problem(s)" in printed


def test_the_tamper_drill_a_rewritten_and_a_deleted_record_are_both_named(signed: Server) -> None:
    with closing(database(signed)) as db:
        rewritten = db.execute("SELECT id FROM signatures WHERE guest_name = 'Rui Lima'").fetchone()[0]
        deleted = db.execute("SELECT id, position FROM signatures WHERE guest_name = 'Leo Costa'").fetchone()
        # The old weakness: an unkeyed hash the attacker simply computes again after the edit.
        db.execute(
            "UPDATE signatures SET guest_name = 'Rui Forged', signed_at = '2020-01-01T00:00:00+00:00', "
            "ip = '198.51.100.66' WHERE id = ?",
            (rewritten,),
        )
        db.execute("UPDATE signatures SET record_hash = ? WHERE id = ?", (rehash(db, rewritten), rewritten))
        db.execute("DELETE FROM signatures WHERE id = ?", (deleted[0],))

    code, printed = verify(signed)

    assert code == 1
    assert f"ALTERED  {rewritten}" in printed and "differs from what was sealed" in printed
    assert f"position {deleted[1]} is missing" in printed


def test_cutting_off_the_newest_records_and_the_head_is_named(signed: Server) -> None:
    with closing(database(signed)) as db:
        db.execute("DELETE FROM signature_voids")
        db.execute("UPDATE waiver_chain SET position = position - 1")

    code, printed = verify(signed)

    assert code == 1 and "head was altered" in printed


def test_removing_a_void_to_bring_a_forged_name_back_is_named(signed: Server) -> None:
    with closing(database(signed)) as db:
        db.execute("DELETE FROM signature_voids")

    code, printed = verify(signed)

    assert code == 1 and "the last records were removed" in printed


def test_an_event_count_raised_behind_the_apps_back_is_named(signed: Server) -> None:
    with closing(database(signed)) as db:
        db.execute("UPDATE events SET waivers_signed = waivers_signed + 3")

    code, printed = verify(signed)

    assert code == 1 and "the event counts" in printed


def test_the_manifest_and_verify_read_the_live_servers_store(signed: Server) -> None:
    slugs = [row["slug"] for row in signed.api("GET", "/api/events?from=2000-01-01&to=2100-01-01").json()["events"]]  # type: ignore[index, union-attr]

    manifests = [scc(signed.data_dir, "export", "manifest", slug) for slug in slugs]

    assert "Mallory" not in "".join(manifests) and "Bea Lima" in "".join(manifests)


def rehash(db: sqlite3.Connection, signature_id: str) -> str:
    """What `record_hash` would be for the edited row if it were an unkeyed SHA-256 over its content."""
    db.row_factory = sqlite3.Row
    row = dict(db.execute("SELECT * FROM signatures WHERE id = ?", (signature_id,)).fetchone())
    db.row_factory = None
    content = {name: value for name, value in row.items() if name not in ("record_hash", "seal", "event_id")}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
