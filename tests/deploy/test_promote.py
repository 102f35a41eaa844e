"""Production takes what staging proved: a prod deploy of code no staging version passed with is refused unless a
reason is given, and `scc promote` ships staging's exact code with prod's own settings. Proof means that the code
passed every check on staging and stayed live there: a staging deploy rolled back, or stopped before its checks
after the shift finished, proves nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy.deployment import Plan, deploy
from shipcaptaincrew.deploy.release import Release
from shipcaptaincrew.deploy.steps import DeployFailed
from tests.deploy.conftest import REGION, Aws, a_package
from tests.deploy.test_deploy import SET_BY_HAND

STAGING_SETTINGS = {"SCC_SECRET_KEY": "the-staging-signing-key-0123456789", "SCC_OPERATOR_NAME": "Staging charters"}
PROD_SETTINGS = {"SCC_STORE": "sqlite", **SET_BY_HAND}


def scc(aws: Aws, tmp_path: Path, *args: str) -> Result:
    common = ["--endpoint-url", aws.endpoint, "--region", REGION, "--snapshots", str(tmp_path / "snapshots"),
              "--skip-site", "--skip-smoke", "--watch-seconds", "0"]  # fmt: skip
    return CliRunner().invoke(cli, [*args, *common])


@pytest.fixture
def staging_passed_v2(aws: Aws, tmp_path: Path) -> Path:
    """scc-staging running package v2, which passed its smoke test there; scc-prod still on its first code."""
    aws.create_function("scc-staging", a_package(tmp_path, "v1"), STAGING_SETTINGS)
    aws.create_function("scc-prod", a_package(tmp_path, "prod-v1"), PROD_SETTINGS)
    package = a_package(tmp_path, "v2")
    assert scc(aws, tmp_path, "deploy", "--stage", "staging", "--zip", str(package)).exit_code == 0
    return package


def prod_versions(aws: Aws) -> list[str]:
    listed = aws("lambda", "list-versions-by-function", "--function-name", "scc-prod")["Versions"]
    return [item["Version"] for item in listed]


def test_a_prod_deploy_of_code_staging_never_passed_with_is_refused_unless_a_reason_is_given(
    aws: Aws, staging_passed_v2: Path, tmp_path: Path
) -> None:
    unproven = a_package(tmp_path, "v3")

    refused = scc(aws, tmp_path, "deploy", "--stage", "prod", "--zip", str(unproven))
    assert refused.exit_code == 1 and "has not passed on staging" in refused.output
    assert "--skip-staging" in refused.output and prod_versions(aws) == ["$LATEST"]

    reason = "the 23rd's charters cannot wait for staging"
    forced = scc(aws, tmp_path, "deploy", "--stage", "prod", "--zip", str(unproven), "--skip-staging", reason)
    assert forced.exit_code == 0, forced.output
    assert f"staging skipped: {reason}" in aws.configuration("scc-prod", "live")["Description"]


def test_a_prod_deploy_of_the_code_staging_passed_with_goes_through_and_says_where_it_was_proven(
    aws: Aws, staging_passed_v2: Path, tmp_path: Path
) -> None:
    result = scc(aws, tmp_path, "deploy", "--stage", "prod", "--zip", str(staging_passed_v2))

    assert result.exit_code == 0, result.output
    assert "proven on scc-staging version 1" in aws.configuration("scc-prod", "live")["Description"]


def test_promote_ships_stagings_exact_code_with_prods_settings(
    aws: Aws, staging_passed_v2: Path, tmp_path: Path
) -> None:
    result = scc(aws, tmp_path, "promote", "--set", "SCC_MAIL_TRANSPORT=ses")

    assert result.exit_code == 0, result.output
    staging, prod = aws.configuration("scc-staging", "live"), aws.configuration("scc-prod", "live")
    assert prod["CodeSha256"] == staging["CodeSha256"] == Plan("x", staging_passed_v2.read_bytes()).code_sha256
    assert prod["Environment"]["Variables"] == {**PROD_SETTINGS, "SCC_MAIL_TRANSPORT": "ses"}
    assert "promoted from scc-staging version 1" in prod["Description"]
    assert aws("lambda", "get-alias", "--function-name", "scc-prod", "--name", "live")["Description"].startswith(
        "proven: version 1 passed every check"
    )
    for secret in STAGING_SETTINGS.values():
        assert secret not in result.output


def test_promote_refuses_a_staging_version_that_no_deploy_proved(aws: Aws, tmp_path: Path) -> None:
    aws.create_function("scc-staging", a_package(tmp_path, "v1"), STAGING_SETTINGS)
    aws("lambda", "publish-version", "--function-name", "scc-staging")
    aws("lambda", "create-alias", "--function-name", "scc-staging", "--name", "live", "--function-version", "1")

    result = scc(aws, tmp_path, "promote")

    assert result.exit_code == 1 and "has no record of passing every check" in result.output


def deploy_staging(aws: Aws, tmp_path: Path, package: Path, *args: str) -> Result:
    """`scc deploy --stage staging` of `package` with the after-shift options given (no site, no watch)."""
    common = ["--endpoint-url", aws.endpoint, "--region", REGION, "--snapshots", str(tmp_path / "snapshots"),
              "--skip-site", "--watch-seconds", "0"]  # fmt: skip
    return CliRunner().invoke(cli, ["deploy", "--stage", "staging", "--zip", str(package), *common, *args])


def code_sha256(package: Path) -> str:
    return Plan("x", package.read_bytes()).code_sha256


def test_a_staging_deploy_rolled_back_for_its_public_smoke_test_proves_nothing_for_prod(
    aws: Aws, staging_passed_v2: Path, tmp_path: Path, dispatch_page_everywhere: str
) -> None:
    v3 = a_package(tmp_path, "v3")
    rolled_back = deploy_staging(aws, tmp_path, v3, "--base-url", dispatch_page_everywhere)
    assert rolled_back.exit_code == 1 and "Rolled back: live serves version 1 again" in rolled_back.output

    refused = scc(aws, tmp_path, "deploy", "--stage", "prod", "--zip", str(v3))
    promoted = scc(aws, tmp_path, "promote")

    assert refused.exit_code == 1 and "has not passed on staging" in refused.output, refused.output
    assert promoted.exit_code == 0, promoted.output
    assert aws.configuration("scc-prod", "live")["CodeSha256"] == code_sha256(staging_passed_v2)


def test_a_staging_deploy_rolled_back_for_errors_in_its_logs_proves_nothing_for_prod(
    aws: Aws, staging_passed_v2: Path, tmp_path: Path
) -> None:
    logs, v3 = aws.client("logs"), a_package(tmp_path, "v3")

    def the_new_version_logs_an_error(step: str) -> None:
        if step == "shift":
            stream = f"{datetime.now(UTC):%Y/%m/%d}/[2]{'0' * 32}"
            logs.create_log_stream(logGroupName="/aws/lambda/scc-staging", logStreamName=stream)
            line = '{"level": "ERROR", "logger": "shipcaptaincrew.web", "message": "unhandled error"}'
            logs.put_log_events(
                logGroupName="/aws/lambda/scc-staging",
                logStreamName=stream,
                logEvents=[{"timestamp": int(time.time() * 1000), "message": line}],
            )

    with pytest.raises(DeployFailed, match="Rolled back: live serves version 1 again"):
        deploy(
            aws.client(),
            Plan("scc-staging", v3.read_bytes()),
            print,
            tmp_path,
            the_new_version_logs_an_error,
            release=Release(logs=logs, watch_seconds=2),
        )

    refused = scc(aws, tmp_path, "deploy", "--stage", "prod", "--zip", str(v3))
    assert refused.exit_code == 1 and "has not passed on staging" in refused.output, refused.output
    assert prod_versions(aws) == ["$LATEST"]


def test_a_first_staging_deploy_that_fails_after_the_shift_cannot_be_promoted(
    aws: Aws, tmp_path: Path, dispatch_page_everywhere: str
) -> None:
    aws.create_function("scc-staging", a_package(tmp_path, "v1"), STAGING_SETTINGS)
    aws.create_function("scc-prod", a_package(tmp_path, "prod-v1"), PROD_SETTINGS)
    v2 = a_package(tmp_path, "v2")
    failed = deploy_staging(aws, tmp_path, v2, "--base-url", dispatch_page_everywhere)
    assert failed.exit_code == 1 and "Not rolled back" in failed.output

    promoted = scc(aws, tmp_path, "promote")
    deployed = scc(aws, tmp_path, "deploy", "--stage", "prod", "--zip", str(v2))

    assert promoted.exit_code == 1 and "has no record of passing every check" in promoted.output, promoted.output
    assert deployed.exit_code == 1 and "has not passed on staging" in deployed.output, deployed.output
    assert prod_versions(aws) == ["$LATEST"]


class Stopped(Exception):
    """The deploying machine went away: a lost connection, a closed laptop, Ctrl-C."""


def test_a_staging_deploy_stopped_before_its_checks_after_the_shift_finished_proves_nothing(
    aws: Aws, staging_passed_v2: Path, tmp_path: Path
) -> None:
    v3 = a_package(tmp_path, "v3")

    def stopped_after_the_shift(step: str) -> None:
        if step == "shift":
            raise Stopped

    with pytest.raises(Stopped):
        deploy(aws.client(), Plan("scc-staging", v3.read_bytes()), print, tmp_path, stopped_after_the_shift)
    assert aws.configuration("scc-staging", "live")["CodeSha256"] == code_sha256(v3)

    refused = scc(aws, tmp_path, "deploy", "--stage", "prod", "--zip", str(v3))
    assert refused.exit_code == 1 and "has not passed on staging" in refused.output, refused.output
