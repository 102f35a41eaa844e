"""The board's poll, answered before Starlette: a cached `GET /api/events` page for a valid token.

Measured: routing, the request object and the endpoint wrappers cost more than the rest of a cached answer
(bench/events_list.py). Anything this cannot answer (no token, a bad one, a page not cached yet) goes on to
the application, which does the full work and fills the cache, so the answers are the same either way.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

from starlette.types import ASGIApp, Receive, Scope, Send

from shipcaptaincrew.domain.errors import DomainError
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.board_health import BoardHealth
from shipcaptaincrew.web.http import token_in
from shipcaptaincrew.web.page_cache import PageCache

PATH = "/api/events"
_JSON = [(b"content-type", b"application/json")]


def events_page_key(generation: int, today: date, query_string: bytes) -> Hashable:
    """The one definition of the events page's cache key, shared with the full route in api.py."""
    return ("events", generation, today, query_string)


def data_etag(generation: int, today: date) -> str:
    """The ETag of an answer read from the store's data at `generation` (a listing's default window moves with
    today): the same for every answer at one generation, so a poll that changed nothing costs no store read."""
    return f'W/"{generation}-{today.isoformat()}"'


def is_a_poll(scope_headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the request sends back an ETag (If-None-Match): the board's poll, not its first load."""
    return any(name == b"if-none-match" for name, _ in scope_headers)


def not_modified(scope_headers: list[tuple[bytes, bytes]], etag: str) -> bool:
    """Whether the request's If-None-Match names `etag` (or is `*`)."""
    for name, value in scope_headers:
        if name == b"if-none-match":
            sent = {tag.strip() for tag in value.decode("latin-1").split(",")}
            return etag in sent or "*" in sent
    return False


class CachedEventsPage:
    def __init__(self, app: ASGIApp, ctx: Context, pages: PageCache, health: BoardHealth) -> None:
        self.app = app
        self.ctx = ctx
        self.pages = pages
        self.health = health

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self._cached(scope) if scope["type"] == "http" and scope["path"] == PATH else None
        if found is None:
            await self.app(scope, receive, send)
            return
        etag, page = found
        tag = (b"etag", etag.encode())
        said = self.health.headers() if is_a_poll(scope["headers"]) else []  # the board's banners ride on its poll
        if not_modified(scope["headers"], etag):
            await send({"type": "http.response.start", "status": 304, "headers": [tag, *said]})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [*_JSON, (b"content-length", str(len(page)).encode()), tag, *said]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": page})

    def _cached(self, scope: Scope) -> tuple[str, bytes] | None:
        """The ETag and the cached page for a GET with a valid token; a 304 needs only the ETag, not the page."""
        if scope["method"] != "GET":
            return None
        token = _bearer(scope)
        if token is None:
            return None
        try:
            session = admin.check_token(self.ctx, token)
        except DomainError:
            return None  # the application gives the proper 401
        except Exception:  # outside Starlette's error handling: let the application meet it and answer it
            return None
        today = self.ctx.clock.now().date()
        etag = data_etag(session.generation, today)
        if not_modified(scope["headers"], etag):
            return etag, b""
        page = self.pages.get(events_page_key(session.generation, today, scope["query_string"]))
        return None if page is None else (etag, page)


def _bearer(scope: Scope) -> str | None:
    """The bearer token as `http.bearer_token` reads it, from the raw headers (no Request is built here)."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return token_in(value.decode("latin-1"))
    return None
