"""bench/load.py's mixed load, briefly, as a test: 8 clients for about 5 s, then its audit must pass.

Correctness, not speed: every answer as expected, every acknowledged payment and signature in the store exactly
once, the sums exact; on SQLite, and on DynamoDB (a moto server) where no answer may be a 409. The benchmark itself
(`make bench`) runs the same code for a minute against a baseline.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).parents[2] / "bench"


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    monkeypatch.syspath_prepend(str(BENCH))
    import load as module

    yield module
    for name in ("load", "_mixed", "_load_audit", "_harness", "_load"):
        sys.modules.pop(name, None)


def test_eight_clients_of_mixed_traffic_leave_exactly_the_acknowledged_writes_in_the_store(
    load: ModuleType, tmp_path: Path
) -> None:
    results = load.run(tmp_path, seconds=5, connections=8, rounds=1, with_baseline=False, warmup=0.5)

    found = results["audit"]["app"]
    assert [check for check, ok in found["checks"].items() if not ok] == [], found["summary"]
    app = results["targets"]["app"]
    assert all(app["statuses"][kind] for kind in ("list", "pay", "pay-again", "waiver-page", "sign")), app["statuses"]
    assert results["store"]["app"]["ledger_entries"] > 0 and results["store"]["app"]["signatures"] > 0


def test_the_same_load_on_dynamodb_leaves_exactly_the_acknowledged_writes_and_never_answers_409(
    load: ModuleType, tmp_path: Path
) -> None:
    results = load.run(tmp_path, seconds=6, connections=8, rounds=1, with_baseline=False, warmup=0.5, store="dynamodb")

    found = results["audit"]["app"]
    assert [check for check, ok in found["checks"].items() if not ok] == [], found["summary"]
    statuses = results["targets"]["app"]["statuses"]
    assert all(statuses[kind] for kind in ("list", "pay", "waiver-page", "sign")), statuses
    assert not any("409" in answered for answered in statuses.values()), statuses
    assert results["store"]["app"]["ledger_entries"] > 0 and results["store"]["app"]["signatures"] > 0
