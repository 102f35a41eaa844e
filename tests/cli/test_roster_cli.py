"""`scc roster` and `scc events assign`: the roster and assignments from the command line."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from shipcaptaincrew.cli import cli


@pytest.fixture
def scc(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    env = {"SCC_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, list(args), env=env, catch_exceptions=False)
        return result.exit_code, result.output

    run("events", "create", "--date", "2026-05-23", "--period", "pm", "--first-name", "Sarah", "--party-size", "6",
        "--price", "900", "--email", "sarah@example.org")  # fmt: skip
    return run


def test_ships_people_and_an_assignment_with_an_override_from_the_command_line(scc) -> None:  # type: ignore[no-untyped-def]
    assert scc("roster", "ships", "add", "Osprey", "--capacity", "6")[0] == 0
    assert scc("roster", "people", "add", "Maria Santos", "--role", "captain")[0] == 0
    scc("events", "create", "--date", "2031-06-14", "--period", "am", "--first-name", "Ann", "--party-size", "4")
    scc("events", "create", "--date", "2031-06-14", "--period", "full", "--first-name", "Bo", "--party-size", "4")
    assert scc("events", "assign", "2031-06-14-ann-am", "--ship", "Osprey", "--captain", "Maria Santos")[0] == 0

    refused = scc("events", "assign", "2031-06-14-bo-full", "--captain", "Maria Santos")
    saved = scc("events", "assign", "2031-06-14-bo-full", "--captain", "Maria Santos", "--override", "swap at noon")

    assert refused[0] == 1 and "Maria Santos is also on 2031-06-14-ann-am" in refused[1]
    assert saved[0] == 0 and "captain Maria Santos" in saved[1]
    assert "Osprey" in scc("roster", "ships", "list")[1]
    assert "/cal/" in scc("roster", "people", "list")[1]


def test_every_roster_command_has_help(scc) -> None:  # type: ignore[no-untyped-def]
    for command in (["roster"], ["roster", "ships", "add"], ["roster", "people", "add"], ["events", "assign"]):
        assert scc(*command, "--help")[0] == 0
