"""Day sheets: a captain's or crew member's phone page for the charter day, at their private link.

Server-rendered and readable with JavaScript off. A small service worker at `/day/sw.js` (scope `/day/`) keeps the
last good copy of the sheet, so the dock's poor signal still shows it, with the time it was read.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shipcaptaincrew.domain.errors import NotFound
from shipcaptaincrew.services import day_sheets
from shipcaptaincrew.web import day_sheet_view
from shipcaptaincrew.web import guest_guard as guard
from shipcaptaincrew.web.http import context, off_loop

if TYPE_CHECKING:
    from jinja2 import Environment

STATIC = Path(__file__).parent / "static" / "day"


@functools.cache
def templates() -> Environment:
    """The day sheet's templates, loaded on the first day sheet: Jinja2 stays off the cold start."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("shipcaptaincrew.web", "templates"),
                       autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)  # fmt: skip


async def sheet_page(request: Request) -> Response:
    if wait := guard.wait_for(request, guard.limits(request).pages):
        return too_many(request, wait)
    ctx, params = context(request), request.path_params
    try:
        sheet = await off_loop(request, day_sheets.day_sheet, ctx, params["person_id"], params["secret"])
    except NotFound:
        return not_found(request)
    return page(request, "day/sheet.html", day_sheet_view.sheet_facts(ctx, request.app.state.site, sheet))


async def service_worker(request: Request) -> Response:
    """The worker that keeps the offline copy; served from the prefix's root so that its scope covers every sheet."""
    return FileResponse(STATIC / "sw.js", media_type="text/javascript", headers={"Cache-Control": "no-cache"})


async def nothing_here(request: Request) -> Response:
    if wait := guard.wait_for(request, guard.limits(request).pages):
        return too_many(request, wait)
    return not_found(request)


def page(request: Request, name: str, data: dict[str, Any], status: int = 200,
         headers: dict[str, str] | None = None) -> Response:  # fmt: skip
    site = request.app.state.site
    html = templates().get_template(name).render(operator=site.operator, prefix=prefix(request), **data)
    return Response(html, status, headers={"Cache-Control": "no-store", **(headers or {})}, media_type="text/html")


def message(request: Request, status: int, heading: str, text: str, headers: dict[str, str] | None = None) -> Response:
    return page(request, "day/message.html", {"heading": heading, "message": text}, status, headers)


def not_found(request: Request) -> Response:
    guard.missed(request)
    return message(request, 404, "Day sheet not found",
                   "This link does not lead to a day sheet. Ask the dispatcher for your current link.")  # fmt: skip


def too_many(request: Request, wait: int) -> Response:
    return message(request, 429, "Too many attempts", f"Please wait {wait} seconds and try again.",
                   {"Retry-After": str(wait)})  # fmt: skip


def prefix(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def routes() -> list[Any]:
    return [
        Mount("/day/_static", StaticFiles(directory=STATIC), name="day-static"),
        Route("/day/sw.js", service_worker, methods=["GET"]),
        Route("/day/{person_id}/{secret}", sheet_page, methods=["GET"]),
        Route("/day/{rest:path}", nothing_here, methods=["GET", "POST"]),
    ]
