"""The one table from errors to HTTP answers: `{"error": {"code", "message", "field"}}`."""

from __future__ import annotations

import logging
import re

import msgspec
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from shipcaptaincrew.domain import errors
from shipcaptaincrew.domain.days import not_a_date

log = logging.getLogger("shipcaptaincrew.web")

STATUS: dict[type[errors.DomainError], int] = {
    errors.InvalidInput: 400,
    errors.Unauthorized: 401,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.UnsupportedMediaType: 415,
    errors.IdempotencyKeyReused: 422,
    errors.Throttled: 429,
    errors.Unavailable: 503,
}

WIRE_NAMES = {"event": "event_id", "idempotency_key": "Idempotency-Key"}
"""The fields use cases name as the API's clients know them (a body's field, a header); any other is the same."""

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "unprocessable", 429: "throttled",
    500: "internal", 503: "unavailable",
}  # fmt: skip

_AT = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")
_NAMED = re.compile(r"field `(?P<name>[^`]+)`")
# msgspec's wording, in a dispatcher's: what the rule wants, never the decoder's types.
_RULES = (
    (re.compile(r"Expected `str` of length >= 1"), "must not be empty"),
    (re.compile(r"Expected `str` of length <= (\d+)"), r"must be at most \1 characters"),
    (re.compile(r"Expected `int`, got `(str|float|bool|null)`"), "must be a whole number, like 12"),
    (re.compile(r"Expected `int` >= (\d+)"), r"must be at least \1"),
    (re.compile(r"Expected `int` <= (\d+)"), r"must be at most \1"),
    (re.compile(r"Object missing required field `[^`]+`"), "is required"),
    (re.compile(r"Expected `str`, got `\w+`"), "must be text"),
    (re.compile(r"Invalid RFC3339 encoded date"), "must be a date like 2026-05-23"),
    (re.compile(r"Expected `date( \| null)?`, got `\w+`"), "must be a date like 2026-05-23"),
)
_NOT_A_DATE = "Invalid RFC3339 encoded date"
_STEP = re.compile(r"[^.\[\]]+|\[[0-9]+\]")


class ErrorBody(msgspec.Struct, omit_defaults=True):
    code: str
    message: str
    field: str | None = None


class ErrorOut(msgspec.Struct):
    error: ErrorBody


def error_response(status: int, code: str, message: str, field: str | None = None, **headers: str) -> Response:
    body = msgspec.json.encode(ErrorOut(ErrorBody(code, message, field)))
    return Response(body, status, media_type="application/json", headers=headers or None)


def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.DomainError)
    status = next(code for kind, code in STATUS.items() if isinstance(exc, kind))
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    field = WIRE_NAMES.get(exc.field, exc.field) if exc.field else None
    return error_response(status, exc.code, exc.message, field, **headers)


def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    return error_response(exc.status_code, code, str(exc.detail), None, **(exc.headers or {}))


def unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal", "something went wrong on our side; nothing was saved")


def invalid_body(error: msgspec.MsgspecError, body: bytes = b"") -> errors.InvalidInput:
    """A msgspec decode error as InvalidInput naming the field, e.g. `patron.first_name`; `body`, the JSON that
    failed, lets a date the calendar lacks be named (`date: 2026-02-30 is not a date`)."""
    message = str(error)
    if isinstance(error, msgspec.DecodeError) and not isinstance(error, msgspec.ValidationError):
        return errors.InvalidInput(f"the body is not valid JSON: {message}", "body")
    at, named = _AT.search(message), _NAMED.search(message)
    path = at.group("path") if at else ""
    field = ".".join(part for part in (path, named.group("name") if named else "") if part) or "body"
    text = _AT.sub("", message)
    if field == "body":
        return errors.InvalidInput(text, field)
    spoken = field.replace("patron.", "").replace("_", " ").replace(".", " ")
    sent = _sent_at(body, path) if text == _NOT_A_DATE else None
    if isinstance(sent, str):
        return errors.InvalidInput(f"{spoken}: {not_a_date(sent)}", field)
    rule = next((pattern.sub(words, text) for pattern, words in _RULES if pattern.fullmatch(text)), None)
    return errors.InvalidInput(f"{spoken} {rule}" if rule else f"{field}: {text}", field)


def _sent_at(body: bytes, path: str) -> object:
    """The value at `path` (`children[0].born`) in the JSON `body`; None where there is none."""
    try:
        value: object = msgspec.json.decode(body)
    except msgspec.MsgspecError:
        return None
    for step in _STEP.findall(path):
        if step.startswith("[") and isinstance(value, list) and int(step[1:-1]) < len(value):
            value = value[int(step[1:-1])]
        elif isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return None
    return value


HANDLERS = {errors.DomainError: domain_error, HTTPException: http_error, Exception: unexpected_error}
