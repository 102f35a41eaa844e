"""The admin events API: list, create, read and edit events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shipcaptaincrew.domain.days import parse_day
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.services import booking, queries
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import convert, schemas
from shipcaptaincrew.web.delivery import after_response
from shipcaptaincrew.web.fast_path import data_etag, events_page_key, is_a_poll, not_modified
from shipcaptaincrew.web.http import admin_only, context, json_response, read_json, run_use_case

DEFAULT_WINDOW_DAYS = 14
SEARCH_LIMIT = 50
OUTBOX_LIMIT = 200


@admin_only
async def list_events(request: Request) -> Response:
    """Served from the page cache while the store generation is unchanged (the board polls this).

    The key is the raw query string and today's date, so a hit skips even parsing the parameters;
    only answers to valid queries are ever cached. An If-None-Match naming the current ETag is a 304.
    `q` searches every date instead of a window (patron name, email, phone, slug).
    """
    ctx, pages = context(request), request.app.state.pages
    today = ctx.clock.now().date()
    etag = data_etag(request.state.generation, today)
    said = {"ETag": etag}
    if is_a_poll(request.scope["headers"]):  # as the fast path answers (board_health.py); a first load reads none
        said |= request.app.state.board_health.as_dict()
    if not_modified(request.scope["headers"], etag):
        return Response(status_code=304, headers=said)
    key = events_page_key(request.state.generation, today, request.scope["query_string"])
    page = pages.get(key)
    if page is None:
        params = request.query_params
        _only(params.keys(), ("from", "to", "cursor", "limit", "q"))
        limit = _int_param(params.get("limit"), "limit", SEARCH_LIMIT if params.get("q") else 200)
        if "q" in params:
            for window in ("from", "to", "cursor"):
                if window in params:
                    raise InvalidInput(f"q searches every date: send it without {window}", window)
            page = await run_use_case(request, _search_page, params["q"], limit)
        else:
            first = _date_param(params.get("from"), "from") or today
            last = _date_param(params.get("to"), "to") or first + timedelta(days=DEFAULT_WINDOW_DAYS - 1)
            page = await run_use_case(request, _event_page, first, last, params.get("cursor"), limit)
        pages.put(key, page)
    return Response(page, media_type="application/json", headers=said)


@admin_only
async def choices(request: Request) -> Response:
    """The operator's periods and payment methods, so forms offer what the server accepts."""
    ctx = context(request)
    periods = [schemas.PeriodOut(p.name, f"{p.starts:%H:%M}", f"{p.ends:%H:%M}") for p in ctx.periods.items]
    return json_response(schemas.ChoicesOut(periods, list(ctx.payment_methods)))


def _search_page(ctx: Context, actor: str, text: str, limit: int) -> bytes:
    found = queries.search_events(ctx, text, limit)
    return msgspec.json.encode(schemas.EventPageOut([convert.event_out(event, ctx) for event in found], None))


def _event_page(ctx: Context, actor: str, first: date, last: date, cursor: str | None, limit: int) -> bytes:
    page = queries.list_events(ctx, first, last, cursor, limit)
    events = [convert.event_out(event, ctx) for event in page.events]
    return msgspec.json.encode(schemas.EventPageOut(events, page.next_cursor))


@admin_only
async def create_event(request: Request) -> Response:
    body = await read_json(request, schemas.EventIn)
    details = convert.details_from(body)

    def work(ctx: Context, actor: str) -> schemas.EventOut:
        return convert.event_out(booking.create_event(ctx, details, actor, body.slug), ctx)

    created = await run_use_case(request, work)
    return json_response(created, 201, {"Location": f"/api/events/{created.slug}"}, after_response(request))


@admin_only
async def get_event(request: Request) -> Response:
    """With the ETag of the store's data generation: the board's poll of an open event is a 304 while nothing
    changed, and costs no read beyond the generation counter the token check makes."""
    etag = data_etag(request.state.generation, context(request).clock.now().date())
    if not_modified(request.scope["headers"], etag):
        return Response(status_code=304, headers={"ETag": etag})
    return json_response(await run_use_case(request, _detail, request.path_params["slug"]), headers={"ETag": etag})


