"""Someone with a party's link tries to sign what they should not: late, twice, for strangers, or with a bomb."""

from __future__ import annotations

import base64
import email
import email.policy
import io
import os
import struct
import subprocess
import sys
import zlib
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from tests.live_server import live_server_process
from tests.security.conftest import Server, prepare
from tests.security.guests import answers, book, open_form, post_form, sign, signed_count


def test_signing_after_the_charter_is_over_is_refused(server: Server) -> None:
    past = book(server, date.today() - timedelta(days=14))
    event = book(server, date.today() + timedelta(days=5), "James")
    form = {**open_form(server, event["guest_url"]), **answers()}
    server.api(
        "PATCH", f"/api/events/{event['slug']}", {"version": 1, "date": (date.today() - timedelta(days=1)).isoformat()}
    )
    moved = server.api("GET", f"/api/events/{event['slug']}").json()

    late = post_form(server, str(moved["guest_url"]), form)
    page = server.send("GET", f"{past['guest_url']}/waiver")

    assert (late.status, page.status) == (409, 409)
    assert b"can no longer be signed" in late.body and b"over" in page.body
    assert signed_count(server, str(moved["slug"])) == 0 and signed_count(server, past["slug"]) == 0


def test_a_cancelled_charter_cannot_be_signed(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5))
    form = {**open_form(server, event["guest_url"]), **answers()}
    server.api("PATCH", f"/api/events/{event['slug']}", {"version": 1, "status": "cancelled"})

    assert post_form(server, event["guest_url"], form).status == 409
    assert signed_count(server, event["slug"]) == 0


def test_the_same_person_signing_twice_counts_once_and_both_records_are_kept(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5), party_size=2)
    party = event["guest_url"]

    statuses = [sign(server, party, name=name).status for name in ("Ana Lima", "ana  LIMA", "Aná Lima")]
    sign(server, party, name="Ana Lima", born="2001-01-01")  # another Ana Lima: another person

    assert statuses == [303, 303, 303]
    assert signed_count(server, event["slug"]) == 2
    listed = server.api("GET", f"/api/events/{event['slug']}/waivers").json()["signatures"]
    assert [row["status"] for row in listed] == ["superseded", "superseded", "counted", "counted"]  # type: ignore[index]


def test_signatures_beyond_the_party_size_are_kept_and_counted(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5), party_size=2)

    for name in ("Ana Lima", "Rui Lima", "Leo Costa"):
        assert sign(server, event["guest_url"], name=name).status == 303

    listed = server.api("GET", f"/api/events/{event['slug']}/waivers").json()
    assert (listed["waivers_signed"], listed["party_size"]) == (3, 2)


def test_a_voided_signature_leaves_the_count_the_list_and_the_manifest(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5), party_size=6)
    party, slug = event["guest_url"], event["slug"]
    copies = {name: sign(server, party, name=name).headers["location"] for name in ("Ana Lima", "Mallory Forger")}
    forged = next(
        row
        for row in server.api("GET", f"/api/events/{slug}/waivers").json()["signatures"]  # type: ignore[union-attr]
        if row["guest_name"] == "Mallory Forger"
    )  # type: ignore[index]

    voided = server.api("POST", f"/api/waivers/{forged['id']}/void", {"reason": "not in this party"})
    again = server.api("POST", f"/api/waivers/{forged['id']}/void", {"reason": "twice"})

    assert voided.status == 200 and voided.json()["event"]["waivers_signed"] == 1  # type: ignore[index]
    assert again.status == 409
    listed = server.api("GET", f"/api/events/{slug}/waivers").json()["signatures"]
    assert {row["guest_name"]: row["status"] for row in listed} == {
        "Ana Lima": "counted",  # type: ignore[union-attr]
        "Mallory Forger": "voided",
    }
    manifest = scc(server.data_dir, "export", "manifest", slug)
    assert "Ana Lima" in manifest and "Mallory" not in manifest
    copy = server.send("GET", copies["Mallory Forger"]).body.decode()
    assert "was voided" in copy and "not in this party" in copy
    assert b"was voided" not in server.send("GET", copies["Ana Lima"]).body
    printed = pdf_text(server.send("GET", f"{copies['Mallory Forger']}.pdf").body)
    assert "was voided" in printed and "not in this party" in printed
    assert "was voided" not in pdf_text(server.send("GET", f"{copies['Ana Lima']}.pdf").body)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_a_pixel_bomb_is_a_400_and_the_servers_memory_stays_flat(tmp_path: Path) -> None:
    prepare(tmp_path / "data")
    with live_server_process(tmp_path / "data") as (process, url, printed):
        server = Server(url, tmp_path / "data", printed)
        event = book(server, date.today() + timedelta(days=5))
        party = event["guest_url"]
        before = resident_kib(process.pid)

        bombs = [png(13_000, 13_000, depth=1, colour=0), png(2_000, 1_000, extra_rows=10_000), png(20_000, 10)]
        answers_ = [sign(server, party, drawn_signature=bomb) for bomb in bombs for _ in range(3)]

        grown = resident_kib(process.pid) - before
        assert signed_count(server, event["slug"]) == 0
    assert {answer.status for answer in answers_} == {400}
    assert all(b"drawn signature" in answer.body for answer in answers_)
    assert grown < 40_000, f"the server grew by {grown} KiB"


