"""Real servers on loopback for the mail transports: aiosmtpd, an SMTP server that hangs up, and a fake Google
(the OAuth token endpoint and Gmail's users.messages.send) speaking their HTTP protocols."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import ipaddress
import json
import socket
import socketserver
import ssl
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SMTP_USER, SMTP_PASSWORD = "dispatch", "s3cret-smtp-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def throwaway_certificate(folder: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    paths = Certificate(folder / "cert.pem", folder / "key.pem")
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class RecordingHandler:
    """Accepts mail, after refusing the first `refusals` DATA commands with a 4xx answer."""

    refusals: int = 0
    received: list[Received] = field(default_factory=list)
    tries: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.tries += 1
        if self.tries <= self.refusals:
            return "451 4.3.0 Mailbox busy, try again later"
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Ok: queued as TEST123"


@dataclass
class StallingHandler(RecordingHandler):
    """Takes the message, then answers DATA only after `stall_seconds`, or as soon as `released` is set."""

    stall_seconds: float = 17.0
    released: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.get_running_loop().run_in_executor(None, self.released.wait, self.stall_seconds)
        return await super().handle_DATA(server, session, envelope)


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        SMTP_USER.encode(),
        SMTP_PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself


@contextmanager
def smtp_server(
    handler: RecordingHandler, certificate: Certificate | None = None, implicit_tls: bool = False, auth: bool = False
) -> Iterator[int]:
    """aiosmtpd on 127.0.0.1: plain, STARTTLS (a certificate given) or implicit TLS; AUTH only over TLS."""
    options: dict[str, Any] = {"decode_data": False}
    if auth:  # aiosmtpd counts only STARTTLS as TLS, so implicit TLS must not "require" it (the socket is TLS)
        options.update(authenticator=_authenticator, auth_require_tls=not implicit_tls)
    if certificate and implicit_tls:
        options["ssl_context"] = certificate.server_context()
    elif certificate:
        options.update(tls_context=certificate.server_context(), require_starttls=True)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, server_hostname="localhost", **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@contextmanager
def hanging_up_smtp_server(after: bytes = b"DATA") -> Iterator[int]:
    """An SMTP server that answers normally until the client sends `after`, then drops the connection."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.wfile.write(b"220 flaky.example ESMTP\r\n")
            for line in self.rfile:
                if line.upper().startswith(after):
                    return  # hang up without an answer
                if line.upper().startswith((b"EHLO", b"HELO")):
                    self.wfile.write(b"250-flaky.example\r\n250 8BITMIME\r\n")
                else:
                    self.wfile.write(b"250 OK\r\n")

    with _serving(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)) as port:
        yield port


@dataclass
class FakeGoogle:
    """Google's OAuth token endpoint and Gmail's send call, as far as ShipCaptainCrew uses them."""

    client_id: str = "client-123.apps.example"
    client_secret: str = "client-secret-xyz"
    refresh_tokens: set[str] = field(default_factory=lambda: {"refresh-good"})
    codes: dict[str, str] = field(default_factory=dict)  # authorization code -> PKCE challenge
    expires_in: int = 3600
    token_calls: list[dict[str, str]] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    revoked_access: set[str] = field(default_factory=set)
    sent: list[bytes] = field(default_factory=list)
    send_status: int = 200
    down: bool = False
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.token_calls.append(form)
        if self.down:
            return 503, {"error": "backend_error"}
        if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            return 200, self._access()
        if form.get("grant_type") == "authorization_code":
            challenge = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "").encode()
            expected = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).decode().rstrip("=")
            if challenge != expected:
                return 400, {"error": "invalid_grant", "error_description": "Bad code or verifier."}
            self.refresh_tokens.add("refresh-new")
            return 200, {**self._access(), "refresh_token": "refresh-new"}
        return 400, {"error": "unsupported_grant_type"}

    def send(self, authorization: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        token = authorization.removeprefix("Bearer ")
        if token not in self.issued or token in self.revoked_access:
            return 401, {"error": {"code": 401, "message": "Request had invalid authentication credentials."}}
        if self.send_status != 200:
            return self.send_status, {"error": {"code": self.send_status, "message": "Backend Error"}}
        self.sent.append(base64.urlsafe_b64decode(body["raw"]))
        return 200, {"id": f"gmail-{len(self.sent)}", "threadId": "t1", "labelIds": ["SENT"]}

    def _access(self) -> dict[str, Any]:
        self.issued.append(f"access-{len(self.issued) + 1}")
        return {
            "access_token": self.issued[-1],
            "expires_in": self.expires_in,
            "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/gmail.send",
        }


@contextmanager
def fake_google(google: FakeGoogle | None = None) -> Iterator[FakeGoogle]:
    google = google or FakeGoogle()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path == "/token":
                form = {key: values[0] for key, values in urllib.parse.parse_qs(body.decode()).items()}
                status, answer = google.token(form)
            elif self.path == "/gmail/v1/users/me/messages/send":
                status, answer = google.send(self.headers.get("Authorization", ""), json.loads(body))
            else:
                status, answer = 404, {"error": "not_found"}
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with _serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as port:
        google.port = port
        yield google


@contextmanager
def _serving(server: socketserver.TCPServer) -> Iterator[int]:
    server.daemon_threads = True  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)  # quick to shut down
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
