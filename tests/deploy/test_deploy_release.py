"""Test, then shift, then watch, else roll back: a version that fails a check never takes traffic, and one that
fails after the shift gives `live` (and the page) back to what served before."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy.deployment import Plan, deploy
from shipcaptaincrew.deploy.lambda_env import Changes
from shipcaptaincrew.deploy.release import Release
from shipcaptaincrew.deploy.site import Bucket
from shipcaptaincrew.deploy.site import deploy as deploy_site
from shipcaptaincrew.deploy.site_files import SiteFile
from shipcaptaincrew.deploy.steps import DeployFailed
from tests.deploy.conftest import REGION, Aws, a_package, code_that_does_not_start
from tests.deploy.revision_proxy import RevisionProxy
from tests.deploy.test_deploy import ALONE, FUNCTION, SET_BY_HAND, deploy_prod

OLD_PAGE = b"<!doctype html><title>the page version 1 went out with</title>"


@pytest.fixture
def live_on_version_1(aws: Aws, tmp_path: Path) -> str:
    aws.create_function(FUNCTION, a_package(tmp_path, "v1"), {"SCC_STORE": "sqlite", **SET_BY_HAND})
    assert deploy_prod(aws, tmp_path, a_package(tmp_path, "v2")).exit_code == 0
    assert aws.configuration(FUNCTION, "live")["Version"] == "1"
    return "1"


def versions(aws: Aws) -> list[str]:
    listed = aws("lambda", "list-versions-by-function", "--function-name", FUNCTION)["Versions"]
    return [item["Version"] for item in listed]


def test_the_full_smoke_test_runs_on_the_published_version_before_live_moves(
    aws: Aws, live_on_version_1: str, tmp_path: Path, proxy: RevisionProxy
) -> None:
    proxy.lambdas.invocations.clear()
    invoked_before_the_shift: list[tuple[str, str, str]] = []

    def at_the_shift(step: str) -> None:
        if step == "shift":
            invoked = proxy.lambdas.invocations
            invoked_before_the_shift.extend(
                (call.qualifier, call.event["requestContext"]["http"]["method"], call.event["rawPath"])
                for call in invoked
            )

    deploy(aws.client(), Plan(FUNCTION, a_package(tmp_path, "v3").read_bytes()), print, tmp_path, at_the_shift)

    assert sorted(invoked_before_the_shift) == [
        ("2", "GET", "/api/events"), ("2", "GET", "/api/openapi.json"), ("2", "GET", "/g/2000-01-01-smoke-am/waiver"),
        ("2", "GET", "/healthz"), ("2", "POST", "/api/login"), ("2", "POST", "/api/payment-log"),
    ]  # fmt: skip
    assert aws.configuration(FUNCTION, "live")["Version"] == "2"


def test_a_version_that_fails_its_check_before_the_shift_never_moves_live(
    aws: Aws, live_on_version_1: str, tmp_path: Path
) -> None:
    broken = code_that_does_not_start(tmp_path, "broken")

    result = deploy_prod(aws, tmp_path, broken)

    assert result.exit_code == 1
    assert "✗ GET /healthz: function error: Runtime.ImportModuleError" in result.output
    assert "No traffic reached it" in result.output and "the live alias still points at version 1" in result.output
    assert aws.configuration(FUNCTION, "live")["Version"] == "1"
    assert versions(aws) == ["$LATEST", "1", "2"]


def test_a_fixed_build_goes_out_after_a_version_failed_its_check_before_the_shift(
    aws: Aws, live_on_version_1: str, tmp_path: Path
) -> None:
    assert deploy_prod(aws, tmp_path, code_that_does_not_start(tmp_path, "x")).exit_code == 1

    fixed = deploy_prod(aws, tmp_path, a_package(tmp_path, "v3"))

    assert fixed.exit_code == 0, fixed.output
    assert aws.configuration(FUNCTION, "live")["Version"] == "3"


def test_a_function_error_that_quotes_a_setting_never_prints_its_value(
    aws: Aws, live_on_version_1: str, tmp_path: Path
) -> None:
    misplaced = "a-password-typed-into-the-wrong-setting-9Qe"

    result = deploy_prod(aws, tmp_path, a_package(tmp_path, "v3"), "--set", f"SCC_PORT={misplaced}")

    assert result.exit_code == 1
    assert "✗ GET /healthz: function error: SettingsError: SCC_PORT must be a number; got '[redacted]'" in result.output
    assert misplaced not in result.output
    assert aws.configuration(FUNCTION, "live")["Version"] == "1"


def test_a_failing_public_smoke_test_moves_live_back_and_puts_the_old_page_back(
    aws: Aws, live_on_version_1: str, tmp_path: Path, dispatch_page_everywhere: str
) -> None:
    aws("s3api", "create-bucket", "--bucket", "scc-site")
    old = SiteFile("index.html", OLD_PAGE, "text/html; charset=utf-8", "no-cache")
    deploy_site(Bucket(aws.client("s3"), "scc-site", "prod"), "prod", [old])

    result = CliRunner().invoke(cli, [
        "deploy", "--stage", "prod", "--zip", str(a_package(tmp_path, "v3")), "--endpoint-url", aws.endpoint,
        "--region", REGION, "--snapshots", str(tmp_path / "snapshots"), "--bucket", "scc-site",
        "--base-url", dispatch_page_everywhere, "--watch-seconds", "0", *ALONE,
    ])  # fmt: skip

    assert result.exit_code == 1, result.output
    assert "✗ GET /g/2000-01-01-smoke-am/waiver: 200: answered by the dispatch page (S3)" in result.output
    assert "Rolled back: live serves version 1 again" in result.output
    assert aws.configuration(FUNCTION, "live")["Version"] == "1" and versions(aws) == ["$LATEST", "1", "2"]
    assert "site: the previous page is back" in result.output
    page = aws.client("s3").get_object(Bucket="scc-site", Key="index.html")["Body"].read()
    assert page == OLD_PAGE
    listed = aws("s3api", "list-objects-v2", "--bucket", "scc-site")["Contents"]
    assert {item["Key"] for item in listed} == {"index.html", ".scc/manifest.json"}


def test_errors_logged_by_the_new_version_after_the_shift_move_live_back(
    aws: Aws, live_on_version_1: str, tmp_path: Path
) -> None:
    logs = aws.client("logs")

    def the_new_version_fails(step: str) -> None:
        if step != "shift":
            return
        stream = f"{datetime.now(UTC):%Y/%m/%d}/[2]{'0' * 32}"
        logs.create_log_stream(logGroupName=f"/aws/lambda/{FUNCTION}", logStreamName=stream)
        line = '{"level": "ERROR", "logger": "shipcaptaincrew.web", "message": "unhandled error in GET /api/events"}'
        logs.put_log_events(
            logGroupName=f"/aws/lambda/{FUNCTION}",
            logStreamName=stream,
            logEvents=[{"timestamp": int(time.time() * 1000), "message": line}],
        )

    plan = Plan(FUNCTION, a_package(tmp_path, "v3").read_bytes(), Changes({}))
    with pytest.raises(DeployFailed) as failed:
        deploy(aws.client(), plan, print, tmp_path, the_new_version_fails, release=Release(logs=logs, watch_seconds=2))

    assert "version 2 logged 1 error(s) after the shift" in str(failed.value)
    assert "unhandled error in GET /api/events" in str(failed.value)
    assert "Rolled back: live serves version 1 again" in str(failed.value)
    assert aws.configuration(FUNCTION, "live")["Version"] == "1"
