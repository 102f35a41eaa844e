"""Sign in and sign out."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shipcaptaincrew.services import admin
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


async def login(request: Request) -> Response:
    body = await read_json(request, schemas.LoginIn)
    token, claims = await off_loop(request, admin.log_in, context(request), body.password, client_address(request))
    return json_response(schemas.TokenOut(token, claims.expires_at))


@admin_only
async def logout(request: Request) -> Response:
    await off_loop(request, admin.log_out, context(request), bearer_token(request))
    return Response(status_code=204)


ROUTES: list[Any] = [
    Route("/api/login", login, methods=["POST"]),
    Route("/api/logout", logout, methods=["POST"]),
]
