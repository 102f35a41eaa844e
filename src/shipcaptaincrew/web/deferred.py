"""Routes whose module is imported on the first request that may be one of them.

A Lambda container is often started by a request for the board's event list; importing the guest pages, the
waiver, roster and payment endpoints (and the domain and use-case modules behind them) first would add to
every such cold start. A DeferredRoutes holds a module's routes in the route table, in their place, and
imports the module only when a request's path starts with one of the prefixes it declares.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

MATCHED = "scc.deferred_route"  # the scope key carrying the inner route that matched, from matches() to handle()


class DeferredRoutes(BaseRoute):
    def __init__(self, prefixes: Sequence[str], load: Callable[[], Sequence[BaseRoute]]) -> None:
        """`prefixes`: every path of the loaded routes starts with one of these (a test holds the app to it)."""
        self.prefixes = tuple(prefixes)
        self._load = load

    @functools.cached_property
    def routes(self) -> list[BaseRoute]:
        return list(self._load())

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            return Match.NONE, {}
        partial: tuple[Match, Scope] | None = None
        for route in self.routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                return match, {**child, MATCHED: route}
            if match is Match.PARTIAL and partial is None:  # the path fits, the method does not: a 405 unless
                partial = match, {**child, MATCHED: route}  # a later route matches fully, as Starlette decides
        return partial or (Match.NONE, {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope[MATCHED].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)
