"""`scc smoke` against a real `scc serve` on loopback, and against a server that answers everything with the
dispatch page, as S3 did when CloudFront misrouted the waiver pages."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from click.testing import CliRunner

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy.site_files import DISPATCH
from tests.live_server import LiveServerFactory, free_port


@pytest.fixture
def application(live_server_factory: LiveServerFactory) -> str:
    return live_server_factory.shared().url


@pytest.fixture
def misrouted() -> Iterator[str]:
    page = (DISPATCH / "index.html").read_bytes()

    class DispatchPageForEverything(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        do_POST = do_GET

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), DispatchPageForEverything)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_real_application_passes_every_check(application: str) -> None:
    result = CliRunner().invoke(cli, ["smoke", "--base-url", application])

    assert result.exit_code == 0, result.output
    assert "all 4 checks passed" in result.output
    assert "✓ GET /g/2000-01-01-smoke-am/waiver: 404: the application's 'Charter not found' page" in result.output


def test_a_site_that_answers_everything_with_the_dispatch_page_fails(misrouted: str) -> None:
    result = CliRunner().invoke(cli, ["smoke", "--base-url", misrouted])

    assert result.exit_code == 1
    assert "✗ GET /g/2000-01-01-smoke-am/waiver: 200: answered by the dispatch page (S3)" in result.output
    assert "✗ GET /api/events" in result.output and "✗ GET /healthz" in result.output
    assert "smoke test of" in result.output and "failed" in result.output


def test_nothing_listening_fails_each_check_with_a_message() -> None:
    result = CliRunner().invoke(cli, ["smoke", "--base-url", f"http://127.0.0.1:{free_port()}"])

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.count("✗") == 4
