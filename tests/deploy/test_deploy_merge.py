"""The merge starts from what `live` serves: a key that $LATEST lost outside `scc deploy` (a stack update, a
console edit) stops the deploy, unless the deployer restores it from live or removes it by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.deploy.conftest import Aws, a_package
from tests.deploy.test_deploy import FUNCTION, SET_BY_HAND, deploy_prod

LOST = "SCC_GMAIL_REFRESH_TOKEN"


@pytest.fixture
def lost_from_latest(aws: Aws, tmp_path: Path) -> dict[str, str]:
    """scc-prod deployed once (live = version 1), then its $LATEST environment rewritten without the token."""
    variables = {"SCC_STORE": "sqlite", **SET_BY_HAND}
    aws.create_function(FUNCTION, a_package(tmp_path, "v1"), variables)
    assert deploy_prod(aws, tmp_path, a_package(tmp_path, "v2")).exit_code == 0
    rewritten = {key: value for key, value in variables.items() if key != LOST}
    aws(
        "lambda",
        "update-function-configuration",
        "--function-name",
        FUNCTION,
        "--environment",
        json.dumps({"Variables": rewritten}),
    )
    return variables


def versions(aws: Aws) -> list[str]:
    return [
        item["Version"] for item in aws("lambda", "list-versions-by-function", "--function-name", FUNCTION)["Versions"]
    ]


def test_a_key_lost_from_latest_stops_the_deploy_naming_it_and_live_keeps_it(
    aws: Aws, lost_from_latest: dict[str, str], tmp_path: Path
) -> None:
    result = deploy_prod(aws, tmp_path, a_package(tmp_path, "v3"))

    assert result.exit_code == 1
    assert f"{LOST}: version 1 (live) has it, $LATEST does not" in result.output
    assert "--restore-from-live" in result.output and f"--remove {LOST}" in result.output
    assert aws.environment(FUNCTION, "live") == lost_from_latest
    assert versions(aws) == ["$LATEST", "1"]
    assert SET_BY_HAND[LOST] not in result.output


def test_restore_from_live_puts_the_lost_key_back_and_says_so(
    aws: Aws, lost_from_latest: dict[str, str], tmp_path: Path
) -> None:
    result = deploy_prod(aws, tmp_path, a_package(tmp_path, "v3"), "--restore-from-live")

    assert result.exit_code == 0, result.output
    assert f"↺ {LOST} (restored from live version 1)" in result.output and "= 3 unchanged" in result.output
    assert aws.environment(FUNCTION, "live") == lost_from_latest == aws.environment(FUNCTION)


def test_remove_drops_the_lost_key_by_name(aws: Aws, lost_from_latest: dict[str, str], tmp_path: Path) -> None:
    result = deploy_prod(aws, tmp_path, a_package(tmp_path, "v3"), "--remove", LOST)

    assert result.exit_code == 0, result.output
    assert f"- {LOST} (removed)" in result.output
    assert aws.environment(FUNCTION, "live") == {key: v for key, v in lost_from_latest.items() if key != LOST}
