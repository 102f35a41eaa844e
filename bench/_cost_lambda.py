"""`lambda_handler` run as Lambda runs it, for bench/cost.py: each invocation counted and timed, what it logs weighed,
and the asynchronous invocations it asks for run after it.

A response that queued mail makes the handler invoke its own function with `{"scc": "deliver-outbox"}` and
InvocationType=Event (`on_lambda/self_invoke.py`). Moto cannot run a function, so the Invoke call is answered here
(202, as Lambda answers an Event invocation) after the meter has counted it, and the event it carried is handed to
the handler once the invocation that asked for it has returned: the delivery is an invocation of its own (a
request and its duration), counted with the operation that caused it.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:scc-prod:live"


@dataclass
class Tally:
    """What the invocations since the last reset cost."""

    invocations: int = 0
    seconds: float = 0.0
    log_bytes: int = 0
    response_bytes: int = 0


@dataclass
class _Accepted:
    """The HTTP side of an Invoke answered here: what botocore's after-call handlers look at."""

    status_code: int = 202
    headers: dict[str, str] | None = None


class _Context:
    aws_request_id = "cost-request"
    function_name = "scc-prod"

    def __init__(self, function_arn: str | None) -> None:
        self.invoked_function_arn = function_arn


class FunctionUnderTest:
    def __init__(self) -> None:
        from shipcaptaincrew import lambda_function

        self.handler = lambda_function.lambda_handler
        self.tally = Tally()
        self.hand_off = True
        """False: the context carries no function ARN, so queued mail is left to the schedule (a hand-off missed)."""
        self._asked: list[dict[str, Any]] = []

    def attach(self) -> None:
        import boto3

        boto3._get_default_session().events.register("before-call.lambda.Invoke", self._accept)

    def invoke(self, event: dict[str, Any]) -> Any:
        """One invocation, then every asynchronous invocation it asked for (and they asked for), in order."""
        answer = self._once(event)
        while self._asked:
            self._once(self._asked.pop(0))
        return answer

    def inside(self, work: Callable[[Any], Any]) -> Any:
        """`work(ctx)` on the warm container's context, timed as part of an invocation that asked for it."""
        from shipcaptaincrew import lambda_function

        assert lambda_function._container is not None, "a request first: the container is made by one"
        began = time.perf_counter()
        try:
            return work(lambda_function._container.ctx)
        finally:
            self.tally.seconds += time.perf_counter() - began

    @contextlib.contextmanager
    def without_hand_off(self) -> Iterator[None]:
        self.hand_off = False
        try:
            yield
        finally:
            self.hand_off = True

    def _once(self, event: dict[str, Any]) -> Any:
        self.tally.invocations += 1
        captured = io.StringIO()
        streams = _log_streams(captured)
        began = time.perf_counter()
        try:
            with contextlib.redirect_stdout(captured):
                return self.handler(event, _Context(FUNCTION_ARN if self.hand_off else None))
        finally:
            self.tally.seconds += time.perf_counter() - began
            self.tally.log_bytes += len(captured.getvalue().encode())
            _log_streams(None, streams)

    def _accept(self, params: dict[str, Any], **_: Any) -> tuple[_Accepted, dict[str, Any]]:
        if params.get("headers", {}).get("X-Amz-Invocation-Type") != "Event":
            raise AssertionError("the function invoked itself synchronously: only InvocationType=Event is expected")
        body = params.get("body") or b"{}"
        self._asked.append(json.loads(body.decode() if isinstance(body, bytes | bytearray) else body))
        return _Accepted(), {"StatusCode": 202, "ResponseMetadata": {"HTTPStatusCode": 202}}


def _log_streams(stream: Any, previous: list[Any] | None = None) -> list[Any]:
    """Point the root logger's stream handlers at `stream` (or back at `previous`); return what they had."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    had = [handler.stream for handler in handlers]
    for handler, target in zip(handlers, previous or [stream] * len(handlers), strict=False):
        handler.setStream(target)
    return had


def url_event(method: str, path: str, query: str, headers: dict[str, str], body: bytes | None) -> dict[str, Any]:
    """A Function URL request (payload 2.0), as CloudFront forwards it."""
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": query,
        "headers": {"host": "fn.lambda-url.example", "x-forwarded-proto": "https", **headers},
        "requestContext": {"http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.9",
                                    "userAgent": "cost"}, "requestId": "cost", "stage": "$default",
                           "domainName": "fn.lambda-url.example", "timeEpoch": 1779436800000},
        "isBase64Encoded": body is not None,
        **({"body": base64.b64encode(body).decode()} if body is not None else {}),
    }  # fmt: skip