@admin_only
async def patch_event(request: Request) -> Response:
    body = await read_json(request, schemas.EventPatch)
    changes = convert.changes_from(body)

    def work(ctx: Context, actor: str) -> schemas.EventDetailOut:
        event = booking.update_event(ctx, request.path_params["slug"], changes, body.version, actor)
        return _detail(ctx, actor, event.slug)

    return json_response(await run_use_case(request, work))


@admin_only
async def cancel_event(request: Request) -> Response:
    body = await read_json(request, schemas.CancelIn)
    keep = None if isinstance(body.keep, msgspec.UnsetType) else convert.optional_cents(body.keep, "keep")
    version = None if isinstance(body.version, msgspec.UnsetType) else body.version

    def work(ctx: Context, actor: str) -> schemas.EventDetailOut:
        event = booking.cancel_event(ctx, request.path_params["slug"], body.reason, actor, keep, version)
        return _detail(ctx, actor, event.slug)

    return json_response(await run_use_case(request, work), background=after_response(request))


@admin_only
async def reschedule_event(request: Request) -> Response:
    body = await read_json(request, schemas.RescheduleIn)

    def work(ctx: Context, actor: str) -> schemas.EventDetailOut:
        slug = request.path_params["slug"]
        event = booking.reschedule_event(ctx, slug, body.date, body.period, body.version, actor)
        return _detail(ctx, actor, event.slug)

    return json_response(await run_use_case(request, work), background=after_response(request))


@admin_only
async def send_link(request: Request) -> Response:
    def work(ctx: Context, actor: str) -> schemas.EventDetailOut:
        event = booking.send_link_again(ctx, request.path_params["slug"], actor)
        return _detail(ctx, actor, event.slug)

    return json_response(await run_use_case(request, work), background=after_response(request))


@admin_only
async def list_outbox(request: Request) -> Response:
    """The newest queued and sent messages: what a patron was told, for the board and `scc outbox list` alike."""
    _only(request.query_params.keys(), ("limit",))
    limit = _int_param(request.query_params.get("limit"), "limit", 50)
    if not 1 <= limit <= OUTBOX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {OUTBOX_LIMIT}", "limit")

    def work(ctx: Context, actor: str) -> schemas.OutboxOut:
        from shipcaptaincrew.services import outbox  # the mail code stays off the cold path

        return schemas.OutboxOut(
            [
                schemas.OutboxMessageOut(
                    m.id, m.kind, m.email.to, m.email.subject, m.status, m.created_at, m.email.text
                )
                for m in outbox.recent(ctx, limit)
            ]
        )

    return json_response(await run_use_case(request, work))


def _detail(ctx: Context, actor: str, slug: str) -> schemas.EventDetailOut:
    event, aliases = queries.get_event_with_aliases(ctx, slug)
    return convert.event_detail_out(event, ctx, aliases)


def _only(given: Iterable[str], known: tuple[str, ...]) -> None:
    """Refuse a parameter this list does not take, naming it, rather than ignore what was meant."""
    unknown = next((name for name in given if name not in known), None)
    if unknown is not None:
        raise InvalidInput(f"{unknown[:40]} is not a parameter here; use {', '.join(known)}", unknown[:40])


def _date_param(value: str | None, name: str) -> date | None:
    """The day, checked to be in range before a default window is added to it."""
    return parse_day(value, name) if value else None


def _int_param(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or len(value) > 6:
        raise InvalidInput(f"{name} must be a whole number", name)
    return int(value)


ROUTES: list[Any] = [
    Route("/api/events", list_events, methods=["GET"]),
    Route("/api/events", create_event, methods=["POST"]),
    Route("/api/events/{slug}", get_event, methods=["GET"]),
    Route("/api/events/{slug}", patch_event, methods=["PATCH"]),
    Route("/api/events/{slug}/cancel", cancel_event, methods=["POST"]),
    Route("/api/events/{slug}/reschedule", reschedule_event, methods=["POST"]),
    Route("/api/events/{slug}/send-link", send_link, methods=["POST"]),
    Route("/api/config", choices, methods=["GET"]),
    Route("/api/outbox", list_outbox, methods=["GET"]),
]
