"""`scc smoke` against a real `scc serve` on loopback, and against a server that answers everything with the
dispatch page, as S3 did when CloudFront misrouted the waiver pages."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from click.testing import CliRunner

from shipcaptaincrew.cli import cli
from tests.live_server import LiveServerFactory, free_port


@pytest.fixture
def application(live_server_factory: LiveServerFactory) -> str:
    return live_server_factory.shared().url


@pytest.fixture
def misrouted(dispatch_page_everywhere: str) -> str:
    """A site that answers every path with the dispatch page, as S3 does when CloudFront's routing is wrong."""
    return dispatch_page_everywhere


@pytest.fixture
def partly_wired() -> Iterator[str]:
    """Answers like the application, except that sign-in is not routed and the OpenAPI event lacks a field; its
    guest pages answer 404 with a page of their own wording."""
    answers = {
        "/healthz": (200, "application/json", b'{"status": "ok"}'),
        "/api/login": (404, "application/json", b'{"error": {"code": "not_found"}}'),
        "/api/openapi.json": (200, "application/json", json.dumps(WITHOUT_PAYMENT_CLEARED).encode()),
    }

    class PartlyWired(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, kind, body = answers.get(self.path, (401, "application/json", b'{"error": {}}'))
            if self.path.startswith("/g/"):
                status, kind, body = 404, "text/html; charset=utf-8", b"<!doctype html><p>Nothing here.</p>"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), PartlyWired)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


WITHOUT_PAYMENT_CLEARED = {
    "paths": {
        "/api/events": {
            "get": {
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventPageOut"}}}}
                }
            }
        }
    },
    "components": {
        "schemas": {
            "EventPageOut": {"properties": {"events": {"items": {"$ref": "#/components/schemas/EventOut"}}}},
            "EventOut": {"properties": {"slug": {"type": "string"}}},
        }
    },
}


def test_the_real_application_passes_every_check(application: str) -> None:
    result = CliRunner().invoke(cli, ["smoke", "--base-url", application, "--page", "prod"])

    assert result.exit_code == 0, result.output
    assert "all 7 checks passed" in result.output
    assert "✓ POST /api/login: 401 for a wrong password" in result.output
    assert "✓ GET /api/openapi.json: the event has payment_cleared" in result.output
    assert "✓ GET /g/2000-01-01-smoke-am/waiver: 404 from the application, not the dispatch page" in result.output
    assert "✓ GET /: the dispatch page is the one in this tree" in result.output


def test_sign_in_not_routed_and_an_event_without_payment_cleared_fail_whatever_the_guest_404_says(
    partly_wired: str,
) -> None:
    result = CliRunner().invoke(cli, ["smoke", "--base-url", partly_wired])

    assert result.exit_code == 1
    assert "✗ POST /api/login: 404 for a wrong password (expected 401" in result.output
    assert "✗ GET /api/openapi.json: the event has no payment_cleared" in result.output
    assert "✓ GET /g/2000-01-01-smoke-am/waiver" in result.output and "✓ GET /healthz" in result.output


def test_a_dispatch_page_other_than_the_one_uploaded_fails(misrouted: str) -> None:
    result = CliRunner().invoke(cli, ["smoke", "--base-url", misrouted, "--page", "staging"])

    assert "✗ GET /: the dispatch page is not the one in this tree" in result.output


def test_a_site_that_answers_everything_with_the_dispatch_page_fails(misrouted: str) -> None:
    result = CliRunner().invoke(cli, ["smoke", "--base-url", misrouted])

    assert result.exit_code == 1
    assert "✗ GET /g/2000-01-01-smoke-am/waiver: 200: answered by the dispatch page (S3)" in result.output
    assert "✗ GET /api/events" in result.output and "✗ GET /healthz" in result.output
    assert "smoke test of" in result.output and "failed" in result.output


def test_nothing_listening_fails_each_check_with_a_message() -> None:
    result = CliRunner().invoke(cli, ["smoke", "--base-url", f"http://127.0.0.1:{free_port()}"])

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.count("✗") == 6
