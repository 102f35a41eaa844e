"""`scc deploy` followed by its site and smoke steps: moto for Lambda and S3, a real `scc serve` as the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy.site import Bucket
from shipcaptaincrew.deploy.site import deploy as deploy_site
from shipcaptaincrew.deploy.site_files import site_files
from tests.deploy.conftest import REGION, Aws, a_package
from tests.live_server import LiveServerFactory

SETTINGS = {"SCC_STORE": "sqlite", "SCC_SECRET_KEY": "signing-key-set-by-hand-4f1c9e0b7a2d6c3e"}


@pytest.fixture
def application(live_server_factory: LiveServerFactory) -> str:
    return live_server_factory.shared().url


def deploy(aws: Aws, tmp_path: Path, *args: str) -> Result:
    package = tmp_path / "v2.zip" if (tmp_path / "v2.zip").exists() else a_package(tmp_path, "v2")
    return CliRunner().invoke(
        cli,
        [
            "deploy",
            "--stage",
            "prod",
            "--zip",
            str(package),
            "--endpoint-url",
            aws.endpoint,
            "--region",
            REGION,
            "--snapshots",
            str(tmp_path / "snapshots"),
            "--watch-seconds",
            "1",
            "--skip-staging",
            "a test of the prod function alone",
            *args,
        ],
    )


def test_a_deploy_uploads_the_page_and_smoke_tests_the_stage(aws: Aws, tmp_path: Path, application: str) -> None:
    aws.create_function("scc-prod", a_package(tmp_path, "v1"), SETTINGS)
    aws.client("s3").create_bucket(Bucket="scc-site")

    result = deploy(aws, tmp_path, "--bucket", "scc-site", "--base-url", application)

    assert result.exit_code == 0, result.output
    assert "site: uploading the dispatch page to s3://scc-site (prod)" in result.output
    assert "smoke test of" in result.output and "all 7 checks passed" in result.output
    listed = aws("s3api", "list-objects-v2", "--bucket", "scc-site")["Contents"]
    assert "index.html" in {item["Key"] for item in listed}


def test_a_deploy_without_a_bucket_or_a_site_is_refused_before_anything_changes(aws: Aws, tmp_path: Path) -> None:
    aws.create_function("scc-prod", a_package(tmp_path, "v1"), SETTINGS)

    no_bucket = deploy(aws, tmp_path, "--skip-smoke")
    no_site = deploy(aws, tmp_path, "--skip-site")

    assert no_bucket.exit_code == 2 and "--bucket, or pass --skip-site" in no_bucket.output
    assert no_site.exit_code == 2 and "--base-url to smoke-test, or pass --skip-smoke" in no_site.output
    assert (
        aws("lambda", "list-versions-by-function", "--function-name", "scc-prod")["Versions"][-1]["Version"]
        == "$LATEST"
    )


def test_a_bucket_changed_behind_the_tools_back_stops_the_deploy_before_the_function_changes(
    aws: Aws, tmp_path: Path
) -> None:
    aws.create_function("scc-prod", a_package(tmp_path, "v1"), SETTINGS)
    aws.client("s3").create_bucket(Bucket="scc-site")
    deploy_site(Bucket(aws.client("s3"), "scc-site", "prod"), "prod", site_files("prod"))
    edited = b"<!doctype html><title>the page as someone edited it in the console</title>"
    aws.client("s3").put_object(Bucket="scc-site", Key="index.html", Body=edited)
    before = aws.configuration("scc-prod")

    result = deploy(aws, tmp_path, "--bucket", "scc-site", "--skip-smoke")

    assert result.exit_code == 1, result.output
    assert "files were changed outside `scc site deploy`: index.html" in result.output
    after = aws.configuration("scc-prod")
    assert (after["CodeSha256"], after["RevisionId"]) == (before["CodeSha256"], before["RevisionId"])
    assert after["Environment"] == before["Environment"] == {"Variables": SETTINGS}
    listed = aws("lambda", "list-versions-by-function", "--function-name", "scc-prod")["Versions"]
    assert [item["Version"] for item in listed] == ["$LATEST"]
    assert aws.client("s3").get_object(Bucket="scc-site", Key="index.html")["Body"].read() == edited
