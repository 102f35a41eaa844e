"""The routing table: CloudFront's matching rules, `scc cdn route`, and every application path reaching a function."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from starlette.routing import Mount, Route

from shipcaptaincrew.cli import cli
from shipcaptaincrew.deploy import cdn
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.app import create_app
from shipcaptaincrew.web.deferred import DeferredRoutes
from shipcaptaincrew.web.slashes import SlashRedirect

STATIC_PATHS = {"/", "/assets"}
"""What the dispatch page's own files are: S3 serves them on AWS."""


@pytest.mark.parametrize(
    ("path", "origin", "pattern"),
    [
        ("/g/2026-05-23-sarah-pm/waiver", cdn.PROD_FUNCTION, "/g/*"),
        ("/g/2026-05-23/waiver", cdn.PROD_FUNCTION, "/g/*"),
        ("/g/2026-05-23-sarah-pm", cdn.PROD_FUNCTION, "/g/*"),
        ("/api/events?from=2026-05-01", cdn.PROD_FUNCTION, "/api/*"),
        ("/api/payment-log", cdn.PROD_FUNCTION, "/api/*"),
        ("/healthz", cdn.PROD_FUNCTION, "/healthz"),
        ("/cal/crew/abc.ics", cdn.PROD_FUNCTION, "/cal/*"),
        ("/_staging/g/x/waiver", cdn.STAGING_FUNCTION, "/_staging/g/*"),
        ("/_staging/api/events", cdn.STAGING_FUNCTION, "/_staging/api/*"),
        ("/_staging/healthz", cdn.STAGING_FUNCTION, "/_staging/healthz"),
        ("/_staging/", cdn.SITE, "/_staging/*"),
        ("/_staging/assets/main.js", cdn.SITE, "/_staging/*"),
        ("/G/x/waiver", cdn.SITE, "*"),
        ("/API/events", cdn.SITE, "*"),
        ("/healthz/extra", cdn.SITE, "*"),
        ("/api", cdn.SITE, "*"),
        ("/", cdn.SITE, "*"),
        ("/assets/main.js", cdn.SITE, "*"),
    ],
)
def test_each_path_is_served_by_the_origin_cloudfront_would_pick(path: str, origin: str, pattern: str) -> None:
    found = cdn.route(path)

    assert (found.origin, found.pattern) == (origin, pattern)


def test_scc_cdn_route_names_the_origin_and_the_behavior() -> None:
    result = CliRunner().invoke(cli, ["cdn", "route", "/g/2026-05-23-sarah-pm/waiver", "/G/x/waiver", "/"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "/g/2026-05-23-sarah-pm/waiver → prod-function (behavior 2: `/g/*`, guest pages and waivers)",
        "/G/x/waiver → site (default: `*`, the dispatch page)",
        "/ → site (default: `*`, the dispatch page)",
    ]


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("/g/*", "/g/a/b/c", True),  # * crosses slashes
        ("/g/*", "/g/", True),
        ("/g/*", "/g", False),
        ("g/*", "/g/x", True),  # the leading slash is optional
        ("/g/*", "/G/x", False),  # case-sensitive
        ("/health?", "/healthz", True),
        ("/health?", "/health", False),
        ("/a.b", "/aXb", False),  # a dot is a dot
        ("*", "/anything/at/all", True),
    ],
)
def test_patterns_follow_cloudfronts_rules(pattern: str, path: str, matched: bool) -> None:
    assert cdn.matches(pattern, path) is matched


def test_the_first_matching_behavior_wins() -> None:
    assert cdn.first_match(["/*", "/g/*"], "/g/x/waiver") == 0
    assert cdn.first_match(["/api/*"], "/g/x/waiver") is None


def test_every_application_path_reaches_a_function_in_both_stages(ctx: Context) -> None:
    examples = [_example(route) for route in _routes(create_app(ctx)) if _path(route) not in STATIC_PATHS]

    assert "/g/x/x/waiver" in examples
    assert [path for path in examples if cdn.route(path).origin != cdn.PROD_FUNCTION] == []
    staged = ["/_staging" + path for path in examples]
    assert [path for path in staged if cdn.route(path).origin != cdn.STAGING_FUNCTION] == []


def test_no_behavior_is_shadowed_by_one_above_it() -> None:
    for index, route in enumerate(cdn.ROUTES):
        assert cdn.route(route.example) is route, (index, route.pattern)


def _routes(app: Any) -> list[object]:
    while not hasattr(app, "routes"):  # unwrap the middleware around Starlette
        app = app.app
    routes = [route for route in app.routes if not isinstance(route, SlashRedirect)]  # only answers the others' paths
    return [inner for route in routes for inner in (route.routes if isinstance(route, DeferredRoutes) else [route])]


def _path(route: object) -> str:
    assert isinstance(route, Route | Mount)
    return route.path


def _example(route: object) -> str:
    path = _path(route)
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + "x" + path[end + 1 :]
    return path + "/x" if isinstance(route, Mount) else path
