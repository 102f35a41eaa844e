"""Fixtures the contract tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.dynamodb_transfer import DynamoDbTransfer
from shipcaptaincrew.adapters.sqlite_transfer import SqliteTransfer
from shipcaptaincrew.ports import Transfer
from tests.contract.dynamodb import dynamodb_store


@pytest.fixture(params=["sqlite", "dynamodb"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Transfer]:
    """An empty store to import into, on each store in turn."""
    if request.param == "sqlite":
        yield SqliteTransfer(tmp_path / "target.sqlite3")
    else:
        for store in dynamodb_store():
            yield DynamoDbTransfer(store)
