"""`scc cdn check`: compare a live distribution's configuration with the routing table in `cdn.py`.

Two views of the same question. Structurally: the behaviors must be the table's patterns, in its order, each
pointing at its origin. By example: each route's example path (the waiver route's is the one the old set-up
sent to S3) is routed through the live behaviors with CloudFront's first-match rule, and any path that would
reach the wrong origin is named with the behavior that catches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shipcaptaincrew.deploy import cdn
from shipcaptaincrew.deploy.cdn import DEFAULT, ROUTES, Route


@dataclass(frozen=True)
class LiveBehavior:
    pattern: str
    origin: str
    cache_policy: str
    origin_request_policy: str

    def describe(self, number: int | None) -> str:
        where = "the default behavior" if number is None else f"behavior {number}"
        return f"{where} `{self.pattern}` → {self.origin}"


def behaviors(config: dict[str, Any]) -> tuple[list[LiveBehavior], LiveBehavior]:
    """The ordered cache behaviors and the default one, from a DistributionConfig."""
    items = config.get("CacheBehaviors", {}).get("Items") or []
    return [_behavior(item, item["PathPattern"]) for item in items], _behavior(config["DefaultCacheBehavior"], "*")


def _behavior(item: dict[str, Any], pattern: str) -> LiveBehavior:
    return LiveBehavior(
        pattern, item["TargetOriginId"], item.get("CachePolicyId") or "", item.get("OriginRequestPolicyId") or ""
    )


def problems(config: dict[str, Any]) -> list[str]:
    """Everything in `config` that disagrees with the routing table, each said so a person can fix it."""
    ordered, default = behaviors(config)
    return [
        *_misrouted_examples(ordered, default),
        *_structure(ordered, default),
        *_function_policies(ordered),
        *_origins(config),
        *_error_pages(config),
    ]


def served_by(ordered: list[LiveBehavior], default: LiveBehavior, path: str) -> tuple[int | None, LiveBehavior]:
    index = cdn.first_match([behavior.pattern for behavior in ordered], path)
    return (None, default) if index is None else (index + 1, ordered[index])


def _misrouted_examples(ordered: list[LiveBehavior], default: LiveBehavior) -> list[str]:
    found = []
    for route in (*ROUTES, DEFAULT):
        number, behavior = served_by(ordered, default, route.example)
        if behavior.origin != route.origin:
            found.append(
                f"{route.example} ({route.why}) is served by {behavior.describe(number)}, "
                f"but must reach {route.origin}: {cdn.ORIGINS[route.origin]}"
            )
    return found


def _structure(ordered: list[LiveBehavior], default: LiveBehavior) -> list[str]:
    live = {_norm(behavior.pattern): behavior for behavior in ordered}
    found = [
        f"missing behavior `{route.pattern}` → {route.origin} ({route.why})"
        for route in ROUTES
        if _norm(route.pattern) not in live
    ]
    found += [
        f"behavior `{route.pattern}` goes to {live[_norm(route.pattern)].origin}, must go to {route.origin}"
        for route in ROUTES
        if _norm(route.pattern) in live and live[_norm(route.pattern)].origin != route.origin
    ]
    expected = [_norm(route.pattern) for route in ROUTES]
    found += [
        f"unexpected behavior `{behavior.pattern}` → {behavior.origin}: the routing table has no such route"
        for behavior in ordered
        if _norm(behavior.pattern) not in expected
    ]
    present = [_norm(behavior.pattern) for behavior in ordered if _norm(behavior.pattern) in expected]
    if present != [pattern for pattern in expected if pattern in present]:
        found.append(
            "behaviors are misordered (first match wins): they must be, in this order, "
            + ", ".join(f"`{route.pattern}`" for route in ROUTES)
            + ", then the default `*`"
        )
    if default.origin != DEFAULT.origin:
        found.append(f"the default behavior goes to {default.origin}, must go to {DEFAULT.origin}")
    return found


def _function_policies(ordered: list[LiveBehavior]) -> list[str]:
    found = []
    for behavior in ordered:
        if behavior.origin not in cdn.FUNCTION_ORIGINS:
            continue
        if behavior.cache_policy != cdn.CACHING_DISABLED:
            found.append(
                f"behavior `{behavior.pattern}` must use the CachingDisabled cache policy "
                f"({cdn.CACHING_DISABLED}): application answers are per request"
            )
        if behavior.origin_request_policy != cdn.ALL_VIEWER_EXCEPT_HOST_HEADER:
            found.append(
                f"behavior `{behavior.pattern}` must use the AllViewerExceptHostHeader origin request "
                f"policy ({cdn.ALL_VIEWER_EXCEPT_HOST_HEADER}): a Function URL answers only to its own Host"
            )
    return found


def _origins(config: dict[str, Any]) -> list[str]:
    origins = {origin["Id"]: origin for origin in config.get("Origins", {}).get("Items") or []}
    found = [f"origin `{name}` ({cdn.ORIGINS[name]}) is missing" for name in cdn.ORIGINS if name not in origins]
    for name in cdn.FUNCTION_ORIGINS:
        headers = (origins.get(name, {}).get("CustomHeaders") or {}).get("Items") or []
        if name in origins and cdn.ORIGIN_SECRET_HEADER.lower() not in {h["HeaderName"].lower() for h in headers}:
            found.append(
                f"origin `{name}` does not add the {cdn.ORIGIN_SECRET_HEADER} header: "
                "the function would answer 403 to every request"
            )
    return found


def _error_pages(config: dict[str, Any]) -> list[str]:
    if (config.get("CustomErrorResponses") or {}).get("Quantity", 0):
        return [
            "the distribution has custom error responses: they would turn a guest page's 404 into the dispatch "
            "page; the dispatch page's fallback belongs in the CloudFront Function on the default behavior"
        ]
    return []


def _norm(pattern: str) -> str:
    return pattern.lstrip("/")


def describe(route: Route) -> str:
    number = "default" if route is DEFAULT else f"behavior {ROUTES.index(route) + 1}"
    return f"{route.origin} ({number}: `{route.pattern}`, {route.why})"
