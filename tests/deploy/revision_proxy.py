"""A loopback proxy in front of moto that gives Lambda functions the RevisionId AWS documents.

Moto's Lambda has no RevisionId on functions (its docs say so), so on its own a deploy's optimistic lock
could not be tested. This proxy keeps one revision per function: it adds it to every read of $LATEST, bumps
it on every successful code or configuration update, and answers 412 PreconditionFailedException when an
update or a publish carries a RevisionId that is not the current one, as AWS does. Everything else passes
through to moto unchanged, so the aws CLI and boto3 see one endpoint.

Three more things moto lacks are filled in the same way: UpdateFunctionCode's `Architectures` (moto keeps the
architecture a function was created with; the proxy remembers the new one for $LATEST and for the versions
published from it); GetFunction's `Code.Location`, which the proxy points at itself, serving the zip it kept;
and Invoke, which moto runs only in Docker: it goes to `lambda_invoke.InvokeStandIn`, which runs the function's
real handler from the code it was given.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from tests.deploy.lambda_invoke import InvokeStandIn

FUNCTION = re.compile(r"^/2015-03-31/functions/([^/]+)(?:/(code|configuration|versions))?/?$")
CREATE = re.compile(r"^/2015-03-31/functions/?$")
CODE = "/_code/"
"""Where the proxy serves each zip it kept: GetFunction's Code.Location (moto's names a host on the internet)."""
INVOKE = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations/?$")
QUALIFIED_ARN = re.compile(r"^arn:[^:]+:lambda:[^:]+:\d+:function:([^:]+)(?::([^:]+))?$")
HOP_HEADERS = ("content-length", "transfer-encoding", "connection", "server", "date")
MISMATCH = "The Revision Id provided does not match the latest Revision Id. Call the GetFunction API to retrieve it."


class RevisionProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.revisions: dict[str, str] = {}
        self.architectures: dict[tuple[str, str], list[str]] = {}
        """(function, "$LATEST" or a version) → Architectures set by UpdateFunctionCode."""
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.1, so that an `Expect: 100-continue` (botocore sends one with every S3 upload) is answered at
            # once; under HTTP/1.0 the client waits a second for the answer before it sends the body.
            protocol_version = "HTTP/1.1"
            # The head and the body of an answer go out in two writes; with Nagle's algorithm on, the body waits
            # for the client's delayed ACK of the head (about 40 ms) on every answer of a kept-alive connection.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                proxy.handle(self)

            do_PUT = do_POST = do_DELETE = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.lambdas = InvokeStandIn(f"http://127.0.0.1:{upstream_port}", self.url)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> RevisionProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.lambdas.close()

    def reset(self) -> None:
        with self.lock:
            self.revisions.clear()
            self.architectures.clear()
        self.lambdas.reset()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        parts = urlsplit(request.path)
        if parts.path.startswith(CODE) and request.command == "GET":
            return _answer(
                request,
                200,
                self.lambdas.code[unquote(parts.path[len(CODE) :])],
                headers={"Content-Type": "application/zip"},
            )
        invoked = INVOKE.match(parts.path)
        if invoked and request.command == "POST":
            return self._invoke(request, unquote(invoked.group(1)), parse_qs(parts.query), body)
        match = FUNCTION.match(parts.path)
        with self.lock:  # one request at a time: the check and the update must not interleave
            if match and request.command in ("PUT", "POST") and self._stale(match, body):
                return _answer(request, 412, {"Type": "User", "message": MISMATCH}, "PreconditionFailedException")
            status, headers, answer = self._forward(request, body)
            if status < 300:
                self._keep_code(request.command, parts.path, match, body)
            if match and status < 300 and answer:
                answer = json.dumps(self._revised(request.command, match, parse_qs(parts.query), json.loads(answer)))
        _answer(request, status, answer, headers=headers)

    def _keep_code(self, method: str, path: str, match: re.Match[str] | None, body: bytes) -> None:
        """Keep each zip a function is given, for Invoke; and the architecture an update sets (moto drops it)."""
        if method == "POST" and CREATE.match(path):
            self.lambdas.keep_code(json.loads(body).get("Code", {}).get("ZipFile", ""))
        elif method == "PUT" and match and match.group(2) == "code":
            sent = json.loads(body)
            self.lambdas.keep_code(sent.get("ZipFile", ""))
            if sent.get("Architectures"):
                self.architectures[(unquote(match.group(1)), "$LATEST")] = sent["Architectures"]

    def _invoke(self, request: BaseHTTPRequestHandler, name: str, query: dict[str, list[str]], body: bytes) -> None:
        arn = QUALIFIED_ARN.match(name)
        function, qualifier = (arn.group(1), arn.group(2)) if arn else (name, None)
        qualifier = query.get("Qualifier", [qualifier or "$LATEST"])[0]
        reading = f"/2015-03-31/functions/{quote(function, safe='')}/configuration?Qualifier={quote(qualifier)}"
        signed = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "x-amz-date")}
        status, _, configuration = self._request("GET", reading, b"", signed)  # moto routes by the signature
        if status >= 300:
            return _answer(request, status, configuration, "ResourceNotFoundException")
        kind = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        status, headers, answer = self.lambdas.invoke(json.loads(configuration), kind, body)
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
        self._architecture(method, action, name, answer)
        if method == "GET" and action is None and "Code" in answer:
            sha = answer["Configuration"]["CodeSha256"]
            answer["Code"]["Location"] = f"{self.url}{CODE}{quote(sha, safe='')}"  # moto's points at AWS itself
        if action == "versions" or query.get("Qualifier", ["$LATEST"])[0] != "$LATEST":
            return answer  # a published version keeps its own revision; only $LATEST's is tracked
        revision = self.revisions.setdefault(name, str(uuid.uuid4()))
        (answer["Configuration"] if "Configuration" in answer else answer)["RevisionId"] = revision
        return answer

    def _architecture(self, method: str, action: str | None, name: str, answer: dict[str, Any]) -> None:
        configuration = answer.get("Configuration", answer)
        version = str(configuration.get("Version", "$LATEST"))
        if method == "POST" and action == "versions" and (name, "$LATEST") in self.architectures:
            self.architectures[(name, version)] = self.architectures[(name, "$LATEST")]
        if (name, version) in self.architectures:
            configuration["Architectures"] = self.architectures[(name, version)]

    def _forward(self, request: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], Any]:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        return self._request(request.command, request.path, body, headers)

    def _request(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        """Ask moto; the answer's body comes back as bytes, untouched (S3 objects are checksummed)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            kept = {k: v for k, v in response.getheaders() if k.lower() not in HOP_HEADERS}
        finally:
            connection.close()
        return response.status, kept, raw


def _answer(
    request: BaseHTTPRequestHandler,
    status: int,
    body: Any,
    error_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
    request.send_response(status)
    for name, value in (headers or {"Content-Type": "application/json"}).items():
        request.send_header(name, value)
    if error_type:
        request.send_header("x-amzn-ErrorType", error_type)
    request.send_header("Content-Length", str(len(raw)))
    request.end_headers()
    request.wfile.write(raw)
