"""SCC_STORE=dynamodb from the settings to a request: the table made by `scc db create-table`, the app on it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from moto import mock_aws
from starlette.testclient import TestClient

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.adapters.dynamodb import DynamoDbStore
from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.cli import cli
from shipcaptaincrew.config import Settings, SettingsError
from shipcaptaincrew.services import admin
from shipcaptaincrew.web.app import create_app
from tests.builders import PASSWORD, event_body, payment_body

ENV = {"SCC_STORE": "dynamodb", "SCC_DYNAMODB_TABLE": "scc-wiring"}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield


def test_create_table_then_the_app_logs_a_payment_on_dynamodb(aws: None, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["db", "create-table"], env=ENV)
    again = runner.invoke(cli, ["db", "create-table"], env=ENV)
    assert (first.exit_code, again.exit_code) == (0, 0), first.output + again.output
    assert "created" in first.output and "exists already" in again.output

    ctx = build_context(Settings.from_env({**ENV, "SCC_DATA_DIR": str(tmp_path)}))
    assert isinstance(ctx.store, DynamoDbStore)
    ctx.hasher = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024)
    admin.set_admin_password(ctx, PASSWORD, "test")
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        token = client.post("/api/login", json={"password": PASSWORD}).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        assert client.post("/api/events", json=event_body()).status_code == 201
        assert client.post("/api/events", json=event_body()).json()["error"]["code"] == "slug_taken"
        paid = client.post("/api/payment-log", json=payment_body(amount="900.00"))
        listed = client.get("/api/events?from=2026-05-01&to=2026-05-31").json()

    assert paid.status_code == 201, paid.text
    assert paid.json()["event"]["payment_cleared"] is True
    assert [event["payment_cleared"] for event in listed["events"]] == [True]


def test_create_table_refuses_the_sqlite_store() -> None:
    result = CliRunner().invoke(cli, ["db", "create-table"], env={"SCC_STORE": "sqlite"})

    assert result.exit_code == 2 and "SCC_STORE" in result.output


def test_a_bad_table_name_or_endpoint_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="SCC_DYNAMODB_TABLE"):
        Settings.from_env({**ENV, "SCC_DYNAMODB_TABLE": "no spaces"})
    with pytest.raises(SettingsError, match="SCC_AWS_ENDPOINT_URL"):
        Settings.from_env({**ENV, "SCC_AWS_ENDPOINT_URL": "localhost:8000"})


def test_the_sqlite_store_never_loads_boto3(tmp_path: Path) -> None:
    script = (
        "import sys; from shipcaptaincrew.bootstrap import build_context; from shipcaptaincrew.config import "
        f"Settings; build_context(Settings.from_env({{'SCC_DATA_DIR': {str(tmp_path)!r}}})); "
        "print('boto3' in sys.modules, 'shipcaptaincrew.adapters.dynamodb_store' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)

    assert result.stdout.split() == ["False", "False"]
