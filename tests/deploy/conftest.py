"""A moto server on loopback (one per session, reset for each test) behind the RevisionId proxy, and the real
`aws` CLI pointed at it with dummy credentials."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from shipcaptaincrew import lambda_function
from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.deploy.package import RECORD, Target, entries, write_zip
from shipcaptaincrew.deploy.site_files import DISPATCH
from tests.builders import PASSWORD
from tests.deploy.handler_calls import SECRET_KEY
from tests.deploy.revision_proxy import RevisionProxy

BIN = Path(sys.executable).parent
REGION = "us-east-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
ROLE = "arn:aws:iam::123456789012:role/scc-lambda"


@dataclass
class Aws:
    """The real aws CLI against the emulator, for what a test checks; boto3 (`client`) for setting the scene."""

    endpoint: str

    def __call__(self, *args: str) -> Any:
        """`aws <args>` with the emulator's endpoint and JSON output: the CLI's own driver, as the `aws` script
        runs it, in this process (a process of its own would spend half a second starting Python each call)."""
        from awscli.clidriver import create_clidriver

        printed, complained = io.StringIO(), io.StringIO()
        with mock.patch.dict(os.environ, CREDENTIALS), redirect_stdout(printed), redirect_stderr(complained):
            status = create_clidriver().main([*args, "--endpoint-url", self.endpoint, "--output", "json"])
        assert status == 0, complained.getvalue()
        return json.loads(printed.getvalue()) if printed.getvalue().strip() else None

    def client(self, service: str = "lambda") -> Any:
        """boto3, for setting the scene and for reads the test does not check; the CLI reads back what it checks."""
        import boto3

        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint)

    def configuration(self, function: str, qualifier: str = "$LATEST") -> dict[str, Any]:
        answer: dict[str, Any] = self(
            "lambda", "get-function-configuration", "--function-name", function, "--qualifier", qualifier
        )
        return answer

    def environment(self, function: str, qualifier: str = "$LATEST") -> dict[str, str]:
        found: dict[str, str] = self.configuration(function, qualifier).get("Environment", {}).get("Variables", {})
        return found

    def create_function(self, function: str, package: Path, variables: dict[str, str]) -> None:
        self.client().create_function(
            FunctionName=function,
            Runtime="python3.12",
            Role=ROLE,
            Handler="shipcaptaincrew.lambda_function.lambda_handler",
            Code={"ZipFile": package.read_bytes()},
            Timeout=15,
            Environment={"Variables": variables},
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def moto_port() -> Iterator[int]:
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture(scope="session")
def proxy(moto_port: int) -> Iterator[RevisionProxy]:
    running = RevisionProxy(moto_port).start()
    yield running
    running.stop()


@pytest.fixture
def aws(proxy: RevisionProxy, moto_port: int, monkeypatch: pytest.MonkeyPatch) -> Aws:
    """A clean emulator with the Lambda role in place; boto3 in this process gets the dummy credentials too."""
    reset = urllib.request.Request(f"http://127.0.0.1:{moto_port}/moto-api/reset", method="POST")
    urllib.request.urlopen(reset, timeout=10).close()
    proxy.reset()
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    cli = Aws(proxy.url)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}
        ],
    }
    cli.client("iam").create_role(RoleName="scc-lambda", AssumeRolePolicyDocument=json.dumps(trust))
    return cli


def a_package(folder: Path, marker: str, target: Target | None = None) -> Path:
    """A zip of this project's own code, as `scc package` lays it out (the dependencies come from the test
    environment instead of being bundled); `marker` makes its bytes (and CodeSha256) differ."""
    source = folder / f"src-{marker}"
    source.mkdir(parents=True)
    (source / "build-marker.txt").write_text(f"build {marker}\n")
    (source / RECORD).write_bytes((target or Target()).record())
    files = {
        **entries(source / "no-dependencies"),
        "build-marker.txt": source / "build-marker.txt",
        RECORD: source / RECORD,
    }
    return write_zip(files, folder / f"{marker}.zip").path


def code_that_does_not_start(folder: Path, marker: str) -> Path:
    """A zip that says it was built by `scc package` but whose handler cannot be imported (a broken build)."""
    source = folder / f"src-{marker}"
    source.mkdir(parents=True)
    (source / "lambda_function.py").write_text(f"# build {marker}\n")
    (source / RECORD).write_bytes(Target().record())
    files = {"lambda_function.py": source / "lambda_function.py", RECORD: source / RECORD}
    return write_zip(files, folder / f"{marker}.zip").path


@pytest.fixture
def handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """lambda_handler in a fresh container, configured as on Lambda; the root logger put back afterwards."""
    admin_hash = Argon2Hasher(time_cost=1, memory_cost_kib=8 * 1024).hash(PASSWORD)
    settings = {
        "SCC_DATA_DIR": str(tmp_path / "data"),
        "SCC_SECRET_KEY": SECRET_KEY,
        "SCC_ADMIN_PASSWORD_HASH": admin_hash,
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    root, application = logging.getLogger(), logging.getLogger("shipcaptaincrew")
    saved = root.handlers[:], root.level, application.level
    # Lambda calls the handler on one thread with no event loop running; so do these tests (the browser
    # tests' Playwright keeps one running on pytest's main thread).
    with ThreadPoolExecutor(max_workers=1) as lambda_thread:
        lambda_thread.submit(lambda_function._reset).result()
        yield lambda event, context: lambda_thread.submit(lambda_function.lambda_handler, event, context).result()
        lambda_thread.submit(lambda_function._reset).result()
    root.handlers = saved[0]
    root.setLevel(saved[1])
    application.setLevel(saved[2])


@pytest.fixture
def dispatch_page_everywhere() -> Iterator[str]:
    """A site whose every path answers with the dispatch page, as S3 does when routing is wrong."""
    page = (DISPATCH / "index.html").read_bytes()

    class Everywhere(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        do_POST = do_GET

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Everywhere)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
