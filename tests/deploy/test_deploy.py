"""`scc deploy` and `scc rollback` against moto (behind the RevisionId proxy), checked with the real aws CLI."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy.deployment import Plan, deploy
from shipcaptaincrew.deploy.lambda_env import Changes
from shipcaptaincrew.deploy.package import HANDLER
from shipcaptaincrew.deploy.steps import DeployFailed
from tests.deploy.conftest import REGION, ROLE, Aws, a_package

FUNCTION = "scc-prod"
SET_BY_HAND = {
    "SCC_ADMIN_PASSWORD_HASH": "$argon2id$v=19$m=8192,t=1,p=4$gReXI2kT4SNACu3KwSGUYw$"
    "EGcc78YP2IWorVMA0QolXZ5n8g496+2ZZwEC0Wk7CXA",
    "SCC_GMAIL_REFRESH_TOKEN": "1//0gRefreshToken-that-only-the-operator-knows-Zq81",
    "SCC_SECRET_KEY": "signing-key-set-by-hand-4f1c9e0b7a2d6c3e",
}
NEW_SECRET = "smtp-password-given-on-the-command-line-7Hk2"


@pytest.fixture
def prod(aws: Aws, tmp_path: Path) -> dict[str, str]:
    """scc-prod as an operator made it by hand with the aws CLI, secrets included; its environment."""
    variables = {"SCC_STORE": "sqlite", **SET_BY_HAND}
    aws.create_function(FUNCTION, a_package(tmp_path, "v1"), variables)
    return variables


ALONE = ["--skip-staging", "a test of the prod function alone"]


def scc(aws: Aws, tmp_path: Path, *args: str) -> Result:
    """`scc deploy` without the site, the public smoke test or the watch (and prod without staging), or
    another command, against the emulator."""
    common = [
        "--endpoint-url",
        aws.endpoint,
        "--region",
        REGION,
        *(ALONE if args[:3] == ("deploy", "--stage", "prod") else []),
    ]
    snapshots = (
        ["--snapshots", str(tmp_path / "snapshots"), "--skip-site", "--skip-smoke", "--watch-seconds", "0"]
        if args[0] == "deploy"
        else []
    )
    return CliRunner().invoke(cli, [*args, *common, *snapshots])


def deploy_prod(aws: Aws, tmp_path: Path, package: Path, *more: str) -> Result:
    """`scc deploy --stage prod --zip <package>` with `more` options, as `scc` runs it."""
    return scc(aws, tmp_path, "deploy", "--stage", "prod", "--zip", str(package), *more)


def a_plan(tmp_path: Path, marker: str, **changes: str) -> Plan:
    return Plan(FUNCTION, a_package(tmp_path, marker).read_bytes(), Changes(changes))


def test_a_deploy_with_a_new_setting_keeps_every_setting_made_by_hand(
    aws: Aws, prod: dict[str, str], tmp_path: Path
) -> None:
    package = a_package(tmp_path, "v2")

    result = deploy_prod(aws, tmp_path, package, "--set", "SCC_MAIL_TRANSPORT=ses")

    assert result.exit_code == 0, result.output
    live = aws.configuration(FUNCTION, "live")
    assert live["Environment"]["Variables"] == {**prod, "SCC_MAIL_TRANSPORT": "ses"}
    assert live["CodeSha256"] == Plan(FUNCTION, package.read_bytes()).code_sha256
    assert "+ SCC_MAIL_TRANSPORT (added)" in result.output and "= 4 unchanged" in result.output


def test_no_secret_value_appears_in_the_output_the_snapshots_or_the_logs(
    aws: Aws, prod: dict[str, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    package = a_package(tmp_path, "v2")

    result = deploy_prod(aws, tmp_path, package, "--set", f"SCC_SMTP_PASSWORD={NEW_SECRET}")

    assert result.exit_code == 0, result.output
    snapshots = [path.read_text() for path in (tmp_path / "snapshots").iterdir()]
    assert len(snapshots) == 2 and all("[redacted]" in text for text in snapshots)
    for secret in [*SET_BY_HAND.values(), NEW_SECRET]:
        assert secret not in result.output
        assert secret not in caplog.text
        assert not any(secret in text for text in snapshots)
    assert aws.client().get_function_configuration(FunctionName=FUNCTION, Qualifier="live")["Environment"][
        "Variables"
    ] == {**prod, "SCC_SMTP_PASSWORD": NEW_SECRET}


def test_a_dry_run_shows_the_plan_and_changes_nothing(aws: Aws, prod: dict[str, str], tmp_path: Path) -> None:
    before = aws.client().get_function_configuration(FunctionName=FUNCTION)

    result = deploy_prod(
        aws,
        tmp_path,
        a_package(tmp_path, "v2"),
        "--dry-run",
        "--set",
        "SCC_MAIL_TRANSPORT=ses",
        "--remove",
        "SCC_STORE",
    )

    assert result.exit_code == 0, result.output
    assert "+ SCC_MAIL_TRANSPORT (added)" in result.output and "- SCC_STORE (removed)" in result.output
    assert "dry run: nothing was changed" in result.output
    assert "publish it, invoke the new version of scc-prod directly and smoke-test it (no traffic yet)" in result.output
    assert "on any failure after the move: move live back to the version it served before" in result.output
    after = aws("lambda", "list-versions-by-function", "--function-name", FUNCTION)["Versions"]
    assert [version["Version"] for version in after] == ["$LATEST"]
    assert {key: after[0][key] for key in ("CodeSha256", "Environment", "LastModified")} == {
        key: before[key] for key in ("CodeSha256", "Environment", "LastModified")
    }


def test_a_change_made_after_the_snapshot_stops_the_deploy_and_loses_nothing(
    aws: Aws, prod: dict[str, str], tmp_path: Path
) -> None:
    theirs = {**prod, "SCC_OPERATOR_NAME": "Set by a colleague meanwhile"}

    def colleague_edits(step: str) -> None:
        if step == "plan":
            aws.client().update_function_configuration(FunctionName=FUNCTION, Environment={"Variables": theirs})

    with pytest.raises(DeployFailed) as failed:
        deploy(aws_client(aws), a_plan(tmp_path, "v2", SCC_MAIL_TRANSPORT="ses"), print, tmp_path, colleague_edits)

    assert "RevisionId mismatch" in str(failed.value) and "Nothing was changed" in str(failed.value)
    now = aws.configuration(FUNCTION)
    assert now["Environment"]["Variables"] == theirs
    assert now["CodeSha256"] == Plan(FUNCTION, (tmp_path / "v1.zip").read_bytes()).code_sha256


def test_a_change_between_code_and_configuration_stops_the_deploy_and_running_it_again_finishes(
    aws: Aws, prod: dict[str, str], tmp_path: Path
) -> None:
    theirs = {**prod, "SCC_OPERATOR_NAME": "Set by a colleague meanwhile"}
    plan = a_plan(tmp_path, "v2", SCC_MAIL_TRANSPORT="ses")

    def colleague_edits(step: str) -> None:
        if step == "code":
            aws.client().update_function_configuration(FunctionName=FUNCTION, Environment={"Variables": theirs})

    with pytest.raises(DeployFailed) as failed:
        deploy(aws_client(aws), plan, print, tmp_path, colleague_edits)
    assert "has the new code and its environment untouched" in str(failed.value)

    deploy(aws_client(aws), plan, print, tmp_path)
    assert aws.environment(FUNCTION, "live") == {**theirs, "SCC_MAIL_TRANSPORT": "ses"}


def test_an_environment_over_4_kb_is_refused_before_anything_changes(
    aws: Aws, prod: dict[str, str], tmp_path: Path
) -> None:
    before = aws.client().get_function_configuration(FunctionName=FUNCTION)

    result = deploy_prod(aws, tmp_path, a_package(tmp_path, "v2"), "--set", f"SCC_PERIODS={'x' * 4000}")

    assert result.exit_code == 1
    assert "over Lambda's 4096-byte limit" in result.output and "nothing was changed" in result.output
    after = aws.configuration(FUNCTION)
    assert {key: after[key] for key in ("CodeSha256", "Environment", "LastModified", "RevisionId")} == {
        key: before[key] for key in ("CodeSha256", "Environment", "LastModified", "RevisionId")
    }


def test_removing_a_setting_takes_remove_and_shows_its_name_only(
    aws: Aws, prod: dict[str, str], tmp_path: Path
) -> None:
    result = deploy_prod(aws, tmp_path, a_package(tmp_path, "v2"), "--remove", "SCC_GMAIL_REFRESH_TOKEN")

    assert result.exit_code == 0, result.output
    assert "- SCC_GMAIL_REFRESH_TOKEN (removed)" in result.output
    assert "SCC_GMAIL_REFRESH_TOKEN" not in aws.environment(FUNCTION, "live")


def test_rollback_puts_the_previous_version_back_with_its_code_and_settings(
    aws: Aws, prod: dict[str, str], tmp_path: Path
) -> None:
    first, second = a_package(tmp_path, "v2"), a_package(tmp_path, "v3")
    assert deploy_prod(aws, tmp_path, first).exit_code == 0
    assert deploy_prod(aws, tmp_path, second, "--set", "SCC_X=1").exit_code == 0

    result = scc(aws, tmp_path, "rollback", "--stage", "prod")

    assert result.exit_code == 0, result.output
    assert "live was version 2, is version 1" in result.output
    live = aws.configuration(FUNCTION, "live")
    assert live["Version"] == "1" and live["CodeSha256"] == Plan(FUNCTION, first.read_bytes()).code_sha256
    assert live["Environment"]["Variables"] == prod


def test_code_changed_outside_scc_deploy_is_not_replaced_without_being_asked(
    aws: Aws, prod: dict[str, str], tmp_path: Path
) -> None:
    package = a_package(tmp_path, "v2")
    assert deploy_prod(aws, tmp_path, package).exit_code == 0
    hotfix = a_package(tmp_path, "hotfix").read_bytes()
    aws.client().update_function_code(FunctionName=FUNCTION, ZipFile=hotfix)  # made in a hurry, never published

    refused = deploy_prod(aws, tmp_path, a_package(tmp_path, "v3"))
    forced = deploy_prod(aws, tmp_path, a_package(tmp_path, "v4"), "--replace-unpublished-code")

    assert refused.exit_code == 1 and "changed outside `scc deploy`" in refused.output
    assert forced.exit_code == 0, forced.output


def test_staging_gets_its_path_prefix_unless_it_already_has_one(aws: Aws, tmp_path: Path) -> None:
    kept = {"Variables": {"SCC_SECRET_KEY": "key-staging-keeps-0123456789abcdef"}}
    aws.client().create_function(
        FunctionName="scc-staging",
        Runtime="python3.12",
        Role=ROLE,
        Handler=HANDLER,
        Timeout=15,
        Code={"ZipFile": a_package(tmp_path, "v1").read_bytes()},
        Environment=kept,
    )

    result = scc(aws, tmp_path, "deploy", "--stage", "staging", "--zip", str(a_package(tmp_path, "v2")))

    assert result.exit_code == 0, result.output
    assert aws.environment("scc-staging", "live")["SCC_PATH_PREFIX"] == "/_staging"


def aws_client(aws: Aws) -> object:
    return aws.client()
