"""Settings kept in SSM Parameter Store: every `SCC_*` parameter directly under a path, SecureStrings
decrypted, read once per container and cached.

boto3 is imported only here, and this module only when SCC_SSM_PREFIX is set, so a function without SSM never
loads it on a cold start. The Lambda runtime provides boto3; the package does not carry it.
"""

from __future__ import annotations

from typing import Any

_cache: dict[str, dict[str, str]] = {}


def parameters(prefix: str, client: Any | None = None) -> dict[str, str]:
    """{setting name: value} for the SCC_* parameters directly under `prefix` (e.g. /scc/prod/SCC_SECRET_KEY)."""
    if prefix not in _cache:
        _cache[prefix] = _read(prefix, client or _client())
    return dict(_cache[prefix])


def forget() -> None:
    """Drop the cache (tests; a new container starts without one anyway)."""
    _cache.clear()


def _client() -> Any:
    import boto3

    return boto3.client("ssm")


def _read(prefix: str, client: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    pages = client.get_paginator("get_parameters_by_path").paginate(Path=prefix, Recursive=False, WithDecryption=True)
    for page in pages:
        for parameter in page.get("Parameters", []):
            name = str(parameter["Name"]).rsplit("/", 1)[-1]
            if name.startswith("SCC_"):
                found[name] = str(parameter["Value"])
    return found
