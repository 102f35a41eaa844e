"""`scc serve`: the local server."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import click

from shipcaptaincrew.bootstrap import build_app
from shipcaptaincrew.cli.common import load_settings, open_context, reports_errors
from shipcaptaincrew.config import DEMO_DATA_DIR
from shipcaptaincrew.services import admin, demo, waivers
from shipcaptaincrew.web.logs import uvicorn_log_config


@click.command()
@click.option("--host", help="Address to listen on (default SCC_HOST, 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default SCC_PORT, 8000).")
@click.option(
    "--demo",
    "with_demo",
    is_flag=True,
    help="Load a demo season into an empty store first (in ./scc-demo unless SCC_DATA_DIR is set).",
)
@reports_errors
def serve(host: str | None, port: int | None, with_demo: bool) -> None:
    """Start the server: the dispatch board at /, the API at /api, guest pages at /g."""
    import uvicorn

    # Imported here, not at the top: the delivery process runs this module with `python -m`, which warns when
    # the package's __init__ (importing this command) has loaded it already.
    from shipcaptaincrew.cli.delivery_worker import delivery_process
    from shipcaptaincrew.cli.listening import bind, serve_on

    settings = load_settings(port)
    if with_demo and "SCC_DATA_DIR" not in os.environ:
        settings = replace(settings, data_dir=DEMO_DATA_DIR)
    ctx = open_context(settings)
    host, port = host or settings.host, settings.port
    listening = bind(host, port)  # before anything is printed or created: a taken port costs nothing
    click.echo(f"Data folder: {settings.data_dir.resolve()}")
    scc = _as_typed(demo_folder=with_demo and "SCC_DATA_DIR" not in os.environ)
    if with_demo:
        loaded = demo.load_demo_season(ctx)
        click.echo(f"Demo season: {loaded} events loaded." if loaded else "Demo season: the store has events; skipped.")
        if demo.load_sample_waiver(ctx):
            click.echo(f"Demo waiver: a sample text, marked as a sample; set your own with: {scc} waiver set FILE")
    new_password = admin.first_run_password(ctx)
    if waivers.current_waiver(ctx) is None:
        click.echo(
            "\n  No waiver text is set: guests cannot sign until you set your own.\n"
            f"  Write it (what holds depends on your trips and your jurisdiction), then run: {scc} waiver set FILE"
        )
    url = f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/"
    click.echo(f"\n  ShipCaptainCrew is at {url}")
    if new_password:
        click.echo(f"  Sign in with the admin password (shown until the first sign-in): {new_password}")
        click.echo(f"  Change it with: {scc} admin set-password\n")
    else:
        click.echo(f"  Sign in with the admin password (forgot it? {scc} admin set-password)\n")
    app = build_app(settings, ctx, deliver_mail=False)
    with delivery_process():  # mail goes out from a process of its own, on another core than the requests
        # No proxy headers: uvicorn would rewrite the peer from X-Forwarded-For for loopback connections. The app
        # alone decides the client's address, from SCC_TRUSTED_PROXIES (web/http.py client_address).
        config = uvicorn.Config(
            app, host=host, port=port, log_level="info", log_config=uvicorn_log_config(), proxy_headers=False
        )
        serve_on(listening, config)


def _as_typed(demo_folder: bool) -> str:
    """This command as it can be typed again where it was started: `scc` when that is the one on PATH, else its
    path (`.venv/bin/scc` in a checkout, as `make run` starts it); with the demo's data folder when serving it."""
    program, on_path = Path(sys.argv[0]), shutil.which("scc")
    typed = "scc"
    if program.name == "scc" and program.is_file() and not (on_path and os.path.samefile(on_path, program)):
        typed = os.path.relpath(program.absolute())
    return f"SCC_DATA_DIR={DEMO_DATA_DIR.name} {typed}" if demo_folder else typed
