"""Sign in and sign out."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shipcaptaincrew.domain.errors import Unavailable, UnsupportedMediaType, WrongPassword
from shipcaptaincrew.domain.tokens import Claims
from shipcaptaincrew.services import admin
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import schemas
from shipcaptaincrew.web.http import (
    admin_only,
    bearer_token,
    client_address,
    context,
    json_response,
    off_loop,
    read_json,
)

PASSWORD_CHECKS_AT_ONCE = 2
"""argon2id takes ~64 MiB and a core for a tenth of a second: a flood of guesses queues rather than starves."""
PASSWORD_CHECK_WAIT_SECONDS = 5.0
PRIORITY_CHECKS_AT_ONCE = 1
"""The priority lane: passwords whose tag matches (the right one, and 1 wrong guess in 4,096)."""


class PasswordChecks:
    """At most `at_once` password checks run at a time; a sign-in waits for a slot on the event loop (holding no
    worker thread) for up to `wait_seconds` (None: as long as it takes), then gives up."""

    def __init__(
        self, at_once: int = PASSWORD_CHECKS_AT_ONCE, wait_seconds: float | None = PASSWORD_CHECK_WAIT_SECONDS
    ) -> None:
        self.at_once, self.wait_seconds = at_once, wait_seconds
        self._slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    async def acquire(self) -> bool:
        """Take a slot; False if none came free in time."""
        slots = self._slots.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(self.at_once))
        try:
            await asyncio.wait_for(slots.acquire(), self.wait_seconds)
        except TimeoutError:
            return False
        return True

    def release(self) -> None:
        self._slots[asyncio.get_running_loop()].release()


def priority_checks() -> PasswordChecks:
    """The priority lane: never gives up, so a flood of guesses (whose tags do not match) cannot keep the right
    password out."""
    return PasswordChecks(PRIORITY_CHECKS_AT_ONCE, wait_seconds=None)


async def login(request: Request) -> Response:
    """Count the attempt (refused at once if the client is blocked), sort it by the password's tag (a certainly
    wrong password is answered without argon2), then check the password when a slot in its lane is free."""
    _require_json(request)
    body = await read_json(request, schemas.LoginIn)
    ctx = context(request)
    attempt = await off_loop(request, admin.start_sign_in, ctx, client_address(request))
    try:
        token, claims = await _check_password(request, ctx, attempt, body.password)
    except WrongPassword as wrong:
        await asyncio.sleep(wrong.delay)  # after the slot is given back: a held-back answer costs no CPU
        raise
    return json_response(schemas.TokenOut(token, claims.expires_at))


async def _check_password(
    request: Request, ctx: Context, attempt: admin.SignInAttempt, password: str
) -> tuple[str, Claims]:
    from shipcaptaincrew.domain.password_tags import Lane

    lane = await off_loop(request, admin.sort_sign_in, ctx, attempt, password)
    state = request.app.state
    checks: PasswordChecks = state.priority_checks if lane is Lane.PRIORITY else state.password_checks
    if not await checks.acquire():
        await off_loop(request, admin.abandon_sign_in, ctx, attempt)
        wait = max(1, round(checks.wait_seconds or 0))
        raise Unavailable("the server is busy checking other sign-ins; try again in a few seconds", None, wait)
    try:
        return await off_loop(request, admin.finish_sign_in, ctx, attempt, password)
    finally:
        checks.release()


def _require_json(request: Request) -> None:
    """Only JSON: another site's form (or no-cors fetch) can send other types, or none, without a preflight."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType("send the password as JSON, with Content-Type: application/json", "Content-Type")


@admin_only
async def logout(request: Request) -> Response:
    await off_loop(request, admin.log_out, context(request), bearer_token(request))
    return Response(status_code=204)


ROUTES: list[Any] = [
    Route("/api/login", login, methods=["POST"]),
    Route("/api/logout", logout, methods=["POST"]),
]
