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

import json
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
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__)), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
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
    """WSGI middleware: each request is answered whole (its body read out) before the next one starts.

    It also counts the DynamoDB operations it answered, and those refused (a cancelled TransactWriteItems: a
    condition failed), by name; `GET /_tally` answers the counts as JSON (see `tally`)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app, self.lock = app, threading.Lock()
        self.counts: dict[str, int] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if environ.get("PATH_INFO") == "/_tally":
            body = json.dumps(self.counts).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        operation = str(environ.get("HTTP_X_AMZ_TARGET", "")).rpartition(".")[2]
        statuses: list[str] = []

        def recorded(status: str, headers: list[tuple[str, str]], *more: Any) -> Any:
            statuses.append(status)
            return start_response(status, headers, *more)

        with self.lock:
            answer = list(self.app(environ, recorded))
            if operation:
                self._count(operation)
                if statuses and not statuses[0].startswith("2"):
                    self._count(f"{operation} refused")
        return answer

    def _count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1


def tally(url: str) -> dict[str, int]:
    """The DynamoDB operations the server at `url` has answered so far, by name (and "<name> refused")."""
    with urllib.request.urlopen(f"{url}/_tally", timeout=10) as answer:
        counts: dict[str, int] = json.loads(answer.read())
    return counts


def serve(port: int) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    app = OneRequestAtATime(DomainDispatcherApplication(create_backend_app))
    run_simple("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
