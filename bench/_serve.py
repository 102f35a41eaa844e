"""Serve one benchmark target with uvicorn on loopback, until stopped.

`python bench/_serve.py app PORT`: the real application, built as `scc serve` builds it, on SCC_DATA_DIR, with
its mail delivery process beside it.
`python bench/_serve.py bytes PORT FILE PATH`: the baseline, a bare Starlette route at PATH answering FILE's
bytes as application/json.
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp


def application() -> ASGIApp:
    from shipcaptaincrew.bootstrap import build_app
    from shipcaptaincrew.config import Settings

    settings = Settings.from_env()
    return build_app(settings, deliver_mail=False)  # as `scc serve`: a delivery process sends the mail


def bytes_route(body: bytes, path: str) -> Starlette:
    async def answer(request: Request) -> Response:
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route(path, answer, methods=["GET"])])


def main(argv: list[str]) -> None:
    kind, port = argv[0], int(argv[1])
    if kind != "app":
        app = bytes_route(Path(argv[2]).read_bytes(), argv[3])
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        return
    from shipcaptaincrew.cli.delivery_worker import delivery_process

    with delivery_process():
        uvicorn.run(application(), host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main(sys.argv[1:])
