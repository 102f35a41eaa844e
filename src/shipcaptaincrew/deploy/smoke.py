"""`scc smoke --base-url URL`: ask a deployed site the questions whose wrong answers have hurt before.

Each check is answered only by the application: the health check; sign-in routed to it (a wrong password is
its 401, not a 404 or 403 from routing); the API refusing a request without a token; the OpenAPI document's
event carrying `payment_cleared`; a guest waiver page, which must come from the function (its own 404 page for
a made-up slug), never from the dispatch page that S3 serves for everything else. After an upload, the stage's
dispatch page is checked by hash. `get` is pluggable: `scc deploy` runs the same checks on a function version
through Lambda's Invoke before any traffic reaches it (`deploy/invoke.py`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UNKNOWN_SLUG = "2000-01-01-smoke-am"
DISPATCH_MARKER = "/assets/main.js"
"""Only the dispatch page loads its script: a guest path answered with it was routed to S3."""
TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


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
            return Answer(response.status, response.headers.get("content-type", ""), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get("content-type", ""), error.read())
    except (urllib.error.URLError, TimeoutError) as error:
        return Answer(0, "", f"unreachable: {getattr(error, 'reason', error)}".encode())


def run(
    base_url: str, slug: str | None = None, get: Callable[..., Answer] = fetch, page_sha256: str | None = None
) -> list[Result]:
    """Every check against `base_url` (a stage's root: `https://…` or `https://…/_staging`); with `page_sha256`,
    also that the stage's dispatch page is the one with that hash (the one just uploaded)."""
    base = base_url.rstrip("/")
    wrong_password = json.dumps({"password": f"not-the-password-{secrets.token_hex(8)}"}).encode()
    asked: list[tuple[Callable[[Answer], Result], Answer]] = [
        (_healthz, get(f"{base}/healthz")),
        (_login, get(f"{base}/api/login", "POST", wrong_password)),
        (functools.partial(_unauthorised, "GET /api/events"), get(f"{base}/api/events")),
        (functools.partial(_unauthorised, "POST /api/payment-log"), get(f"{base}/api/payment-log", "POST", b"{}")),
        (_openapi, get(f"{base}/api/openapi.json")),
        (functools.partial(_waiver, slug=slug), get(f"{base}/g/{slug or UNKNOWN_SLUG}/waiver")),
    ]
    if page_sha256 is not None:
        asked.append((functools.partial(_page, expected_sha256=page_sha256), get(f"{base}/")))
    return [_unanswered(check(answer), answer) for check, answer in asked]


def _unanswered(result: Result, answer: Answer) -> Result:
    """No answer at all (nothing listening, or a function error): say why instead of judging the answer."""
    return Result(result.name, False, answer.text) if answer.status == 0 else result


def _healthz(answer: Answer) -> Result:
    parsed = _json(answer)
    passed = answer.status == 200 and isinstance(parsed, dict)
    return Result("GET /healthz", passed, f"{answer.status} {answer.content_type or '(no content type)'}")


def _login(answer: Answer) -> Result:
    """Sign-in is routed to the application: a wrong password is refused by it (429 once it slows guesses)."""
    passed = answer.status in (401, 429) and "application/json" in answer.content_type
    expected = "" if passed else " (expected 401 from the application, not a 404 or 403 from routing)"
    return Result("POST /api/login", passed, f"{answer.status} for a wrong password{expected}")


def _unauthorised(name: str, answer: Answer) -> Result:
    passed = answer.status == 401 and "application/json" in answer.content_type
    return Result(name, passed, f"{answer.status} without a token (expected 401 from the API)")


def _openapi(answer: Answer) -> Result:
    fields = _event_fields(_json(answer))
    passed = answer.status == 200 and "payment_cleared" in fields
    return Result("GET /api/openapi.json", passed, f"the event {'has' if passed else 'has no'} payment_cleared")


def _event_fields(document: Any) -> set[str]:
    """The properties of the events `GET /api/events` lists, following the document's references."""
    try:
        schemas = document["components"]["schemas"]
        page = document["paths"]["/api/events"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        listed = schemas[_name(page)]["properties"]["events"]["items"]
        return set(schemas[_name(listed)]["properties"])
    except (KeyError, TypeError):
        return set()


def _name(reference: dict[str, str]) -> str:
    return reference["$ref"].rsplit("/", 1)[-1]


def _waiver(answer: Answer, slug: str | None) -> Result:
    """A guest path must reach the function. For a made-up slug its answer is a 404 page of its own, whatever its
    wording (an unknown event and a wrong guest secret answer alike); S3 would answer 200 with the dispatch page."""
    name = f"GET /g/{slug or UNKNOWN_SLUG}/waiver"
    if DISPATCH_MARKER in answer.text:
        return Result(name, False, f"{answer.status}: answered by the dispatch page (S3), not the application")
    if slug is None:
        passed = answer.status == 404 and answer.content_type.startswith("text/html")
        verdict = " from the application, not the dispatch page" if passed else ": not the application's 404 page"
        return Result(name, passed, f"{answer.status}{verdict}")
    passed = answer.status == 200 and "<form" in answer.text
    return Result(name, passed, f"{answer.status}: {'the waiver form' if passed else 'no waiver form'}")


def _page(answer: Answer, expected_sha256: str) -> Result:
    found = hashlib.sha256(answer.body).hexdigest()
    passed = answer.status == 200 and found == expected_sha256
    verdict = "is" if passed else "is not"
    hashes = "" if passed else f" ({answer.status}, sha256 {found[:12]}…, expected {expected_sha256[:12]}…)"
    return Result("GET /", passed, f"the dispatch page {verdict} the one in this tree{hashes}")


def _json(answer: Answer) -> Any:
    try:
        return json.loads(answer.text)
    except ValueError:
        return None
