"""The admin events API: list, create, read and edit events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.services import booking, queries
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import convert, schemas
from shipcaptaincrew.web.http import admin_only, in_thread, json_response, read_json

DEFAULT_WINDOW_DAYS = 14


@admin_only
async def list_events(request: Request) -> Response:
    params = request.query_params
    start, end = _date_param(params.get("from"), "from"), _date_param(params.get("to"), "to")
    limit = _int_param(params.get("limit"), "limit", 200)

    def work(ctx: Context, actor: str) -> schemas.EventPageOut:
        first = start or ctx.clock.now().date()
        last = end or first + timedelta(days=DEFAULT_WINDOW_DAYS - 1)
        page = queries.list_events(ctx, first, last, params.get("cursor"), limit)
        return schemas.EventPageOut([convert.event_out(event, ctx.periods) for event in page.events], page.next_cursor)

    return json_response(await in_thread(request, work))


@admin_only
async def create_event(request: Request) -> Response:
    body = await read_json(request, schemas.EventIn)
    details = convert.details_from(body)

    def work(ctx: Context, actor: str) -> schemas.EventOut:
        return convert.event_out(booking.create_event(ctx, details, actor, body.slug), ctx.periods)

    created = await in_thread(request, work)
    return json_response(created, 201, {"Location": f"/api/events/{created.slug}"})


@admin_only
async def get_event(request: Request) -> Response:
    return json_response(await in_thread(request, _detail, request.path_params["slug"]))


@admin_only
async def patch_event(request: Request) -> Response:
    body = await read_json(request, schemas.EventPatch)
    changes = convert.changes_from(body)

    def work(ctx: Context, actor: str) -> schemas.EventDetailOut:
        event = booking.update_event(ctx, request.path_params["slug"], changes, body.version, actor)
        return _detail(ctx, actor, event.slug)

    return json_response(await in_thread(request, work))


def _detail(ctx: Context, actor: str, slug: str) -> schemas.EventDetailOut:
    event, aliases = queries.get_event_with_aliases(ctx, slug)
    return convert.event_detail_out(event, ctx.periods, aliases)


def _date_param(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a date like 2026-05-23", name) from None


def _int_param(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or len(value) > 6:
        raise InvalidInput(f"{name} must be a whole number", name)
    return int(value)


ROUTES: list[Any] = [
    Route("/events", list_events, methods=["GET"]),
    Route("/events", create_event, methods=["POST"]),
    Route("/events/{slug}", get_event, methods=["GET"]),
    Route("/events/{slug}", patch_event, methods=["PATCH"]),
]
