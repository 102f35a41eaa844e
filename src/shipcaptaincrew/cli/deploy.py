"""`scc package`, `scc deploy`, `scc promote`, `scc rollback`: the Lambda zip, and putting it live without losing a
setting, tested before traffic reaches it, prod taking only what staging proved."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from shipcaptaincrew.cli.after_deploy import AfterDeploy, after_deploy_options
from shipcaptaincrew.cli.common import load_settings
from shipcaptaincrew.cli.site import client
from shipcaptaincrew.deploy.lambda_env import Changes

STAGES = ("staging", "prod")
STAGE_DEFAULTS = {"staging": {"SCC_PATH_PREFIX": "/_staging"}, "prod": {}}
"""Settings a stage needs, added only where the function has no value of its own."""
ARCHITECTURES = ("x86_64", "arm64")


def target_options(command: Any) -> Any:
    command = click.option(
        "--arch",
        type=click.Choice(ARCHITECTURES),
        default="x86_64",
        show_default=True,
        help="Lambda architecture the wheels are for.",
    )(command)
    return click.option(
        "--python-version",
        default="3.12",
        show_default=True,
        help="Lambda runtime's Python version the wheels are for.",
    )(command)


def aws_options(command: Any) -> Any:
    command = click.option("--endpoint-url", help="Lambda API endpoint, for a local emulator.")(command)
    command = click.option("--region", help="AWS region (default: the AWS configuration's).")(command)
    command = click.option("--function", help="Function name (default: scc-STAGE).")(command)
    return click.option("--stage", type=click.Choice(STAGES), required=True, help="Which function.")(command)


def change_options(command: Any) -> Any:
    """How a deploy may change the function beyond its code; shared by `scc deploy` and `scc promote`."""
    options = [
        click.option("--dry-run", is_flag=True, help="Show the plan (diff, size, the steps) and change nothing."),
        click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Add or change a setting (repeatable)."),
        click.option("--remove", "removals", multiple=True, metavar="KEY", help="Remove a setting (repeatable)."),
        click.option("--restore-from-live", is_flag=True,
                     help="Put back settings the live version has and $LATEST lost outside scc deploy."),
        click.option("--replace-unpublished-code", is_flag=True,
                     help="Replace code on $LATEST that no published version holds (changed outside scc deploy)."),
        click.option("--update-runtime", is_flag=True,
                     help="Set the function's runtime, architecture and handler to the package's."),
        click.option("--snapshots", type=click.Path(file_okay=False, path_type=Path),
                     help="Folder for the redacted snapshots (default: SCC_DATA_DIR/deploys)."),
        click.option("--staging-function", default="scc-staging", show_default=True,
                     help="Prod only: the staging function whose proven live version vouches for the code."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return after_deploy_options(command)


@click.command("package")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("dist/scc-lambda.zip"),
    show_default=True,
    help="Where to write the zip.",
)
@target_options
def package_command(output: Path, python_version: str, arch: str) -> None:
    """Build the Lambda zip: the same bytes each time from the same tree; prints its size and contents."""
    built = _build(output, python_version, arch)
    for line in built.summary():
        click.echo(line)


@click.command("deploy")
@aws_options
@click.option(
    "--zip",
    "zip_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Deploy this package instead of building one.",
)
@target_options
@click.option(
    "--skip-staging",
    metavar="REASON",
    help="Prod only: deploy code no staging version passed with; the reason goes in its description.",
)
@change_options
def deploy_command(
    zip_path: Path | None, python_version: str, arch: str, skip_staging: str | None, **options: Any
) -> None:
    """Deploy to a stage: snapshot, merge the environment from what live serves (no key dropped without
    --remove), update and verify by hashes, smoke-test the new code by invoking it directly, publish, move the
    `live` alias; then upload the dispatch page (drift-checked), smoke-test the public URL and watch the logs,
    moving `live` back on any failure. Prod takes only code a staging version passed with (or --skip-staging).
    Values are never printed."""
    if skip_staging is not None and options["stage"] != "prod":
        raise click.UsageError("--skip-staging is for a prod deploy")
    if skip_staging is not None and not skip_staging.strip():
        raise click.BadParameter("say why staging is skipped", param_hint="--skip-staging")
    package = zip_path or _build(Path("dist/scc-lambda.zip"), python_version, arch).path
    run_deploy(package.read_bytes(), skip_staging=skip_staging, **options)


@click.command("promote")
@click.option("--function", help="The prod function (default: scc-prod).")
@click.option("--region", help="AWS region (default: the AWS configuration's).")
@click.option("--endpoint-url", help="Lambda API endpoint, for a local emulator.")
@change_options
def promote_command(**options: Any) -> None:
    """Deploy to prod exactly the code staging's live version runs (the same CodeSha256, which must have passed
    its smoke test there), merged into prod's own settings, with the same test, shift, watch and roll back."""
    from shipcaptaincrew.deploy.deployment import ALIAS
    from shipcaptaincrew.deploy.promote import staging_code
    from shipcaptaincrew.deploy.steps import DeployFailed

    staging = options["staging_function"]
    try:
        package, proof = staging_code(client("lambda", options["region"], options["endpoint_url"]), staging, ALIAS)
    except DeployFailed as failed:
        raise click.ClickException(str(failed)) from None
    click.echo(f"promoting {staging} version {proof.version} ({ALIAS}) to prod: {len(package) / 1e6:.1f} MB")
    run_deploy(package, stage="prod", note=f"promoted from {staging} version {proof.version}", **options)


