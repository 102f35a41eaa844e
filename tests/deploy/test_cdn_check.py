"""`scc cdn check` against distributions made in moto, one read back with the real aws CLI."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner, Result

from shipcaptaincrew.cli import cli
from tests.deploy import distributions
from tests.deploy.conftest import Aws


def create(aws: Aws, config: dict[str, Any]) -> str:
    created = aws.client("cloudfront").create_distribution(DistributionConfig=config)
    return str(created["Distribution"]["Id"])


def check(aws: Aws, distribution_id: str) -> Result:
    return CliRunner().invoke(
        cli, ["cdn", "check", "--distribution-id", distribution_id, "--endpoint-url", aws.endpoint]
    )


def test_the_rendered_distribution_passes_the_check(aws: Aws) -> None:
    distribution_id = create(aws, distributions.rendered())

    result = check(aws, distribution_id)

    assert result.exit_code == 0, result.output
    assert "routes as deploy/cdn.py says" in result.output


def test_the_old_misordered_distribution_fails_naming_the_waiver_route(aws: Aws) -> None:
    distribution_id = create(aws, distributions.old_misordered())
    live = aws("cloudfront", "get-distribution-config", "--id", distribution_id)["DistributionConfig"]
    assert [item["PathPattern"] for item in live["CacheBehaviors"]["Items"]] == ["/api/*", "/*", "/g/*"]

    result = check(aws, distribution_id)

    assert result.exit_code == 1
    assert "/g/2026-05-23/waiver (guest pages and waivers) is served by behavior 2 `/*` → site" in result.output
    assert "must reach prod-function" in result.output
    assert "missing behavior `/_staging/api/*` → staging-function" in result.output
    assert "unexpected behavior `/*` → site" in result.output


def test_a_function_origin_without_the_secret_header_fails_the_check(aws: Aws) -> None:
    config = distributions.rendered("no-secret")
    for origin in config["Origins"]["Items"]:
        origin.pop("CustomHeaders", None)
    result = check(aws, create(aws, config))

    assert result.exit_code == 1
    assert "origin `prod-function` does not add the X-Origin-Secret header" in result.output


def test_distribution_wide_error_pages_fail_the_check(aws: Aws) -> None:
    config = distributions.rendered("error-pages")
    config["CustomErrorResponses"] = {
        "Quantity": 1,
        "Items": [
            {"ErrorCode": 404, "ResponsePagePath": "/index.html", "ResponseCode": "200", "ErrorCachingMinTTL": 10}
        ],
    }

    result = check(aws, create(aws, config))

    assert result.exit_code == 1
    assert "custom error responses" in result.output
