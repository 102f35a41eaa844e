"""What `scc deploy` does once the function is live: upload the dispatch page and smoke-test the stage."""

from __future__ import annotations

from typing import Any

import click


def after_deploy_options(command: Any) -> Any:
    """The site and smoke steps that follow a deploy, and how to skip them where no distribution exists yet."""
    options = [
        click.option("--bucket", help="Site bucket for the dispatch page (the stack's SiteBucket)."),
        click.option("--distribution-id", help="Distribution to invalidate what the site step changed."),
        click.option("--force-site", is_flag=True, help="Overwrite site files changed outside scc (after review)."),
        click.option("--base-url", help="The site's URL to smoke-test (staging: BASE_URL/_staging is tested)."),
        click.option("--skip-site", is_flag=True, help="Do not upload the dispatch page (no bucket yet)."),
        click.option("--skip-smoke", is_flag=True, help="Do not smoke-test (no distribution yet)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class AfterDeploy:
    """`scc deploy`'s last steps; what they need is checked before the function is touched."""

    def __init__(self, stage: str, region: str | None, endpoint_url: str | None, bucket: str | None,
                 distribution_id: str | None, force_site: bool, base_url: str | None, skip_site: bool,
                 skip_smoke: bool) -> None:  # fmt: skip
        if not skip_site and not bucket:
            raise click.UsageError("name the site bucket with --bucket, or pass --skip-site (no bucket yet)")
        if not skip_smoke and not base_url:
            raise click.UsageError("name the site with --base-url to smoke-test, or pass --skip-smoke")
        self.stage, self.region, self.endpoint_url = stage, region, endpoint_url
        self.bucket, self.distribution_id, self.force_site = None if skip_site else bucket, distribution_id, force_site
        self.base_url = None if skip_smoke else base_url

    def run(self) -> None:
        from shipcaptaincrew.cli.site import deploy_site
        from shipcaptaincrew.cli.smoke import page_sha256, run_smoke

        if self.bucket:
            click.echo(f"[site] uploading the dispatch page to s3://{self.bucket} ({self.stage})")
            deploy_site(click.echo, self.stage, self.bucket, self.distribution_id, self.region, self.endpoint_url,
                        self.force_site)  # fmt: skip
        if self.base_url:
            base = self.base_url.rstrip("/") + ("/_staging" if self.stage == "staging" else "")
            click.echo(f"[smoke] {base}")
            run_smoke(click.echo, base, page=page_sha256(self.stage) if self.bucket else None)