def run_deploy(
    package: bytes,
    *,
    stage: str,
    function: str | None,
    region: str | None,
    endpoint_url: str | None,
    dry_run: bool,
    sets: tuple[str, ...],
    removals: tuple[str, ...],
    restore_from_live: bool,
    replace_unpublished_code: bool,
    update_runtime: bool,
    snapshots: Path | None,
    staging_function: str,
    skip_staging: str | None = None,
    note: str = "",
    **after: Any,
) -> None:
    """The deploy itself, shared by `scc deploy` and `scc promote`."""
    followed = AfterDeploy(stage, region, endpoint_url, **after)
    from shipcaptaincrew.deploy.deployment import Plan, deploy
    from shipcaptaincrew.deploy.steps import DeployFailed

    changes = Changes(_parse_sets(sets), frozenset(removals), STAGE_DEFAULTS[stage], restore_from_live)
    began = time.perf_counter()
    plan = Plan(
        function or f"scc-{stage}",
        package,
        changes,
        dry_run=dry_run,
        replace_unpublished_code=replace_unpublished_code,
        update_runtime=update_runtime,
        staging=staging_function if stage == "prod" else None,
        skip_staging=skip_staging,
    )
    folder = snapshots or load_settings().data_dir / "deploys"
    try:
        followed.check()
        release = followed.release(note, lambda: client("ssm", region, endpoint_url))
        outcome = deploy(client("lambda", region, endpoint_url), plan, click.echo, folder, release=release)
    except DeployFailed as failed:
        raise click.ClickException(str(failed)) from None
    if outcome.version:
        click.echo(f"deployed {plan.function}: live is version {outcome.version} ({time.perf_counter() - began:.1f} s)")


@click.command("rollback")
@aws_options
@click.option("--to", "version", help="Version to go back to (default: the one before the live one).")
def rollback_command(
    stage: str, function: str | None, region: str | None, endpoint_url: str | None, version: str | None
) -> None:
    """Point the `live` alias back at an earlier published version (its code and its environment)."""
    from shipcaptaincrew.deploy.rollback import rollback
    from shipcaptaincrew.deploy.steps import DeployFailed

    name = function or f"scc-{stage}"
    try:
        before, after = rollback(client("lambda", region, endpoint_url), name, click.echo, version)
    except DeployFailed as failed:
        raise click.ClickException(str(failed)) from None
    click.echo(f"rolled back {name}: live was version {before}, is version {after}")


def _parse_sets(sets: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for item in sets:
        key, equals, value = item.partition("=")
        if not equals or not key:
            # Not echoed: what was typed may be a value.
            raise click.BadParameter(
                "expected KEY=VALUE (the argument is not shown, it may hold a secret)", param_hint="--set"
            )
        parsed[key] = value
    return parsed


def _build(output: Path, python_version: str, arch: str) -> Any:
    from shipcaptaincrew.deploy.package import PackageError, Target, build

    click.echo(f"building {output} for Python {python_version} on {arch}")
    try:
        return build(output, Target(python_version, arch))
    except PackageError as error:
        raise click.ClickException(str(error)) from None
