"""Lambda Function URL events (payload format 2.0), as the service sends them, and a Lambda context."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

HOST = "fn-id.lambda-url.example"


@dataclass(frozen=True)
class FakeContext:
    aws_request_id: str = "8f1c2d3e-request"
    function_name: str = "scc-prod"
    invoked_function_arn: str | None = None
    """Lambda's always has one; None here keeps a test from handing anything to a Lambda endpoint."""


def url_event(
    method: str,
    path: str,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    base64_body: bool = False,
    cookies: list[str] | None = None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"host": HOST, "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9", **(headers or {})},
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "fn-id",
            "domainName": HOST,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "pytest",
            },
            "requestId": "8f1c2d3e-request",
            "routeKey": "$default",
            "stage": "$default",
            "timeEpoch": 1779436800000,
        },
        "isBase64Encoded": base64_body,
    }
    if query:
        event["queryStringParameters"] = dict(parse_qsl(query))
    if cookies:
        event["cookies"] = cookies
    if body is not None:
        event["body"] = base64.b64encode(body).decode() if base64_body else body.decode()
    return event


def json_event(method: str, path: str, payload: Any, *, token: str | None = None, **more: Any) -> dict[str, Any]:
    headers = {"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})}
    return url_event(
        method, path, headers={**headers, **more.pop("headers", {})}, body=json.dumps(payload).encode(), **more
    )


def scheduled_event() -> dict[str, Any]:
    """What an EventBridge rule with a schedule sends."""
    return {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2026-05-23T09:00:00Z",
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/scc-outbox"],
        "detail": {},
    }


def body_of(response: dict[str, Any]) -> bytes:
    raw = response.get("body", "")
    return base64.b64decode(raw) if response.get("isBase64Encoded") else raw.encode()
