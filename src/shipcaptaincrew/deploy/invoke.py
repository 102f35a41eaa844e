"""Asking one version of the function directly, before any traffic reaches it: Lambda's Invoke with the event a
Function URL sends (payload format 2.0) and the origin secret CloudFront would add.

`direct(...)` returns a `get(url, method, body)` that the smoke checks use in place of HTTP, so the same checks
run against `$LATEST` or a version number, and later against the public URL. A function error (the handler did
not start, it raised) becomes an answer with status 0 and the error's type, never its traceback.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from shipcaptaincrew.deploy.smoke import Answer
from shipcaptaincrew.deploy.steps import error_code

BASE_URL = "https://direct.invoke.invalid"
"""What the smoke checks are pointed at for a direct invocation; only the path (and the prefix) is sent."""
HOST = "lambda-url.invalid"
ORIGIN_HEADER = "x-origin-secret"


def function_url_event(
    method: str, path: str, query: str, body: bytes | None, origin_secret: str | None
) -> dict[str, Any]:
    headers = {"host": HOST, "x-forwarded-proto": "https", "user-agent": "scc-deploy-smoke"}
    if body is not None:
        headers["content-type"] = "application/json"
    if origin_secret:
        headers[ORIGIN_HEADER] = origin_secret
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "domainName": HOST,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "scc-deploy-smoke",
            },
            "routeKey": "$default",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }
    if body is not None:
        event["body"] = body.decode()
    return event


def direct(client: Any, function: str, qualifier: str, origin_secret: str | None) -> Callable[..., Answer]:
    """A `get` for the smoke checks that invokes `function:qualifier` instead of fetching a URL."""

    def get(url: str, method: str = "GET", body: bytes | None = None) -> Answer:
        parts = urlsplit(url)
        event = function_url_event(method, parts.path or "/", parts.query, body, origin_secret)
        answer = client.invoke(
            FunctionName=function,
            Qualifier=qualifier,
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode(),
        )
        return _answer(answer)

    return get


def _answer(invoked: Mapping[str, Any]) -> Answer:
    payload = invoked["Payload"].read()
    if invoked.get("FunctionError"):
        try:
            error = json.loads(payload)
            reason = f"{error.get('errorType', 'error')}: {str(error.get('errorMessage', ''))[:200]}"
        except (ValueError, AttributeError):
            reason = "unreadable error"
        return Answer(0, "", f"function error: {reason}".encode())
    response = json.loads(payload)
    headers = {str(name).lower(): str(value) for name, value in (response.get("headers") or {}).items()}
    raw = response.get("body") or ""
    body = base64.b64decode(raw) if response.get("isBase64Encoded") else raw.encode()
    return Answer(int(response.get("statusCode", 0)), headers.get("content-type", ""), body)


def origin_secret(variables: Mapping[str, str], ssm: Callable[[], Any]) -> str | None:
    """The secret CloudFront sends: from the function's environment, else from its SSM path (SCC_SSM_PREFIX)."""
    if variables.get("SCC_ORIGIN_SECRET"):
        return variables["SCC_ORIGIN_SECRET"]
    prefix = variables.get("SCC_SSM_PREFIX")
    if not prefix:
        return None
    try:
        found = ssm().get_parameter(Name=f"{prefix}/SCC_ORIGIN_SECRET", WithDecryption=True)
    except Exception as error:
        if error_code(error) == "ParameterNotFound":
            return None
        raise
    return str(found["Parameter"]["Value"])
