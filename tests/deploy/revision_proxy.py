"""A loopback proxy in front of moto that gives Lambda functions the RevisionId AWS documents.

Moto's Lambda has no RevisionId on functions (its docs say so), so on its own a deploy's optimistic lock
could not be tested. This proxy keeps one revision per function: it adds it to every read of $LATEST, bumps
it on every successful code or configuration update, and answers 412 PreconditionFailedException when an
update or a publish carries a RevisionId that is not the current one, as AWS does. Everything else passes
through to moto unchanged, so the aws CLI and boto3 see one endpoint.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FUNCTION = re.compile(r"^/2015-03-31/functions/([^/]+)(?:/(code|configuration|versions))?/?$")
HOP_HEADERS = ("content-length", "transfer-encoding", "connection", "server", "date")
MISMATCH = "The Revision Id provided does not match the latest Revision Id. Call the GetFunction API to retrieve it."


class RevisionProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.revisions: dict[str, str] = {}
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.1, so that an `Expect: 100-continue` (botocore sends one with every S3 upload) is answered at
            # once; under HTTP/1.0 the client waits a second for the answer before it sends the body.
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                proxy.handle(self)

            do_PUT = do_POST = do_DELETE = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> RevisionProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.revisions.clear()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        parts = urlsplit(request.path)
        match = FUNCTION.match(parts.path)
        with self.lock:  # one request at a time: the check and the update must not interleave
            if match and request.command in ("PUT", "POST") and self._stale(match, body):
                return _answer(request, 412, {"Type": "User", "message": MISMATCH}, "PreconditionFailedException")
            status, headers, answer = self._forward(request, body)
            if match and status < 300:
                answer = self._revised(request.command, match, parse_qs(parts.query), answer)
        _answer(request, status, answer, headers=headers)

    def _stale(self, match: re.Match[str], body: bytes) -> bool:
        name, action = unquote(match.group(1)), match.group(2)
        if action not in ("code", "configuration", "versions"):
            return False
        sent = json.loads(body or b"{}").get("RevisionId")
        return sent is not None and sent != self.revisions.get(name)

    def _revised(self, method: str, match: re.Match[str], query: dict[str, list[str]], answer: Any) -> Any:
        name, action = unquote(match.group(1)), match.group(2)
        if not isinstance(answer, dict):
            return answer
        if method in ("PUT", "POST") and action in ("code", "configuration", None):
            name = answer.get("FunctionName", name)
            self.revisions[name] = str(uuid.uuid4())
        if action == "versions" or query.get("Qualifier", ["$LATEST"])[0] != "$LATEST":
            return answer  # a published version keeps its own revision; only $LATEST's is tracked
        revision = self.revisions.setdefault(name, str(uuid.uuid4()))
        (answer["Configuration"] if "Configuration" in answer else answer)["RevisionId"] = revision
        return answer

    def _forward(self, request: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        try:
            headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
            connection.request(request.command, request.path, body=body or None, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            kept = {k: v for k, v in response.getheaders() if k.lower() not in HOP_HEADERS}
        finally:
            connection.close()
        try:
            return response.status, kept, json.loads(raw) if raw else raw
        except ValueError:
            return response.status, kept, raw


def _answer(request: BaseHTTPRequestHandler, status: int, body: Any, error_type: str | None = None,
            headers: dict[str, str] | None = None) -> None:  # fmt: skip
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    request.send_response(status)
    for name, value in (headers or {"Content-Type": "application/json"}).items():
        request.send_header(name, value)
    if error_type:
        request.send_header("x-amzn-ErrorType", error_type)
    request.send_header("Content-Length", str(len(raw)))
    request.end_headers()
    request.wfile.write(raw)
