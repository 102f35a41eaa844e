"""Small helpers every route uses: read a JSON body, answer JSON, find the token and the client."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from shipcaptaincrew.domain.addresses import TrustedProxies
from shipcaptaincrew.domain.errors import InvalidInput, Unauthorized
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.errors import invalid_body

T = TypeVar("T")
R = TypeVar("R")
Endpoint = Callable[[Request], Awaitable[Response]]


def context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


async def read_json(request: Request, kind: type[T]) -> T:
    """Decode the body into `kind`; raise InvalidInput naming the field at fault."""
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise InvalidInput("send the body as JSON with Content-Type: application/json", "body")
    body = await request.body()
    try:
        return msgspec.json.decode(body, type=kind)
    except msgspec.ValidationError as error:
        if str(error).startswith(_WHOLE_FLOAT) and (whole := _with_whole_floats(body, kind)) is not None:
            return whole
        raise invalid_body(error, body) from None
    except msgspec.MsgspecError as error:
        raise invalid_body(error) from None
    except UnicodeDecodeError:  # invalid UTF-8 inside a JSON string
        raise InvalidInput("the body is not valid UTF-8", "body") from None
    except RecursionError:  # nesting inside a field kept as raw JSON (an amount) is decoded recursively
        raise InvalidInput("the body is nested too deeply", "body") from None


_WHOLE_FLOAT = "Expected `int`, got `float`"


def _with_whole_floats(body: bytes, kind: type[T]) -> T | None:
    """JSON has one number type: 8.0 is the integer 8 (as JSON Schema says), so accept it where an int is due.

    Lax decoding would also turn "8" into 8, so its result is kept only if it says what the body said.
    """
    try:
        lax = msgspec.json.decode(body, type=kind, strict=False)
        return lax if _says(msgspec.json.decode(body), msgspec.json.decode(msgspec.json.encode(lax))) else None
    except msgspec.MsgspecError:
        return None


def _says(sent: Any, decoded: Any) -> bool:
    if isinstance(sent, dict):
        return isinstance(decoded, dict) and all(key in decoded and _says(v, decoded[key]) for key, v in sent.items())
    if isinstance(sent, list):
        return isinstance(decoded, list) and len(sent) == len(decoded) and all(map(_says, sent, decoded))
    return type(sent) is type(decoded) or (isinstance(sent, float) and isinstance(decoded, int) and sent == decoded)


def json_response(
    value: Any, status: int = 200, headers: dict[str, str] | None = None, background: BackgroundTask | None = None
) -> Response:
    return Response(
        msgspec.json.encode(value), status, headers=headers, media_type="application/json", background=background
    )


def bearer_token(request: Request) -> str:
    token = token_in(request.headers.get("authorization", ""))
    if token is None:
        raise Unauthorized("sign in first: send Authorization: Bearer <token> from POST /api/login")
    return token


def token_in(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header's value; None for any other scheme or none."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def client_address(request: Request) -> str:
    """The client's full address: the connection's peer, or behind trusted proxies (SCC_TRUSTED_PROXIES) the
    right-most address they did not write themselves. The one place the app decides it: uvicorn is started
    without proxy headers, and on Lambda the edge puts CloudFront's viewer address in the peer."""
    peer = request.client.host if request.client else "unknown"
    proxies: TrustedProxies = request.app.state.web_settings.proxies
    if not proxies.configured:
        return peer
    forwarded = ",".join(request.headers.getlist(proxies.header))
    return proxies.client(peer, forwarded or None)


def admin_only(endpoint: Endpoint) -> Endpoint:
    """Refuse the request with 401 before anything else unless it carries a valid admin token.

    The check runs on the event loop: it is CPU work plus one counter read (see admin.check_token), and
    WAL readers never wait for writers.
    """

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        session = admin.check_token(context(request), bearer_token(request))
        request.state.actor, request.state.generation = session.actor, session.generation
        return await endpoint(request)

    return guarded


async def run_use_case(request: Request, work: Callable[..., R], *args: Any) -> R:
    """Run the use case `work(ctx, actor, *args)` with this request's context and actor, off the event loop where
    there are other requests to serve (see `off_loop`): use cases may wait for the write lock."""
    return await off_loop(request, work, context(request), request.state.actor, *args)


async def off_loop(request: Request, work: Callable[..., R], *args: Any) -> R:
    """Run blocking `work(*args)` in a worker thread, so the loop goes on serving others meanwhile.

    Where the app serves one request at a time (Lambda: one per container), there is no one else to serve:
    the work runs on the loop, sparing a thread's start and anyio's thread machinery (~20 ms of a cold start).
    """
    if request.app.state.one_request_at_a_time:
        return work(*args)
    return await run_in_threadpool(work, *args)