def test_a_drawing_a_signature_pad_makes_is_kept(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5))

    signed = sign(server, event["guest_url"], drawn_signature=png(600, 180, colour=6))

    assert signed.status == 303
    assert b'<img class="drawn"' in server.send("GET", signed.headers["location"]).body
    assert server.send("GET", signed.headers["location"] + ".pdf").status == 200


def test_the_copy_email_never_carries_typed_text_in_its_subject_and_stops_at_the_cap(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5), party_size=2)
    party = event["guest_url"]
    hostile = "Win a prize at evil.example"

    for number in range(23):
        signed = sign(server, party, name=f"{hostile} {number}", email=f"victim{number}@example.org")
        assert signed.status == 303

    copies = [message for message in delivered(server.data_dir) if "waiver" in str(message["Subject"]).lower()]
    assert len(copies) == 20
    assert all(hostile not in str(message["Subject"]) and "evil" not in str(message["Subject"]) for message in copies)


def delivered(data_dir: Path) -> list[email.message.EmailMessage]:
    """What the delivery process has written so far; waits for it (it runs every second)."""
    import time

    deadline, found = time.monotonic() + 20, []
    while time.monotonic() < deadline:
        found = sorted((data_dir / "outbox").glob("*.eml"))
        if len(found) >= 20:
            time.sleep(1.5)  # and for any that should not come
            found = sorted((data_dir / "outbox").glob("*.eml"))
            break
        time.sleep(0.2)
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in found]  # type: ignore[misc]


def png(width: int, height: int, depth: int = 8, colour: int = 6, extra_rows: int = 0) -> str:
    """A PNG data URL whose pixel stream inflates to what the header claims (plus `extra_rows` more rows)."""
    channels = {0: 1, 2: 3, 6: 4}[colour]
    row = b"\x00" + bytes((width * channels * depth + 7) // 8)
    pixels = zlib.compress(row * (height + extra_rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    image = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(image).decode()


def resident_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def scc(data_dir: Path, *args: str) -> str:
    environ = {**os.environ, "SCC_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "shipcaptaincrew", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_one_form_claiming_a_crowd_of_children_is_refused_and_writes_nothing(server: Server) -> None:
    event = book(server, date.today() + timedelta(days=5), party_size=6)
    party = event["guest_url"]
    crowd = {
        f"child_{n}_{part}": f"Kid {n}" if part == "name" else "2016-02-10"
        for n in range(1, 14)
        for part in ("name", "born")
    }
    flood = {f"child_{n}_name": f"Kid {n}" for n in range(1, 200)}

    thirteen = post_form(
        server,
        party,
        {**open_form(server, party), **answers(), "with_children": "yes", "relationship": "parent", **crowd},
    )
    flooded = post_form(server, party, {**open_form(server, party), **answers(), "with_children": "yes", **flood})

    assert (thirteen.status, flooded.status) == (400, 400)
    assert b"Add at most 12 children on one form" in thirteen.body
    assert signed_count(server, event["slug"]) == 0
