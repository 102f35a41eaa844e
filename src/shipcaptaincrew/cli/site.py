"""`scc site deploy|pull`: the dispatch page in S3, refusing to overwrite changes made behind its back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

STAGES = ("staging", "prod")


def bucket_options(command: Any) -> Any:
    command = click.option("--endpoint-url", help="S3/CloudFront endpoint, for a local emulator.")(command)
    command = click.option("--region", help="AWS region (default: the AWS configuration's).")(command)
    command = click.option("--bucket", required=True, help="The site bucket (the stack's SiteBucket).")(command)
    return click.option(
        "--stage", type=click.Choice(STAGES), required=True, help="prod: the bucket's root; staging: under _staging/."
    )(command)


@click.group("site")
def site_group() -> None:
    """The dispatch page in S3: deploy with a drift check, or pull what is deployed."""


@site_group.command("deploy")
@bucket_options
@click.option("--distribution-id", help="Invalidate what changed in this distribution (the stack's DistributionId).")
@click.option("--force", is_flag=True, help="Overwrite files changed outside scc site deploy (after reviewing them).")
def deploy_command(
    stage: str, bucket: str, region: str | None, endpoint_url: str | None, distribution_id: str | None, force: bool
) -> None:
    """Upload the dispatch page (content types, cache headers), only what changed, then invalidate it."""
    deploy_site(click.echo, stage, bucket, distribution_id, region, endpoint_url, force)


@site_group.command("pull")
@bucket_options
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the files to (default: ./site-STAGE).",
)
def pull_command(stage: str, bucket: str, region: str | None, endpoint_url: str | None, output: Path | None) -> None:
    """Download the deployed files of a stage, to review what changed before deploying over them."""
    from shipcaptaincrew.deploy.site import Bucket, pull

    folder = output or Path(f"site-{stage}")
    written = pull(Bucket(client("s3", region, endpoint_url), bucket, stage), folder)
    click.echo(f"{len(written)} files from s3://{bucket}/{'_staging/' if stage == 'staging' else ''} in {folder}/")
    click.echo(f"compare: diff -ru src/shipcaptaincrew/web/static/dispatch {folder}")


def deploy_site(
    echo: Any,
    stage: str,
    bucket: str,
    distribution_id: str | None,
    region: str | None,
    endpoint_url: str | None,
    force: bool = False,
) -> None:
    """The site step, shared by `scc site deploy` and `scc deploy`."""
    from shipcaptaincrew.deploy.site import Bucket, SiteDrift, deploy, invalidate
    from shipcaptaincrew.deploy.site_files import site_files

    target = Bucket(client("s3", region, endpoint_url), bucket, stage)
    try:
        outcome, drifted = deploy(target, stage, site_files(stage), force)
    except SiteDrift as refused:
        raise click.ClickException(str(refused)) from None
    if drifted.keys:
        echo(f"overwrote files changed outside scc site deploy (--force): {', '.join(drifted.keys)}")
    echo(
        f"site {stage}: {len(outcome.uploaded)} uploaded, {len(outcome.deleted)} deleted, "
        f"{outcome.unchanged} unchanged (s3://{bucket}/{target.prefix})"
    )
    for key in outcome.uploaded:
        echo(f"  + {key}")
    if not outcome.invalidated:
        return
    if distribution_id is None:
        echo(f"no --distribution-id: CloudFront may serve the old copies of {', '.join(outcome.invalidated)} a while")
        return
    invalidation = invalidate(client("cloudfront", region, endpoint_url), distribution_id, outcome.invalidated)
    echo(f"invalidation {invalidation}: {', '.join(outcome.invalidated)}")


def check_site(stage: str, bucket: str, region: str | None, endpoint_url: str | None, force: bool) -> None:
    """Refuse, before a deploy changes anything, when the stage's files were changed outside `scc site deploy`."""
    from shipcaptaincrew.deploy.site import Bucket, drift
    from shipcaptaincrew.deploy.site_files import site_files

    found = drift(Bucket(client("s3", region, endpoint_url), bucket, stage), site_files(stage))
    if found.keys and not force:
        raise click.ClickException(
            f"the bucket's {stage} files were changed outside `scc site deploy`: {', '.join(found.keys)}.\n"
            f"Nothing was changed. Review them (`scc site pull --stage {stage}`), bring what should stay into the "
            f"repository, then deploy again with --force-site.\n{found.diff}"
        )


def save_site(stage: str, bucket: str, region: str | None, endpoint_url: str | None) -> Any:
    from shipcaptaincrew.deploy.site import Bucket, save

    return save(Bucket(client("s3", region, endpoint_url), bucket, stage))


def restore_site(
    stage: str, bucket: str, distribution_id: str | None, region: str | None, endpoint_url: str | None, saved: Any
) -> str:
    """Put the stage's page back as `saved` holds it, and invalidate what changed."""
    from shipcaptaincrew.deploy.site import Bucket, invalidate, invalidation, restore

    touched = restore(Bucket(client("s3", region, endpoint_url), bucket, stage), saved)
    paths = invalidation(stage, touched)
    if paths and distribution_id:
        invalidate(client("cloudfront", region, endpoint_url), distribution_id, paths)
    return f"the previous page is back ({len(touched)} files)" if touched else "the page had not changed"


def client(service: str, region: str | None, endpoint_url: str | None) -> Any:
    import boto3

    return boto3.client(service, region_name=region, endpoint_url=endpoint_url)
