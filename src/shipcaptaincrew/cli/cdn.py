"""`scc cdn route|check` and `scc infra render`: the CloudFront routing table, asked, checked and rendered."""

from __future__ import annotations

from typing import Any

import click


@click.group("cdn")
def cdn_group() -> None:
    """CloudFront routing: which origin serves a path, and whether a live distribution agrees."""


@cdn_group.command("route")
@click.argument("paths", nargs=-1, required=True)
def route_command(paths: tuple[str, ...]) -> None:
    """Say which origin serves each PATH, by CloudFront's rules (in order, first match wins, default last)."""
    from shipcaptaincrew.deploy.cdn import route
    from shipcaptaincrew.deploy.cdn_check import describe

    for path in paths:
        click.echo(f"{path} → {describe(route(path))}")


@cdn_group.command("check")
@click.option("--distribution-id", required=True, help="The distribution to read (the stack's DistributionId).")
@click.option("--endpoint-url", help="CloudFront API endpoint, for a local emulator.")
def check_command(distribution_id: str, endpoint_url: str | None) -> None:
    """Read a live distribution and compare its behaviors, origins and policies with the routing table."""
    from shipcaptaincrew.deploy.cdn_check import problems

    config = read_config(distribution_id, endpoint_url)
    found = problems(config)
    for problem in found:
        click.echo(f"✗ {problem}")
    if found:
        raise click.ClickException(f"distribution {distribution_id} does not route as deploy/cdn.py says")
    click.echo(f"distribution {distribution_id} routes as deploy/cdn.py says")


def read_config(distribution_id: str, endpoint_url: str | None) -> dict[str, Any]:
    import boto3

    client = boto3.client("cloudfront", region_name="us-east-1", endpoint_url=endpoint_url)
    try:
        config: dict[str, Any] = client.get_distribution_config(Id=distribution_id)["DistributionConfig"]
    except Exception as error:  # botocore's ClientError; its message names the distribution and the reason
        raise click.ClickException(f"could not read distribution {distribution_id}: {error}") from None
    return config


@click.group("infra")
def infra_group() -> None:
    """The CloudFormation template in infra/."""


@infra_group.command("render")
@click.option(
    "-o",
    "--output",
    type=click.File("w"),
    default="-",
    show_default=True,
    help="Where to write it (the committed copy is infra/template.yaml).",
)
def render_command(output: Any) -> None:
    """Render the template (behaviors from the routing table); commit it as infra/template.yaml."""
    from shipcaptaincrew.deploy.infra import render

    output.write(render())
