"""Guest pages: the party page, the waiver form (works without JavaScript), the signer's copy and its PDF."""

from __future__ import annotations

import functools
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shipcaptaincrew.domain import tokens, waivers
from shipcaptaincrew.domain.errors import Conflict, InvalidInput, NotFound, Unauthorized
from shipcaptaincrew.domain.events import Event
from shipcaptaincrew.domain.throttle import RateLimit
from shipcaptaincrew.domain.waivers import SignatureDraft, StaleWaiver
from shipcaptaincrew.services import queries
from shipcaptaincrew.services import waivers as waiver_service
from shipcaptaincrew.web.delivery import after_response
from shipcaptaincrew.web.http import client_address, context
from shipcaptaincrew.web.site import Site

if TYPE_CHECKING:
    from jinja2 import Environment

FORM_MAX_AGE = 6 * 3600
TEXT_FIELDS = (
    *("guest_name", "email", "phone", "date_of_birth", "emergency_name", "emergency_phone", "guardian_name"),
    *("guardian_relationship", "guardian_signature", "typed_signature", "drawn_signature"),
)


FORM_FIELDS = (*TEXT_FIELDS, "consent", "agreement")


@functools.cache
def templates() -> Environment:
    """The guest page templates, loaded on the first guest page: Jinja2 stays off the cold start."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("shipcaptaincrew.web", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


async def party_page(request: Request) -> Response:
    event = await _current_event(request, "")
    if isinstance(event, Response):
        return event
    return _page(request, "party.html", _event_facts(request, event))


async def waiver_form(request: Request) -> Response:
    event = await _current_event(request, "/waiver")
    if isinstance(event, Response):
        return event
    if event.details.status == "cancelled":
        return _message(request, 409, "This charter was cancelled", "Its waiver can no longer be signed.")
    return await _form(request, event, {}, {}, "", 200)


async def _current_event(request: Request, suffix: str) -> Event | Response:
    """The event for the path's slug, or the answer instead: a 404 page, or a redirect from an old slug."""
    slug = request.path_params["slug"]
    event = await _event_or_none(request, slug)
    if event is None:
        return _not_found(request)
    if event.slug != slug:
        return RedirectResponse(f"{_prefix(request)}/g/{event.slug}{suffix}", 301)
    return event


async def sign(request: Request) -> Response:
    ctx = context(request)
    wait = _sign_limit(request).hit(client_address(request), ctx.clock.now().timestamp())
    if wait:
        return _message(request, 429, "Too many attempts", f"Please wait {wait} seconds and try again.",
                        {"Retry-After": str(wait)})  # fmt: skip
    slug = request.path_params["slug"]
    event = await _event_or_none(request, slug)
    if event is None:
        return _not_found(request)
    values = await _form_values(request)
    try:
        tokens.check_form_token(ctx.keys.form, values.get("form_token", ""), f"waiver:{event.slug}", ctx.clock.now(),
                                FORM_MAX_AGE)  # fmt: skip
        draft = _draft(values)
        signature = await run_in_threadpool(
            waiver_service.sign_waiver, ctx, event.slug, draft, client_address(request),
            request.headers.get("user-agent", ""),
        )  # fmt: skip
    except (InvalidInput, Unauthorized) as error:
        if error.field in FORM_FIELDS:
            errors = {str(error.field): error.message}
            return await _form(request, event, values, errors, "Please check the highlighted field.", 400)
        return await _form(request, event, values, {}, error.message, 400)
    except StaleWaiver as error:
        return await _form(request, event, values, {}, error.message, 409)
    except Conflict as error:
        return _message(request, 409, "This waiver cannot be signed", error.message)
    copy_url = f"{_prefix(request)}/g/{event.slug}/signed/{signature.copy_token}"
    return RedirectResponse(copy_url, 303, background=after_response(request))


async def signed_copy(request: Request) -> Response:
    found = await _copy(request)
    if found is None:
        return _not_found(request)
    signature, version, event = found
    facts = _event_facts(request, event)
    return _page(request, "signed.html", {**facts, "signature": signature, "version": version})


async def signed_copy_pdf(request: Request) -> Response:
    from shipcaptaincrew.web.waiver_pdf import render_pdf  # fpdf2 is heavy: only imported when a PDF is asked for

    found = await _copy(request)
    if found is None:
        return _not_found(request)
    signature, version, event = found
    pdf = await run_in_threadpool(render_pdf, _site(request).operator, event, signature, version)
    name = f"waiver-{event.slug}-{signature.id}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


async def guest_not_found(request: Request) -> Response:
    return _not_found(request)


