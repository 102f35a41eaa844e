"""Day sheets: a captain's or crew member's phone page for the charter day, at their private link.

Server-rendered, and usable with JavaScript off: each tap (aboard, a walk-up, depart, returned) is a form POST
answered with a redirect back to the sheet, so a retry lands where the first did. POSTs must come from the sheet
itself (the guest form's same-origin check) and count against the client like guest pages. A small service
worker at `/day/sw.js` (scope `/day/`) keeps the last good copy of the sheet, so the dock's poor signal still
shows it, with the time it was read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shipcaptaincrew.domain.errors import Conflict, InvalidInput, NotFound
from shipcaptaincrew.services import charter_day, day_sheets
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import day_sheet_view
from shipcaptaincrew.web import guest_guard as guard
from shipcaptaincrew.web.delivery import after_response
from shipcaptaincrew.web.http import context, off_loop
from shipcaptaincrew.web.page_templates import templates

STATIC = Path(__file__).parent / "static" / "day"


Tap = Callable[[Context, str, str, str, dict[str, str]], object]


async def sheet_page(request: Request) -> Response:
    if wait := guard.wait_for(request, guard.limits(request).pages):
        return too_many(request, wait)
    return await sheet(request)


async def sheet(request: Request, errors: dict[str, str] | None = None, status: int = 200) -> Response:
    """The sheet, with a message on the charter a tap was refused for (`errors`, by slug)."""
    ctx, params = context(request), request.path_params
    try:
        found = await off_loop(request, day_sheets.day_sheet, ctx, params["person_id"], params["secret"])
    except NotFound:
        return not_found(request)
    facts = day_sheet_view.sheet_facts(ctx, request.app.state.web_settings, found, sheet_path(request), errors or {})
    return page(request, "day/sheet.html", facts, status)


def tapping(work: Tap, queues_mail: bool = False) -> Callable[[Request], Any]:
    """A POST from the sheet: checked, done, and answered with a redirect back to the charter on the sheet.

    `queues_mail`: the tap may queue mail for the shore contact, so its answer hands delivery on; a tap that queues
    none (a check-in, a walk-up) does not, which on Lambda would cost an invocation that finds nothing to send.
    """

    async def endpoint(request: Request) -> Response:
        if wait := guard.wait_for(request, guard.limits(request).pages):
            return too_many(request, wait)
        if guard.is_cross_site(request):
            return message(request, 403, "This must be sent from the day sheet", "Open your day sheet and tap again.")
        params, values = request.path_params, await form_values(request)
        try:
            await off_loop(
                request, work, context(request), params["person_id"], params["secret"], params["slug"], values
            )
        except NotFound:
            return not_found(request)
        except (InvalidInput, Conflict) as refused:
            status = 400 if isinstance(refused, InvalidInput) else 409
            return await sheet(request, {params["slug"]: _sentence(refused.message)}, status)
        location = f"{sheet_path(request)}#{params['slug']}"
        mailed = queues_mail and bool(context(request).shore_email)
        return RedirectResponse(location, 303, background=after_response(request) if mailed else None)

    return endpoint


def _aboard(ctx: Context, person_id: str, secret: str, slug: str, values: dict[str, str]) -> object:
    aboard = values.get("aboard", "")
    if aboard not in ("yes", "no"):
        raise InvalidInput("aboard must be yes or no", "aboard")
    return charter_day.set_aboard(ctx, person_id, secret, slug, values.get("guest", ""), aboard == "yes")


def _walk_up(ctx: Context, person_id: str, secret: str, slug: str, values: dict[str, str]) -> object:
    return charter_day.add_walk_up(ctx, person_id, secret, slug, values.get("name", ""))


def _depart(ctx: Context, person_id: str, secret: str, slug: str, values: dict[str, str]) -> object:
    return charter_day.depart(ctx, person_id, secret, slug, values.get("override_reason", ""))


def _return(ctx: Context, person_id: str, secret: str, slug: str, values: dict[str, str]) -> object:
    return charter_day.mark_returned(ctx, person_id, secret, slug)


async def form_values(request: Request) -> dict[str, str]:
    body = await request.body()
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {name: values[0] for name, values in parsed.items() if values}


def sheet_path(request: Request) -> str:
    """The sheet's own path as the browser sees it (under the stage's prefix)."""
    params = request.path_params
    return f"{prefix(request)}/day/{params['person_id']}/{params['secret']}"


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


async def service_worker(request: Request) -> Response:
    """The worker that keeps the offline copy; served from the prefix's root so that its scope covers every sheet."""
    return FileResponse(STATIC / "sw.js", media_type="text/javascript", headers={"Cache-Control": "no-cache"})


async def nothing_here(request: Request) -> Response:
    if wait := guard.wait_for(request, guard.limits(request).pages):
        return too_many(request, wait)
    return not_found(request)


def page(
    request: Request, name: str, data: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    operator = request.app.state.ctx.operator
    html = templates().get_template(name).render(operator=operator, prefix=prefix(request), **data)
    return Response(html, status, headers={"Cache-Control": "no-store", **(headers or {})}, media_type="text/html")


def message(request: Request, status: int, heading: str, text: str, headers: dict[str, str] | None = None) -> Response:
    return page(request, "day/message.html", {"heading": heading, "message": text}, status, headers)


def not_found(request: Request) -> Response:
    guard.missed(request)
    return message(
        request,
        404,
        "Day sheet not found",
        "This link does not lead to a day sheet. Ask the dispatcher for your current link.",
    )


def too_many(request: Request, wait: int) -> Response:
    return message(
        request, 429, "Too many attempts", f"Please wait {wait} seconds and try again.", {"Retry-After": str(wait)}
    )


def prefix(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def routes() -> list[Any]:
    return [
        Mount("/day/_static", StaticFiles(directory=STATIC), name="day-static"),
        Route("/day/sw.js", service_worker, methods=["GET"]),
        Route("/day/{person_id}/{secret}", sheet_page, methods=["GET"]),
        Route("/day/{person_id}/{secret}/{slug}/aboard", tapping(_aboard), methods=["POST"]),
        Route("/day/{person_id}/{secret}/{slug}/walk-up", tapping(_walk_up), methods=["POST"]),
        Route("/day/{person_id}/{secret}/{slug}/depart", tapping(_depart, queues_mail=True), methods=["POST"]),
        Route("/day/{person_id}/{secret}/{slug}/return", tapping(_return, queues_mail=True), methods=["POST"]),
        Route("/day/{rest:path}", nothing_here, methods=["GET", "POST"]),
    ]
