"""The charter day's money and reminders from the command line: a refund, a rain check, the export, `reminders run`."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli.conftest import Scc

CANCELLED, LATER = "2026-05-23-sarah-pm", "2026-06-10-sarah-am"


def cancelled_after_paying(booked: Scc) -> None:
    booked("payments", "log", CANCELLED, "--amount", "400", "--method", "venmo", "--patron-name", "Sarah")
    code, out = booked("events", "cancel", CANCELLED, "--reason", "Small craft advisory")
    assert code == 0 and "refund due 400.00" in out


def exported(scc: Scc) -> list[dict[str, str]]:
    code, out = scc("export", "payments", "--from", "2026-01-01", "--to", "2099-12-31")
    assert code == 0
    table = "".join(line for line in out.splitlines(keepends=True) if not line.endswith("entries exported\n"))
    return list(csv.DictReader(io.StringIO(table)))


def test_a_refund_beyond_what_was_paid_is_refused_and_one_within_is_its_own_row_in_the_export(booked: Scc) -> None:
    cancelled_after_paying(booked)

    sent_back = ("payments", "refund", CANCELLED, "--method", "venmo", "--patron-name", "Sarah")
    code, out = booked(*sent_back, "--amount", "500")
    assert (
        code == 1
        and "--amount is more than was paid: at most $400.00 can be refunded" in out
        and "Traceback" not in out
    )
    code, out = booked(*sent_back, "--amount", "400", "--reference", "@sarah")
    assert code == 0 and "paid net 0.00" in out

    rows = exported(booked)
    assert [(row["kind"], row["amount"], row["method"]) for row in rows] == [
        ("payment", "400.00", "venmo"),
        ("refund", "-400.00", "venmo"),
    ]


def test_a_rain_check_moves_the_refund_due_onto_the_patrons_later_booking(booked: Scc) -> None:
    booked("events", "create", "--date", "2026-06-10", "--period", "am", "--first-name", "Sarah", "--party-size", "6",
           "--price", "900", "--email", "sarah@example.org")  # fmt: skip
    cancelled_after_paying(booked)

    code, out = booked("payments", "rain-check", CANCELLED, "--to", LATER)

    assert code == 0 and f"400.00 moved from {CANCELLED} to {LATER}; {LATER} now owes 500.00" in out
    later = booked("payments", "list", LATER)[1]
    assert f"rain check from {CANCELLED}" in later and "500.00" in later
    assert [(row["event"], row["kind"], row["amount"]) for row in exported(booked)][1:] == [
        (CANCELLED, "rain_check", "-400.00"),
        (LATER, "credit", "400.00"),
    ]


def test_reminders_run_lists_on_a_dry_run_then_sends_once_however_often_it_runs(scc: Scc, tmp_path: Path) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()  # SCC_TIMEZONE unset: the day is UTC's
    scc("events", "create", "--date", tomorrow, "--period", "am", "--first-name", "Ben", "--party-size", "2",
        "--price", "100", "--email", "ben@example.org")  # fmt: skip
    outbox = tmp_path / "data" / "outbox"

    def reminders_sent() -> int:
        return sum("Your charter tomorrow" in mail.read_text() for mail in outbox.glob("*.eml"))

    dry = scc("reminders", "run", "--dry-run")[1]
    assert f"{tomorrow}-ben-am  1 day(s) before  ben@example.org" in dry and "would be reminded" in dry
    assert reminders_sent() == 0

    assert "1 patron(s) reminded." in scc("reminders", "run")[1]
    assert "0 patron(s) reminded." in scc("reminders", "run")[1]
    assert reminders_sent() == 1
