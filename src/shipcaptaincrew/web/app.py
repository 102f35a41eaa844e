"""create_app: the one Starlette application, used by uvicorn locally and by Mangum on Lambda."""

from __future__ import annotations

import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from shipcaptaincrew import __version__
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import auth_api, events_api, schemas
from shipcaptaincrew.web.board_health import BoardHealth, read_health
from shipcaptaincrew.web.deferred import DeferredRoutes
from shipcaptaincrew.web.delivery import Deliverer, periodic_delivery
from shipcaptaincrew.web.errors import HANDLERS
from shipcaptaincrew.web.fast_path import CachedEventsPage
from shipcaptaincrew.web.http import json_response
from shipcaptaincrew.web.page_cache import PageCache
from shipcaptaincrew.web.security import BodyLimit, SecurityHeaders
from shipcaptaincrew.web.slashes import SlashRedirect
from shipcaptaincrew.web.web_settings import WebSettings

DISPATCH = Path(__file__).parent / "static" / "dispatch"
GUEST_STATIC = Path(__file__).parent / "static" / "guest"
GUEST_MAX_BODY = 256 * 1024  # a waiver form with a drawn signature
WAIVER_MAX_BODY = 640 * 1024  # 50,000 characters of waiver text, each up to 12 bytes as JSON escapes
DELIVERY_INTERVAL_SECONDS = 10.0  # the shortest retry delay


def create_app(
    ctx: Context,
    web_settings: WebSettings | None = None,
    *,
    one_request_at_a_time: bool = False,
    deliver_mail: bool = True,
    mail_queued: threading.Event | None = None,
) -> ASGIApp:
    """The application. Builds nothing global: everything it uses comes in through `ctx`.

    The security headers wrap Starlette from outside, so they reach even its last-resort 500 answer.
    `one_request_at_a_time` (Lambda) runs blocking work on the event loop instead of in worker threads.
    `deliver_mail`: deliver the outbox from this process, after responses that queued mail and every
    DELIVERY_INTERVAL_SECONDS; `scc serve` turns it off and runs a delivery process beside the server instead.
    `mail_queued`, where this process does not deliver: set whenever a response queued mail (Lambda's handler
    then hands delivery to an asynchronous invocation).
    """

    # Flat, no Mount (a Mount costs a second routing pass), and the board's busiest call, GET /api/events,
    # is the first route tried. The modules a first look at the board does not need are imported on first use.
    routes = [
        *events_api.ROUTES,
        DeferredRoutes(["/api/payment-log", "/api/refund-log", "/api/payments/", "/api/events/"], _payment_routes),
        DeferredRoutes(["/api/waiver", "/api/events/"], _waiver_routes),
        DeferredRoutes(["/api/roster", "/api/ships", "/api/people", "/api/events/", "/cal/"], _roster_routes),
        DeferredRoutes(["/api/weather-call"], _weather_routes),
        *auth_api.ROUTES,
        Route("/api/openapi.json", openapi_json, methods=["GET"]),
        DeferredRoutes(["/g/"], _guest_routes),
        DeferredRoutes(["/day/"], _day_sheet_routes),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/", dispatch_page, methods=["GET"]),
        Mount("/assets", StaticFiles(directory=DISPATCH / "assets", check_dir=False), name="assets"),
    ]
    routes.append(SlashRedirect(list(routes)))
    deliverer = Deliverer(ctx) if deliver_mail else None
    app = Starlette(
        routes=routes,
        exception_handlers=HANDLERS,
        middleware=[Middleware(BodyLimit, limits={"/g/": GUEST_MAX_BODY, "/api/waiver": WAIVER_MAX_BODY})],
        lifespan=periodic_delivery(deliverer, DELIVERY_INTERVAL_SECONDS) if deliverer else None,
    )
    app.router.redirect_slashes = False  # its Location is built from the Host header; SlashRedirect's is relative
    app.state.ctx = ctx
    app.state.web_settings = web_settings or WebSettings()
    app.state.pages = pages = PageCache()
    app.state.board_health = health = BoardHealth(ctx)
    app.state.deliverer = deliverer
    app.state.mail_queued = mail_queued
    app.state.one_request_at_a_time = one_request_at_a_time
    app.state.password_checks = auth_api.PasswordChecks()
    app.state.priority_checks = auth_api.priority_checks()
    return SecurityHeaders(CachedEventsPage(app, ctx, pages, health))


def _payment_routes() -> list[BaseRoute]:
    from shipcaptaincrew.web import payments_api

    return payments_api.ROUTES


def _waiver_routes() -> list[BaseRoute]:
    from shipcaptaincrew.web import waiver_api

    return waiver_api.ROUTES


def _roster_routes() -> list[BaseRoute]:
    from shipcaptaincrew.web import roster_api

    return roster_api.ROUTES


def _weather_routes() -> list[BaseRoute]:
    from shipcaptaincrew.web import weather_api

    return weather_api.ROUTES


def _guest_routes() -> list[BaseRoute]:
    from shipcaptaincrew.web import guest_pages

    return guest_pages.routes(str(GUEST_STATIC))


def _day_sheet_routes() -> list[BaseRoute]:
    from shipcaptaincrew.web import day_sheet

    return day_sheet.routes()


async def openapi_json(request: Request) -> Response:
    from shipcaptaincrew.web import openapi

    ctx: Context = request.app.state.ctx
    return json_response(openapi.cached_document(ctx.periods.names(), ctx.payment_methods))


WAIVER_NEXT_STEP = "Guests cannot sign yet: write your waiver text, then run: scc waiver set FILE"


async def healthz(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    health = read_health(ctx)
    request.app.state.board_health.heard(health)  # the board's polls say the same from now on
    mail = schemas.MailHealthOut(ctx.mail_transport, health.mail_waiting)
    next_step = "" if health.waiver_ready else WAIVER_NEXT_STEP
    return json_response(schemas.HealthOut("ok", __version__, mail, health.waiver_ready, next_step))


async def dispatch_page(request: Request) -> Response:
    return FileResponse(DISPATCH / "index.html", headers={"Cache-Control": "no-cache"})
