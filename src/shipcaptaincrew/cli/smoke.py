"""`scc smoke`: check that a deployed stage answers as the application, through the routes that matter."""

from __future__ import annotations

from typing import Any

import click


@click.command("smoke")
@click.option("--base-url", required=True, help="The stage's root: https://SITE for prod, https://SITE/_staging.")
@click.option("--slug", help="A real event to open the waiver form of (default: an unknown slug, expecting 404).")
@click.option(
    "--page",
    "page_stage",
    type=click.Choice(("staging", "prod")),
    help="Also check that the stage's dispatch page is this tree's (by SHA-256).",
)
def smoke_command(base_url: str, slug: str | None, page_stage: str | None) -> None:
    """GET /healthz 200; POST /api/login with a wrong password 401; /api/events and POST /api/payment-log 401
    without a token; the OpenAPI event has payment_cleared; /g/SLUG/waiver answered by the application, not the
    dispatch page. Exits 1 if any check fails."""
    run_smoke(click.echo, base_url, slug, page_sha256(page_stage) if page_stage else None)


def page_sha256(stage: str) -> str:
    """The SHA-256 of the dispatch page as `scc site deploy` uploads it for `stage`."""
    from shipcaptaincrew.deploy.site_files import PREFIX, site_files

    return next(file.sha256 for file in site_files(stage) if file.key == PREFIX[stage] + "index.html")


def run_smoke(echo: Any, base_url: str, slug: str | None = None, page: str | None = None) -> None:
    from shipcaptaincrew.deploy.smoke import run

    results = run(base_url, slug, page_sha256=page)
    for result in results:
        echo(f"{'✓' if result.passed else '✗'} {result.name}: {result.detail}")
    failed = [result.name for result in results if not result.passed]
    if failed:
        raise click.ClickException(f"smoke test of {base_url} failed: {', '.join(failed)}")
    echo(f"smoke test of {base_url}: all {len(results)} checks passed")
