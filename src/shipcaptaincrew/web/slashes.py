"""A path missing (or carrying) a trailing slash is redirected by a relative Location, never built from Host.

Starlette's own trailing-slash redirect writes an absolute URL from the request's Host header, which a client
chooses: `Host: evil.example` would send the answer's reader to another site. This route, last in the table,
does the same redirect with the path alone (and the stage's prefix), so only our own host is ever named.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import URL
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send


class SlashRedirect(BaseRoute):
    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = routes
        """The table's other routes, which the other form of the path must reach."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["path"] == "/":
            return Match.NONE, {}
        other = {**scope, "path": _other_form(scope["path"])}
        for route in self.routes:
            if route is not self and route.matches(other)[0] is not Match.NONE:
                return Match.FULL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # one leading slash: "//host/..." would be read as another site's address
        location = scope.get("root_path", "") + "/" + _other_form(scope["path"]).lstrip("/")
        query = scope.get("query_string", b"").decode("latin-1")
        await RedirectResponse(str(URL(location + (f"?{query}" if query else ""))))(scope, receive, send)


def _other_form(path: str) -> str:
    return path.rstrip("/") if path.endswith("/") else path + "/"