async def _copy(request: Request) -> tuple[Any, Any, Event] | None:
    """The signature a copy link names, its waiver version and event; None for a link that leads nowhere."""
    token = request.path_params["token"]
    try:
        return await run_in_threadpool(waiver_service.signed_copy, context(request), token)
    except NotFound:
        return None


async def _form(request: Request, event: Event, values: dict[str, str], errors: dict[str, str], message: str,
                status: int) -> Response:  # fmt: skip
    ctx = context(request)
    waiver = await run_in_threadpool(waiver_service.current_waiver, ctx)
    token = tokens.form_token(ctx.keys.form, f"waiver:{event.slug}", ctx.clock.now())
    data = {
        **_event_facts(request, event),
        "waiver": waiver,
        "form_token": token,
        "values": {name: values.get(name, "") for name in FORM_FIELDS},
        "errors": _Errors(errors),
        "message": message,
        "consent_label": waivers.CONSENT_LABEL,
        "agreement_label": waivers.AGREEMENT_LABEL,
    }
    return _page(request, "waiver.html", data, status)


class _Errors(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


async def _form_values(request: Request) -> dict[str, str]:
    body = await request.body()
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=40, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {name: values[0] for name, values in parsed.items() if values}


def _draft(values: dict[str, str]) -> SignatureDraft:
    return SignatureDraft(
        guest_name=values.get("guest_name", ""),
        email=values.get("email", ""),
        phone=values.get("phone", ""),
        date_of_birth=_date(values.get("date_of_birth", "")),
        emergency_name=values.get("emergency_name", ""),
        emergency_phone=values.get("emergency_phone", ""),
        typed_signature=values.get("typed_signature", ""),
        consent=values.get("consent") == "yes",
        agreement=values.get("agreement") == "yes",
        version_id=_int(values.get("version_id", "")),
        version_hash=values.get("version_hash", ""),
        guardian_name=values.get("guardian_name", ""),
        guardian_relationship=values.get("guardian_relationship", ""),
        guardian_signature=values.get("guardian_signature", ""),
        drawn_signature=values.get("drawn_signature", ""),
    )


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("date of birth must be a date like 1990-04-23", "date_of_birth") from None


def _int(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 10 else 0


async def _event_or_none(request: Request, slug: str) -> Event | None:
    try:
        return await run_in_threadpool(queries.get_event, context(request), slug)
    except NotFound:
        return None


def _event_facts(request: Request, event: Event) -> dict[str, Any]:
    period = context(request).periods.get(event.details.period)
    site = _site(request)
    return {
        "slug": event.slug,
        "day": event.details.date.strftime("%A %-d %B %Y"),
        "period_name": period.name,
        "starts": period.starts.strftime("%H:%M"),
        "ends": period.ends.strftime("%H:%M"),
        "meeting_point": site.meeting_point,
        "ship": event.ship,
        "signed": event.waivers_signed,
        "party_size": event.details.party_size,
        "cancelled": event.details.status == "cancelled",
    }


def _page(request: Request, name: str, data: dict[str, Any], status: int = 200,
          headers: dict[str, str] | None = None) -> Response:  # fmt: skip
    environment = templates()
    html = environment.get_template(f"guest/{name}").render(operator=_site(request).operator, prefix=_prefix(request),
                                                             **data)  # fmt: skip
    return Response(html, status, headers={"Cache-Control": "no-store", **(headers or {})}, media_type="text/html")


def _message(
    request: Request, status: int, heading: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    return _page(request, "message.html", {"heading": heading, "message": message}, status, headers)


def _not_found(request: Request) -> Response:
    text = "This link does not lead to a charter. Check the link you were sent, or ask the person who booked."
    return _message(request, 404, "Charter not found", text)


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _prefix(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def routes(static_dir: str) -> list[Any]:
    return [
        Mount("/g/_static", StaticFiles(directory=static_dir), name="guest-static"),
        Route("/g/{slug}", party_page, methods=["GET"]),
        Route("/g/{slug}/waiver", waiver_form, methods=["GET"]),
        Route("/g/{slug}/waiver", sign, methods=["POST"]),
        Route("/g/{slug}/signed/{token}.pdf", signed_copy_pdf, methods=["GET"]),
        Route("/g/{slug}/signed/{token}", signed_copy, methods=["GET"]),
        Route("/g/{rest:path}", guest_not_found, methods=["GET", "POST"]),
    ]


def _sign_limit(request: Request) -> RateLimit:
    """The app's one limit on signatures per client, made on the first signature it sees."""
    state = request.app.state
    if not hasattr(state, "sign_limit"):
        state.sign_limit = RateLimit(limit=20, window_seconds=600)
    limit: RateLimit = state.sign_limit
    return limit
