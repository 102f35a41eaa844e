from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from shipcaptaincrew.cli import cli
from tests.builders import BOOK_SARAH

Scc = Callable[..., tuple[int, str]]


@pytest.fixture
def scc(tmp_path: Path) -> Scc:
    """Run `scc ARGS...` in-process on a fresh data folder; return (exit code, output)."""
    runner = CliRunner()
    env = {"SCC_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str, input: str | None = None) -> tuple[int, str]:
        result = runner.invoke(cli, list(args), env=env, input=input, catch_exceptions=False)
        return result.exit_code, result.output

    return run


@pytest.fixture
def booked(scc: Scc) -> Scc:
    """`scc` on a store holding the event 2026-05-23-sarah-pm (price 900, patron with an email)."""
    scc(*BOOK_SARAH)
    return scc
