from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.cli import cli
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.signing import SignatureDraft
from shipcaptaincrew.services import booking
from tests.builders import event_details, set_waiver, sign_waiver
from tests.fakes import FakeClock


def signed_store(data: Path) -> None:
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(data)}), clock=FakeClock())
    booking.create_event(ctx, event_details(), "test")
    version = set_waiver(ctx)
    for name in ["Ana Lima", "=cmd|' /C calc'!A0"]:
        draft = SignatureDraft(
            name, "", "", date(1990, 1, 1), "Rui", "+1 555 0100", name, True, True, version.id, version.sha256
        )
        sign_waiver(ctx, "2026-05-23-sarah-pm", draft)
    ctx.store.close()


def run(data: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"SCC_DATA_DIR": str(data)}, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_verify_passes_then_catches_a_record_edited_behind_the_applications_back(tmp_path: Path) -> None:
    signed_store(tmp_path)
    assert run(tmp_path, "waiver", "verify")[0] == 0

    raw = sqlite3.connect(tmp_path / "scc.sqlite3")
    raw.execute("DROP TRIGGER signatures_are_append_only_update")
    raw.execute("UPDATE signatures SET date_of_birth = '2010-01-01' WHERE guest_name = 'Ana Lima'")
    raw.commit()
    raw.close()

    code, out = run(tmp_path, "waiver", "verify")
    assert code == 1 and out.startswith("ALTERED") and "2026-05-23-sarah-pm" in out


def test_set_makes_a_new_version_and_show_prints_it(tmp_path: Path) -> None:
    text = tmp_path / "waiver.txt"
    text.write_text("Our own waiver.\n", encoding="utf-8")

    code, out = run(tmp_path, "waiver", "set", str(text))

    assert code == 0 and out.startswith("Waiver version 1")
    assert "Our own waiver." in run(tmp_path, "waiver", "show")[1]


def test_the_manifest_lists_who_signed_with_formulas_neutralised(tmp_path: Path) -> None:
    signed_store(tmp_path)

    code, out = run(tmp_path, "export", "manifest", "2026-05-23-sarah-pm")

    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [row["guest_name"] for row in rows] == ["Ana Lima", "'=cmd|' /C calc'!A0"]
