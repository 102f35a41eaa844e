"""`scc smoke --base-url URL`: ask a deployed site the questions whose wrong answers have hurt before.

Each check is answered only by the application: the health check, the API refusing a request without a token,
and a guest waiver page, which must come from the function (the application's own "Charter not found" page for
a made-up slug), never from the dispatch page that S3 serves for everything else.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

UNKNOWN_SLUG = "2000-01-01-smoke-am"
DISPATCH_MARKER = "/assets/main.js"
"""Only the dispatch page loads its script: a guest path answered with it was routed to S3."""
TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    text: str


@dataclass(frozen=True)
class Result:
    name: str
    passed: bool
    detail: str


def fetch(url: str, method: str = "GET", body: bytes | None = None) -> Answer:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return Answer(response.status, response.headers.get("content-type", ""), _text(response.read()))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get("content-type", ""), _text(error.read()))
    except (urllib.error.URLError, TimeoutError) as error:
        return Answer(0, "", f"unreachable: {getattr(error, 'reason', error)}")


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def run(base_url: str, slug: str | None = None, get: Callable[..., Answer] = fetch) -> list[Result]:
    """Every check against `base_url` (a stage's root: `https://…` or `https://…/_staging`)."""
    base = base_url.rstrip("/")
    return [
        _healthz(get(f"{base}/healthz")),
        _unauthorised("GET /api/events", get(f"{base}/api/events")),
        _unauthorised("POST /api/payment-log", get(f"{base}/api/payment-log", "POST", b"{}")),
        _waiver(get(f"{base}/g/{slug or UNKNOWN_SLUG}/waiver"), slug),
    ]


def _healthz(answer: Answer) -> Result:
    try:
        parsed = json.loads(answer.text)
    except ValueError:
        parsed = None
    passed = answer.status == 200 and isinstance(parsed, dict)
    return Result("GET /healthz", passed, f"{answer.status} {answer.content_type or '(no content type)'}")


def _unauthorised(name: str, answer: Answer) -> Result:
    passed = answer.status == 401 and "application/json" in answer.content_type
    return Result(name, passed, f"{answer.status} without a token (expected 401 from the API)")


def _waiver(answer: Answer, slug: str | None) -> Result:
    name = f"GET /g/{slug or UNKNOWN_SLUG}/waiver"
    if DISPATCH_MARKER in answer.text:
        return Result(name, False, f"{answer.status}: answered by the dispatch page (S3), not the application")
    if slug is None:
        passed = answer.status == 404 and "Charter not found" in answer.text
        return Result(
            name,
            passed,
            f"{answer.status}: {'the application' if passed else 'not the application'}'s "
            "'Charter not found' page for an unknown slug",
        )
    passed = answer.status == 200 and "<form" in answer.text
    return Result(name, passed, f"{answer.status}: {'the waiver form' if passed else 'no waiver form'}")
