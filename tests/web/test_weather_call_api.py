"""The weather call through the API and the command line: a preview first, then the call, then nothing twice."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from starlette.testclient import TestClient

from shipcaptaincrew.cli import cli
from tests.builders import event_body, payment_body


def book(client: TestClient, period: str, name: str) -> str:
    body = event_body(period=period, patron={"first_name": name, "email": f"{name.lower()}@example.org"})
    return str(client.post("/api/events", json=body).json()["slug"])


def test_the_board_previews_a_call_then_makes_it_and_the_second_changes_nothing(client: TestClient) -> None:
    morning, sunset = book(client, "am", "Ana"), book(client, "sunset", "Cora")
    client.post("/api/payment-log", json=payment_body(event_id=morning, amount="250.00"))
    call = {"date": "2026-05-23", "periods": ["am"], "action": "cancel", "reason": "Small craft advisory"}

    preview = client.post("/api/weather-call", json={**call, "dry_run": True}).json()
    made = client.post("/api/weather-call", json=call).json()
    again = client.post("/api/weather-call", json=call).json()

    assert [c["result"] for c in preview["charters"]] == ["would cancel"]
    assert preview["totals"] == {"charters": 1, "failed": 0, "refund_due_cents": 25000, "emails": 1}
    assert [c["result"] for c in made["charters"]] == ["cancelled"] and made["totals"]["refund_due_cents"] == 25000
    assert again["charters"] == []
    assert client.get(f"/api/events/{morning}").json()["refund_due_cents"] == 25000
    assert client.get(f"/api/events/{sunset}").json()["status"] == "booked"


def test_a_call_without_a_reason_or_with_an_unknown_action_is_a_400_naming_the_field(client: TestClient) -> None:
    base = {"date": "2026-05-23", "periods": ["am"], "reason": "Storm"}

    no_reason = client.post("/api/weather-call", json={**base, "action": "cancel", "reason": ""})
    odd = client.post("/api/weather-call", json={**base, "action": "postpone"})
    no_day = client.post("/api/weather-call", json={**base, "action": "reschedule"})

    assert [r.status_code for r in (no_reason, odd, no_day)] == [400, 400, 400]
    assert [r.json()["error"]["field"] for r in (no_reason, odd, no_day)] == ["reason", "action", "to_date"]


def test_the_command_line_previews_and_moves_the_charters(tmp_path: Path, client: TestClient) -> None:
    env = {"SCC_DATA_DIR": str(tmp_path / "data")}
    book(client, "pm", "Ben")
    args = ["weather-call", "--date", "2026-05-23", "--period", "pm", "--action", "reschedule", "--reason", "Wind",
            "--to-date", "2026-05-24"]  # fmt: skip

    dry = CliRunner().invoke(cli, [*args, "--dry-run"], env=env)
    done = CliRunner().invoke(cli, args, env=env)

    assert dry.exit_code == 0 and "would move" in dry.output and "dry run: nothing changed" in dry.output
    assert done.exit_code == 0 and "2026-05-23-ben-pm -> 2026-05-24-ben-pm  moved" in done.output
