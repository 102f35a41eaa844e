"""ASGI middleware: security headers on every response, and a cap on request body size."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shipcaptaincrew.web.errors import error_response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"strict-transport-security", b"max-age=31536000"),
]
MAX_BODY = 64 * 1024


PRIVATE_PREFIXES = ("/api/", "/g/", "/cal/", "/day/")
"""Answers under these carry personal data (the API, guest pages and signed copies, crew calendars and day sheets)."""
PUBLIC_UNDER_PRIVATE = ("/g/_static/", "/day/_static/")


def carries_personal_data(path: str) -> bool:
    return path.startswith(PRIVATE_PREFIXES) and not path.startswith(PUBLIC_UNDER_PRIVATE)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        private = carries_personal_data(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if private:  # whatever the route said: no shared or browser cache may keep a copy
                    headers = [(name, value) for name, value in headers if name.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                present = {name.lower() for name, _ in headers}
                message["headers"] = [*headers, *((name, value) for name, value in HEADERS if name not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Answer 413 before reading more than `limit` bytes, whether or not Content-Length was sent."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY, limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = limit
        self.limits = limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = next((size for prefix, size in self.limits.items() if scope["path"].startswith(prefix)), self.default)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > limit:
            await error_response(413, "too_large", _message(limit), "body", Connection="close")(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, _message(limit))
            return message

        await self.app(scope, counting_receive, send)


def _message(limit: int) -> str:
    return f"the request body is larger than {limit // 1024} KB"
