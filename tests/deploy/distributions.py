"""Distribution configurations in the CloudFront API's shape: the one the template renders, and the old
misordered one that sent guest pages to S3."""

from __future__ import annotations

from typing import Any

from shipcaptaincrew.deploy import cdn, infra_cdn

SECRET = "an-origin-secret-that-is-at-least-32-chars"
DOMAINS = {
    cdn.SITE: "scc-site.s3.us-east-1.amazonaws.com",
    cdn.PROD_FUNCTION: "prodabc.lambda-url.us-east-1.on.aws",
    cdn.STAGING_FUNCTION: "stagingabc.lambda-url.us-east-1.on.aws",
}


def rendered(reference: str = "rendered") -> dict[str, Any]:
    """The template's DistributionConfig, intrinsic functions replaced by plain values."""
    config = infra_cdn.resources()["Distribution"]["Properties"]["DistributionConfig"]
    return {
        "CallerReference": reference,
        "Comment": "scc",
        "Enabled": True,
        "DefaultRootObject": config["DefaultRootObject"],
        "Origins": _items([_origin(origin) for origin in config["Origins"]]),
        "CacheBehaviors": _items([_behavior(behavior) for behavior in config["CacheBehaviors"]]),
        "DefaultCacheBehavior": _behavior(config["DefaultCacheBehavior"]),
    }


def old_misordered() -> dict[str, Any]:
    """What the earlier set-up had: the API first, then a catch-all to S3 above the guest pages."""
    config = rendered("old")
    by_pattern = {item["PathPattern"]: item for item in config["CacheBehaviors"]["Items"]}
    catch_all = {**by_pattern["/_staging/*"], "PathPattern": "/*"}
    config["CacheBehaviors"] = _items([by_pattern["/api/*"], catch_all, by_pattern["/g/*"]])
    return config


def _items(items: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(items), "Items": items}


def _origin(origin: dict[str, Any]) -> dict[str, Any]:
    shaped: dict[str, Any] = {"Id": origin["Id"], "DomainName": DOMAINS[origin["Id"]], "OriginPath": ""}
    if "S3OriginConfig" in origin:
        return {**shaped, "S3OriginConfig": {"OriginAccessIdentity": ""}}
    custom = origin["CustomOriginConfig"]
    headers = [{"HeaderName": header["HeaderName"], "HeaderValue": SECRET} for header in origin["OriginCustomHeaders"]]
    return {
        **shaped,
        "CustomHeaders": _items(headers),
        "CustomOriginConfig": {
            "HTTPPort": 80,
            "HTTPSPort": custom["HTTPSPort"],
            "OriginProtocolPolicy": custom["OriginProtocolPolicy"],
            "OriginSslProtocols": _items(custom["OriginSSLProtocols"]),
        },
    }


def _behavior(behavior: dict[str, Any]) -> dict[str, Any]:
    shaped = {key: behavior[key] for key in ("TargetOriginId", "ViewerProtocolPolicy", "Compress", "CachePolicyId")}
    methods = {
        **_items(behavior["AllowedMethods"]),
        "CachedMethods": _items(behavior.get("CachedMethods", ["GET", "HEAD"])),
    }
    extra = {key: behavior[key] for key in ("PathPattern", "OriginRequestPolicyId") if key in behavior}
    return {**shaped, **extra, "AllowedMethods": methods}
