from __future__ import annotations

import csv
import io
from pathlib import Path

from shipcaptaincrew.cli.export import safe_cell


def test_log_list_and_reverse_from_the_command_line(booked) -> None:  # type: ignore[no-untyped-def]
    code, out = booked(
        "payments",
        "log",
        "2026-05-23-sarah-pm",
        "--amount",
        "900",
        "--method",
        "check",
        "--patron-name",
        "Sarah",
        "--reference",
        "1042",
    )
    assert code == 0 and "cleared" in out
    entry_id = out.split()[0]

    code, out = booked("payments", "reverse", entry_id, "--reason", "check bounced")
    assert code == 0 and "balance 900.00" in out

    code, out = booked("payments", "list", "2026-05-23-sarah-pm")
    assert code == 0
    assert out.count("\n") == 2 and "check bounced" in out


def test_a_bad_amount_on_the_command_line_is_a_clear_error(booked) -> None:  # type: ignore[no-untyped-def]
    code, out = booked(
        "payments", "log", "2026-05-23-sarah-pm", "--amount", "1e3", "--method", "cash", "--patron-name", "Sarah"
    )

    assert code == 1 and "amount" in out and "Traceback" not in out


def test_an_amount_above_the_maximum_says_the_maximum_on_the_command_line(booked) -> None:  # type: ignore[no-untyped-def]
    code, out = booked("payments", "log", "2026-05-23-sarah-pm", "--amount", "99999999999999999999.99",
                       "--method", "cash", "--patron-name", "Sarah")  # fmt: skip

    assert code == 1 and "must be at most 999,999,999.99" in out


def test_a_payment_method_in_capitals_works_on_the_command_line(booked) -> None:  # type: ignore[no-untyped-def]
    code, out = booked("payments", "log", "2026-05-23-sarah-pm", "--amount", "100", "--method", "CASH",
                       "--patron-name", "Sarah")  # fmt: skip

    assert code == 0 and "100.00 cash for 2026-05-23-sarah-pm" in out


def test_errors_name_the_command_line_options_never_the_api_fields(booked) -> None:  # type: ignore[no-untyped-def]
    pay = ("payments", "log", "2026-05-23-sarah-pm", "--amount", "100", "--patron-name", "Sarah")
    said = {
        "--method must be one of cash, check": booked(*pay, "--method", "bitcoin"),
        "no event with slug '2026-05-24-sarah-pm'": booked("payments", "log", "2026-05-24-sarah-pm", "--amount", "1",
                                                           "--method", "cash", "--patron-name", "Sarah"),
        "--party-size must be between 1 and 500": booked("events", "create", "--date", "2026-05-24", "--period",
                                                         "am", "--first-name", "Jo", "--party-size", "0"),
        "choose another booking to carry the rain check (--to)": booked(
            "payments", "rain-check", "2026-05-23-sarah-pm", "--to", "2026-05-23-sarah-pm"),
    }  # fmt: skip

    for words, (code, out) in said.items():
        assert code == 1 and out.startswith(f"Error: {words}"), out
        for api_name in ("event_id", "payment_method", "party_size", "to_event"):
            assert api_name not in out, out


def test_the_receipt_is_delivered_and_listed_in_the_outbox(booked, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    booked("payments", "log", "2026-05-23-sarah-pm", "--amount", "100", "--method", "cash", "--patron-name", "Sarah")

    code, out = booked("outbox", "list")

    assert code == 0 and "sent" in out and "sarah@example.org" in out
    assert len(list((tmp_path / "data" / "outbox").glob("*.eml"))) == 2  # the booking's confirmation, the receipt
    message_id = out.split()[0]  # the newest first
    assert "$100.00" in booked("outbox", "show", message_id)[1]
    assert booked("outbox", "deliver")[1].startswith("sent 0")


def test_export_writes_csv_with_formulas_neutralised(booked, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    booked(
        "payments",
        "log",
        "2026-05-23-sarah-pm",
        "--amount",
        "100",
        "--method",
        "cash",
        "--patron-name",
        '=HYPERLINK("http://x")',
        "--note",
        "@SUM(A1)",
    )

    code, out = booked("export", "payments", "--from", "2026-01-01", "--to", "2099-12-31")

    rows = list(csv.DictReader(io.StringIO(out.replace("1 entries exported\n", ""))))
    assert code == 0
    assert rows[0]["patron_name"].startswith("'=") and rows[0]["note"] == "'@SUM(A1)"
    assert rows[0]["amount"] == "100.00"


def test_a_reversed_window_is_an_error_naming_the_options_not_an_empty_export(booked) -> None:  # type: ignore[no-untyped-def]
    booked("payments", "log", "2026-05-23-sarah-pm", "--amount", "100", "--method", "cash", "--patron-name", "Sarah")

    exported = booked("export", "payments", "--from", "2026-12-31", "--to", "2026-12-01")
    listed = booked("events", "list", "--from", "2026-12-31", "--to", "2026-12-01")

    for code, out in (exported, listed):
        assert code != 0 and "--to must not be before --from: 2026-12-01 is before 2026-12-31" in out
        assert "recorded_at" not in out


def test_safe_cell_leaves_negative_amounts_as_numbers() -> None:
    assert safe_cell("-100.00") == "-100.00"
    assert safe_cell("-cmd") == "'-cmd"
    assert safe_cell("+1 555 0100") == "'+1 555 0100"
    assert safe_cell("plain") == "plain"


def test_an_amount_over_ten_times_the_balance_asks_for_confirm(booked) -> None:  # type: ignore[no-untyped-def]
    pay = ("payments", "log", "2026-05-23-sarah-pm", "--amount", "100000000", "--method", "cash",
           "--patron-name", "Sarah")  # fmt: skip

    code, out = booked(*pay)
    assert code == 1 and out.startswith("Error: --amount $100,000,000.00 is more than 10 times the $900.00 due")
    assert "add --confirm" in out
    assert booked("payments", "list", "2026-05-23-sarah-pm")[1].startswith("No payments")

    code, out = booked(*pay, "--confirm")
    assert code == 0 and "100000000.00 cash for 2026-05-23-sarah-pm" in out
