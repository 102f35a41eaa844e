"""A moto server on a free loopback port that answers one request at a time, for tests (and the load benchmark)
that run `scc serve` on DynamoDB.

Why one at a time: moto applies a TransactWriteItems item by item and undoes a failed one by restoring a copy of
the whole table taken when it began, so with requests served side by side a cancelled transaction can erase
another's committed writes, or bring back its own. DynamoDB's transactions are atomic and isolated; served one
request at a time, moto's are too. Use cases still interleave between their calls (a read, then the commit),
which is the race the store must handle.

Standard library, moto and werkzeug only: `python tests/moto_server.py PORT` runs the server itself.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REGION = "us-east-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
}
"""Dummy credentials: moto takes any, and boto3 wants some before it sends a request."""


@contextmanager
def moto_server() -> Iterator[str]:
    """Start the server on a free loopback port, wait until it answers, yield its URL; stop it after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen([sys.executable, str(Path(__file__)), str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(server, url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_it_answers(server: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the moto server did not start") from None
            time.sleep(0.1)


class OneRequestAtATime:
    """WSGI middleware: each request is answered whole (its body read out) before the next one starts."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app, self.lock = app, threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self.lock:
            return list(self.app(environ, start_response))


def serve(port: int) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    app = OneRequestAtATime(DomainDispatcherApplication(create_backend_app))
    run_simple("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
