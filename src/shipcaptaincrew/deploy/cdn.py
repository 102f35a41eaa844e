"""The CloudFront routing table: which origin serves which path. The only source for the template's behaviors,
`scc cdn route` and `scc cdn check`.

CloudFront compares a request's path (never its query string) with each cache behavior's pattern in the order
the distribution lists them; the first match wins and the default behavior (`*`) comes last. Patterns are
case-sensitive, `*` matches any run of characters including `/`, `?` exactly one character, and a leading `/`
is optional. The old set-up let `/g/2026-05-23/waiver` fall through to the S3 default, which answered with the
dispatch page; every application path therefore has a behavior of its own, above the S3 ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

PROD_FUNCTION = "prod-function"
STAGING_FUNCTION = "staging-function"
SITE = "site"
ORIGINS = {
    PROD_FUNCTION: "the scc-prod function (Function URL)",
    STAGING_FUNCTION: "the scc-staging function (Function URL)",
    SITE: "the S3 bucket with the dispatch page",
}
FUNCTION_ORIGINS = (PROD_FUNCTION, STAGING_FUNCTION)
DEFAULT_PATTERN = "*"
STAGING_PREFIX = "/_staging"
ORIGIN_SECRET_HEADER = "X-Origin-Secret"
"""Added by CloudFront to every request it sends a function; `on_lambda/edge.py` checks it against SCC_ORIGIN_SECRET."""
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
"""AWS's managed cache policy CachingDisabled."""
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
"""AWS's managed cache policy CachingOptimized."""
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
"""AWS's managed origin request policy: everything the viewer sent but Host (a Function URL needs its own), plus
CloudFront's own request headers, VIEWER_ADDRESS_HEADER among them. A custom policy could not do both: `allExcept`
adds no CloudFront header, `allViewerAndWhitelistCloudFront` forwards Host, and `whitelist` cannot pass
Authorization."""
VIEWER_ADDRESS_HEADER = "CloudFront-Viewer-Address"
"""The viewer's `address:port` as CloudFront saw it; `on_lambda/edge.py` makes it the request's client."""


@dataclass(frozen=True)
class Route:
    pattern: str
    origin: str
    why: str
    example: str
    """A path this behavior must serve; `scc cdn check` asks the live distribution who serves it."""

    @property
    def function(self) -> bool:
        return self.origin in FUNCTION_ORIGINS


ROUTES: tuple[Route, ...] = (
    Route("/api/*", PROD_FUNCTION, "the admin API", "/api/events"),
    Route("/g/*", PROD_FUNCTION, "guest pages and waivers", "/g/2026-05-23/waiver"),
    Route("/cal/*", PROD_FUNCTION, "crew calendar feeds", "/cal/crew.ics"),
    Route("/day/*", PROD_FUNCTION, "crew day sheets", "/day/crew/sheet"),
    Route("/healthz", PROD_FUNCTION, "the health check", "/healthz"),
    Route("/_staging/api/*", STAGING_FUNCTION, "staging's admin API", "/_staging/api/events"),
    Route("/_staging/g/*", STAGING_FUNCTION, "staging's guest pages", "/_staging/g/2026-05-23/waiver"),
    Route("/_staging/cal/*", STAGING_FUNCTION, "staging's calendar feeds", "/_staging/cal/crew.ics"),
    Route("/_staging/day/*", STAGING_FUNCTION, "staging's day sheets", "/_staging/day/crew/sheet"),
    Route("/_staging/healthz", STAGING_FUNCTION, "staging's health check", "/_staging/healthz"),
    Route("/_staging/*", SITE, "the staging copy of the dispatch page (keys under _staging/)", "/_staging/"),
)
DEFAULT = Route(DEFAULT_PATTERN, SITE, "the dispatch page", "/")
"""The default behavior: CloudFront applies it last, to whatever no pattern above matched."""


def matches(pattern: str, path: str) -> bool:
    """Whether CloudFront's path `pattern` matches `path` (case-sensitive; `*` crosses `/`, `?` is one char)."""
    return _compiled(pattern).fullmatch(path) is not None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern == DEFAULT_PATTERN:
        return re.compile(".*", re.DOTALL)
    body = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern.lstrip("/"))
    return re.compile("/" + body, re.DOTALL)


def first_match(patterns: list[str], path: str) -> int | None:
    """The index of the first pattern that matches `path`, as CloudFront picks a behavior (None: the default)."""
    path = "/" + path.split("?", 1)[0].lstrip("/")
    return next((index for index, pattern in enumerate(patterns) if matches(pattern, path)), None)


def route(path: str) -> Route:
    """The behavior of this table that serves `path`."""
    index = first_match([entry.pattern for entry in ROUTES], path)
    return DEFAULT if index is None else ROUTES[index]
