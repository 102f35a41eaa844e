"""What the function checks before the application sees a request: that it came through CloudFront, who the
viewer is, and the stage's path prefix.

CloudFront adds a secret header to every request it forwards to a Function URL (whose auth type is NONE); a
request without it reached the URL directly and gets 403. The staging function is reached under `/_staging/`;
the prefix is moved from `path` to `root_path`, so routes match as locally and guest pages build their links
with it.

The Function URL's source address is a CloudFront edge server, shared by every viewer it serves. CloudFront sends
the viewer's own address in `CloudFront-Viewer-Address` (`address:port`); once the origin secret proves the
request came through CloudFront, that address becomes the request's peer. Without a secret configured the header
is the caller's own word and is not believed.
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from shipcaptaincrew.domain.addresses import viewer_address

ORIGIN_HEADER = b"x-origin-secret"
VIEWER_HEADER = b"cloudfront-viewer-address"
FORBIDDEN = b'{"error":{"code":"forbidden","message":"this address only answers requests sent through the site"}}'
FORBIDDEN_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(FORBIDDEN)).encode()),
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
]


class EdgeGuard:
    def __init__(self, app: ASGIApp, origin_secret: str | None = None, path_prefix: str = "") -> None:
        self.app = app
        self.secret = origin_secret.encode() if origin_secret else None
        self.prefix = path_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.secret is not None and not self._from_origin(scope):
            await send({"type": "http.response.start", "status": 403, "headers": FORBIDDEN_HEADERS})
            await send({"type": "http.response.body", "body": FORBIDDEN})
            return
        if self.secret is not None:
            scope = self._from_viewer(scope)
        await self.app(self._unprefixed(self._without_secret(scope)), receive, send)

    def _from_origin(self, scope: Scope) -> bool:
        sent = [value for name, value in scope["headers"] if name.lower() == ORIGIN_HEADER]
        return len(sent) == 1 and self.secret is not None and hmac.compare_digest(sent[0], self.secret)

    def _from_viewer(self, scope: Scope) -> Scope:
        """The viewer CloudFront saw as the peer (port and all), when it sent exactly one parseable address."""
        sent = [value for name, value in scope["headers"] if name.lower() == VIEWER_HEADER]
        address = viewer_address(sent[0].decode("latin-1")) if len(sent) == 1 else None
        if address is None:
            return scope
        port = sent[0].rpartition(b":")[2]
        return {**scope, "client": (address, int(port))}

    def _without_secret(self, scope: Scope) -> Scope:
        """The application never sees the header, so nothing downstream can echo or log it."""
        return {
            **scope,
            "headers": [(name, value) for name, value in scope["headers"] if name.lower() != ORIGIN_HEADER],
        }

    def _unprefixed(self, scope: Scope) -> Scope:
        path: str = scope["path"]
        if not self.prefix or not (path == self.prefix or path.startswith(self.prefix + "/")):
            return scope
        raw = scope.get("raw_path")
        return {
            **scope,
            "path": path[len(self.prefix) :] or "/",
            "raw_path": raw[len(self.prefix) :]
            if isinstance(raw, bytes) and raw.startswith(self.prefix.encode())
            else raw,
            "root_path": scope.get("root_path", "") + self.prefix,
        }
