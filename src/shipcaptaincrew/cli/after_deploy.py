"""What `scc deploy` does once `live` serves the new version: upload the dispatch page, smoke-test the public URL
and watch the logs. Any of them failing moves `live` back and puts the previous page back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from shipcaptaincrew.deploy.release import AfterShift, Release
    from shipcaptaincrew.deploy.site import Saved

WATCH_SECONDS = 30.0


def after_deploy_options(command: Any) -> Any:
    """The site, smoke and watch steps that follow the shift, and how to skip them where no distribution exists."""
    options = [
        click.option("--bucket", help="Site bucket for the dispatch page (the stack's SiteBucket)."),
        click.option("--distribution-id", help="Distribution to invalidate what the site step changed."),
        click.option("--force-site", is_flag=True, help="Overwrite site files changed outside scc (after review)."),
        click.option("--base-url", help="The site's URL to smoke-test (staging: BASE_URL/_staging is tested)."),
        click.option("--skip-site", is_flag=True, help="Do not upload the dispatch page (no bucket yet)."),
        click.option("--skip-smoke", is_flag=True, help="Do not smoke-test the public URL (no distribution yet)."),
        click.option("--watch-seconds", type=click.FloatRange(0, 900), default=WATCH_SECONDS, show_default=True,
                     help="How long to watch the function's logs for errors after the shift (0: not at all)."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


class AfterDeploy:
    """`scc deploy`'s steps after the shift; what they need is checked before the function is touched."""

    def __init__(
        self,
        stage: str,
        region: str | None,
        endpoint_url: str | None,
        bucket: str | None,
        distribution_id: str | None,
        force_site: bool,
        base_url: str | None,
        skip_site: bool,
        skip_smoke: bool,
        watch_seconds: float,
    ) -> None:
        if not skip_site and not bucket:
            raise click.UsageError("name the site bucket with --bucket, or pass --skip-site (no bucket yet)")
        if not skip_smoke and not base_url:
            raise click.UsageError("name the site with --base-url to smoke-test, or pass --skip-smoke")
        self.stage, self.region, self.endpoint_url = stage, region, endpoint_url
        self.bucket, self.distribution_id, self.force_site = None if skip_site else bucket, distribution_id, force_site
        self.base_url = None if skip_smoke else base_url
        self.watch_seconds = watch_seconds
        self.saved: Saved | None = None

    def check(self) -> None:
        """Before anything changes: a bucket changed behind the tool's back stops the deploy here, not after the
        shift."""
        from shipcaptaincrew.cli.site import check_site

        if self.bucket:
            check_site(self.stage, self.bucket, self.region, self.endpoint_url, self.force_site)

    def release(self, note: str, ssm: Callable[[], Any]) -> Release:
        from shipcaptaincrew.cli.site import client
        from shipcaptaincrew.deploy.release import Release

        logs = client("logs", self.region, self.endpoint_url) if self.watch_seconds else None
        return Release(self.steps(), logs, self.watch_seconds, ssm, note)

    def steps(self) -> list[AfterShift]:
        from shipcaptaincrew.deploy.release import AfterShift

        steps = []
        if self.bucket:
            steps.append(
                AfterShift(
                    "site",
                    f"uploading the dispatch page to s3://{self.bucket} ({self.stage})",
                    self.upload,
                    self.restore,
                )
            )
        if self.base_url:
            steps.append(AfterShift("smoke", f"smoke-testing {self.public_url()}", self.smoke))
        return steps

    def public_url(self) -> str:
        return (self.base_url or "").rstrip("/") + ("/_staging" if self.stage == "staging" else "")

    def upload(self) -> str:
        from shipcaptaincrew.cli.site import deploy_site, save_site

        assert self.bucket is not None
        self.saved = save_site(self.stage, self.bucket, self.region, self.endpoint_url)
        deploy_site(
            click.echo, self.stage, self.bucket, self.distribution_id, self.region, self.endpoint_url, self.force_site
        )
        return "uploaded"

    def restore(self) -> str:
        from shipcaptaincrew.cli.site import restore_site

        if self.bucket is None or self.saved is None:
            return "nothing to put back"
        return restore_site(self.stage, self.bucket, self.distribution_id, self.region, self.endpoint_url, self.saved)

    def smoke(self) -> str:
        from shipcaptaincrew.cli.smoke import page_sha256, run_smoke

        run_smoke(click.echo, self.public_url(), page=page_sha256(self.stage) if self.bucket else None)
        return "passed"
