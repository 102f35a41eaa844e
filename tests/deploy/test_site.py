"""`scc site deploy|pull` against S3 and CloudFront in moto, checked with the real aws CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy import cdn
from shipcaptaincrew.deploy.site import Bucket, deploy
from shipcaptaincrew.deploy.site_files import DISPATCH, SiteFile, site_files
from tests.deploy import distributions
from tests.deploy.conftest import Aws

BUCKET = "scc-site"
LOADS = re.compile(
    r"""(?:href|src)="(/[^"]*)"|url\(\s*["']?(/[^"')]*)|fetch\(\s*["'`](/[^"'`$]*)|from\s+["'](/[^"']*)"""
)
"""Where the page loads a root-relative URL: HTML attributes, CSS url(), fetch() and imports."""


@pytest.fixture
def s3(aws: Aws, moto_port: int) -> Aws:
    """The aws CLI straight to moto (S3 and CloudFront need no RevisionId proxy), with the site bucket made."""
    direct = Aws(f"http://127.0.0.1:{moto_port}")
    direct.client("s3").create_bucket(Bucket=BUCKET)
    return direct


@pytest.fixture
def distribution_id(s3: Aws) -> str:
    created = s3.client("cloudfront").create_distribution(DistributionConfig=distributions.rendered())
    return str(created["Distribution"]["Id"])


def site(s3: Aws, *args: str) -> Result:
    return CliRunner().invoke(cli, ["site", *args, "--bucket", BUCKET, "--endpoint-url", s3.endpoint])


def keys(s3: Aws) -> dict[str, str]:
    listed = s3("s3api", "list-objects-v2", "--bucket", BUCKET) or {}
    return {item["Key"]: item["ETag"] for item in listed.get("Contents", [])}


def edit_behind_the_tools_back(s3: Aws, key: str, text: str) -> None:
    s3.client("s3").put_object(Bucket=BUCKET, Key=key, Body=text.encode())


def invalidated(s3: Aws, distribution_id: str) -> list[list[str]]:
    listed = (s3("cloudfront", "list-invalidations", "--distribution-id", distribution_id) or {}).get(
        "InvalidationList", {}
    )
    found = []
    for item in listed.get("Items", []):
        batch = s3("cloudfront", "get-invalidation", "--distribution-id", distribution_id, "--id", item["Id"])
        found.append(sorted(batch["Invalidation"]["InvalidationBatch"]["Paths"]["Items"]))
    return found


def test_prod_goes_to_the_root_with_content_types_cache_headers_and_a_manifest(s3: Aws, distribution_id: str) -> None:
    result = site(s3, "deploy", "--stage", "prod", "--distribution-id", distribution_id)

    assert result.exit_code == 0, result.output
    expected = {file.key for file in site_files("prod")}
    assert set(keys(s3)) == expected | {".scc/manifest.json"}
    page = s3("s3api", "head-object", "--bucket", BUCKET, "--key", "index.html")
    script = s3("s3api", "head-object", "--bucket", BUCKET, "--key", "assets/main.js")
    assert (page["ContentType"], page["CacheControl"]) == ("text/html; charset=utf-8", "no-cache")
    assert (script["ContentType"], script["CacheControl"]) == ("text/javascript; charset=utf-8", "public, max-age=300")
    assert invalidated(s3, distribution_id) == [sorted(["/", *("/" + key for key in expected)])]


def test_a_second_deploy_of_the_same_page_writes_and_invalidates_nothing(s3: Aws, distribution_id: str) -> None:
    assert site(s3, "deploy", "--stage", "prod").exit_code == 0
    before = keys(s3)

    result = site(s3, "deploy", "--stage", "prod", "--distribution-id", distribution_id)

    assert result.exit_code == 0, result.output
    assert "0 uploaded, 0 deleted" in result.output
    assert {key: etag for key, etag in keys(s3).items() if key != ".scc/manifest.json"} == {
        key: etag for key, etag in before.items() if key != ".scc/manifest.json"
    }
    assert invalidated(s3, distribution_id) == []


def test_a_file_edited_in_the_bucket_stops_the_deploy_with_its_diff_until_forced(s3: Aws, tmp_path: Path) -> None:
    assert site(s3, "deploy", "--stage", "prod").exit_code == 0
    original = (DISPATCH / "assets" / "board.css").read_text()
    edit_behind_the_tools_back(s3, "assets/board.css", original + ".hotfix { color: red; }\n")
    manifest = s3("s3api", "head-object", "--bucket", BUCKET, "--key", ".scc/manifest.json")["ETag"]

    refused = site(s3, "deploy", "--stage", "prod")

    assert refused.exit_code == 1
    assert "changed outside `scc site deploy`: assets/board.css" in refused.output
    assert "--- assets/board.css (this deploy)" in refused.output
    assert "+++ assets/board.css (in the bucket now)" in refused.output
    assert "+.hotfix { color: red; }" in refused.output
    assert s3("s3api", "head-object", "--bucket", BUCKET, "--key", ".scc/manifest.json")["ETag"] == manifest

    pulled = site(s3, "pull", "--stage", "prod", "-o", str(tmp_path / "pulled"))
    assert pulled.exit_code == 0, pulled.output
    assert ".hotfix" in (tmp_path / "pulled" / "assets" / "board.css").read_text()

    forced = site(s3, "deploy", "--stage", "prod", "--force")
    assert forced.exit_code == 0, forced.output
    assert "overwrote files changed outside scc site deploy (--force): assets/board.css" in forced.output
    assert site(s3, "deploy", "--stage", "prod").exit_code == 0


def test_files_added_or_deleted_behind_the_tools_back_stop_the_deploy_too(s3: Aws, tmp_path: Path) -> None:
    assert site(s3, "deploy", "--stage", "prod").exit_code == 0
    s3.client("s3").delete_object(Bucket=BUCKET, Key="assets/qr.js")
    edit_behind_the_tools_back(s3, "assets/extra.js", "console.log('typed into the console');\n")

    refused = site(s3, "deploy", "--stage", "prod")

    assert refused.exit_code == 1
    assert "assets/extra.js, assets/qr.js" in refused.output
    assert "+console.log('typed into the console');" in refused.output
    assert site(s3, "deploy", "--stage", "prod", "--force").exit_code == 0
    assert "assets/extra.js" not in keys(s3) and "assets/qr.js" in keys(s3)


def test_staging_writes_only_under_its_prefix_and_invalidates_only_it(s3: Aws, distribution_id: str) -> None:
    assert site(s3, "deploy", "--stage", "prod").exit_code == 0
    prod = keys(s3)

    result = site(s3, "deploy", "--stage", "staging", "--distribution-id", distribution_id)

    assert result.exit_code == 0, result.output
    after = keys(s3)
    assert {key: etag for key, etag in after.items() if key in prod} == prod
    assert all(key.startswith("_staging/") for key in after.keys() - prod.keys())
    assert "_staging/index.html" in after and "_staging/.scc/manifest.json" in after
    assert invalidated(s3, distribution_id) == [["/_staging/*"]]
    assert site(s3, "deploy", "--stage", "prod").exit_code == 0  # staging's files are not prod's drift


def test_only_what_changed_is_uploaded_and_invalidated(s3: Aws) -> None:
    bucket = Bucket(s3.client("s3"), BUCKET, "prod")
    files = site_files("prod")
    deploy(bucket, "prod", files)
    changed = [
        SiteFile(f.key, f.body + b"/* v2 */\n", f.content_type, f.cache_control) if f.key == "assets/card.js" else f
        for f in files
    ]

    outcome, _ = deploy(bucket, "prod", changed)

    assert outcome.uploaded == ["assets/card.js"] and outcome.invalidated == ["/assets/card.js"]


def test_the_staging_copy_loads_its_assets_and_api_from_staging() -> None:
    staged = {
        file.key: file.body.decode() for file in site_files("staging") if file.key.endswith((".html", ".js", ".css"))
    }
    loaded = {url for text in staged.values() for match in LOADS.finditer(text) for url in match.groups() if url}

    assert {"/_staging/assets/main.js", "/_staging/assets/board.css", "/_staging/api", "/_staging/healthz"} <= loaded
    for url in loaded:
        route = cdn.route(url if url != "/_staging/api" else "/_staging/api/events")
        assert route.origin == cdn.STAGING_FUNCTION or route.pattern == "/_staging/*", url


def test_the_production_copy_is_the_page_unchanged() -> None:
    for file in site_files("prod"):
        assert file.body == (DISPATCH / file.key).read_bytes()
