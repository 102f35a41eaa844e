"""The local server's port: bound before `scc serve` prints or creates anything, then handed to uvicorn.

Imported by `scc serve` only, when it runs (uvicorn stays off every other command's import path)."""

from __future__ import annotations

import errno
import logging
import socket

import click
import uvicorn


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port as uvicorn binds one; a port already taken is an error that says how to pick
    another."""
    listening = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as error:
        listening.close()
        if error.errno != errno.EADDRINUSE:
            raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None
        another = 8002 if port == 8001 else 8001
        raise click.ClickException(
            f"port {port} is taken (address already in use), by another program or another scc serve. "
            f"Pick another: SCC_PORT={another} make run, or scc serve --port {another}"
        ) from None
    return listening


class _AnnouncedServer(uvicorn.Server):
    """uvicorn announces a socket it was handed only when it bound it itself: say it here, once it listens."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and sockets:
            host, port = sockets[0].getsockname()[:2]
            shown = f"[{host}]" if ":" in host else host
            logging.getLogger("uvicorn.error").info(
                "Uvicorn running on http://%s:%d (Press CTRL+C to quit)", shown, port
            )


def serve_on(listening: socket.socket, config: uvicorn.Config) -> None:
    """Run the app of `config` on the bound socket until it is stopped."""
    _AnnouncedServer(config).run(sockets=[listening])
