"""Calling lambda_handler as Lambda does (one thread, no running loop), and reading its answers."""

from __future__ import annotations

import json
from typing import Any

from tests.builders import PASSWORD
from tests.deploy.function_urls import FakeContext, body_of, json_event

SECRET_KEY = "lambda-test-signing-key-0123456789abcdef"


def call(handler: Any, event: dict[str, Any], context: FakeContext | None = None) -> tuple[int, Any]:
    response = handler(event, context or FakeContext())
    body = body_of(response)
    return response["statusCode"], json.loads(body) if body.startswith((b"{", b"[")) else body.decode()


def sign_in(handler: Any, **more: Any) -> str:
    status, body = call(handler, json_event("POST", "/api/login", {"password": PASSWORD}, base64_body=True, **more))
    assert status == 200, body
    return str(body["token"])
