"""Production takes what staging proved: a prod deploy of code no staging version passed with is refused unless a
reason is given, and `scc promote` ships staging's exact code with prod's own settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy.deployment import Plan
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
    assert "promoted from scc-staging version 1" in prod["Description"] and "smoke passed" in prod["Description"]
    for secret in STAGING_SETTINGS.values():
        assert secret not in result.output


def test_promote_refuses_a_staging_version_that_never_passed_its_smoke_test(aws: Aws, tmp_path: Path) -> None:
    aws.create_function("scc-staging", a_package(tmp_path, "v1"), STAGING_SETTINGS)
    aws("lambda", "publish-version", "--function-name", "scc-staging")
    aws("lambda", "create-alias", "--function-name", "scc-staging", "--name", "live", "--function-version", "1")

    result = scc(aws, tmp_path, "promote")

    assert result.exit_code == 1 and "has no record of passing its smoke test" in result.output
