"""Guest pages: the party page, the waiver form (works without JavaScript), the signer's copy and its PDF."""

from __future__ import annotations

import functools
import secrets
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shipcaptaincrew.domain import drawings, tokens, waivers
from shipcaptaincrew.domain.errors import AlreadyUsed, InvalidInput, NotFound, Unauthorized, Unavailable
from shipcaptaincrew.domain.events import Event
from shipcaptaincrew.domain.waivers import SignatureDraft, SigningClosed, StaleWaiver
from shipcaptaincrew.services import guest_links
from shipcaptaincrew.services import waivers as waiver_service
from shipcaptaincrew.web import guest_guard as guard
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
    event = await _opened(request, "")
    if isinstance(event, Response):
        return event
    return _page(request, "party.html", _event_facts(request, event))


async def waiver_form(request: Request) -> Response:
    event = await _opened(request, "/waiver")
    if isinstance(event, Response):
        return event
    closed = _closed(request, event)
    if closed is not None:
        return closed
    return await _form(request, event, {}, {}, "", 200)


async def sign(request: Request) -> Response:
    ctx = context(request)
    wait = guard.wait_for(request, guard.limits(request).signatures)
    if wait:
        return _too_many(request, wait)
    if guard.is_cross_site(request):
        return _message(request, 403, "This form must be sent from its own page",
                        "Open your charter's link again and sign the waiver there.")  # fmt: skip
    event = await _opened(request, "/waiver", counted=False)
    if isinstance(event, Response):
        return event
    values = await _form_values(request)
    try:
        ticket = tokens.check_form_token(ctx.keys.form, values.get("form_token", ""), _form_purpose(event),
                                         ctx.clock.now(), FORM_MAX_AGE)  # fmt: skip
        origin = (client_address(request), request.headers.get("user-agent", ""))
        signature = await run_in_threadpool(waiver_service.sign_waiver, ctx, event.slug, _draft(values), origin, ticket)
    except (InvalidInput, Unauthorized) as error:
        if error.field == "drawn_signature":  # a hidden field: said at the top, and the drawing dropped
            return await _form(request, event, {**values, "drawn_signature": ""}, {}, error.message, 400)
        if error.field in FORM_FIELDS:
            errors = {str(error.field): error.message}
            return await _form(request, event, values, errors, "Please check the highlighted field.", 400)
        return await _form(request, event, values, {}, error.message, 400)
    except StaleWaiver as error:
        return await _form(request, event, values, {}, error.message, 409)
    except AlreadyUsed as error:
        return _message(request, 409, "This form was sent already", error.message)
    except SigningClosed as error:
        return _message(request, 409, "This waiver can no longer be signed", _sentence(error.message))
    except Unavailable as error:  # nothing was saved: the same form can be sent again
        pause = str(error.retry_after or 1)
        return _message(request, 503, "Too many signatures at once", "Nothing was saved yet. Please send the form "
                        "again in a moment.", {"Retry-After": pause})  # fmt: skip
    copy_url = waivers.copy_path(_party(request, event), signature)
    return RedirectResponse(copy_url, 303, background=after_response(request))


async def signed_copy(request: Request) -> Response:
    found = await _copy(request)
    if isinstance(found, Response):
        return found
    facts = _event_facts(request, found.event)
    drawn = bool(found.signature.drawn_signature) and drawings.size_of(found.signature.drawn_signature) is not None
    page = {**facts, "signature": found.signature, "version": found.version, "void": found.void, "drawn": drawn}
    return _page(request, "signed.html", page)


async def signed_copy_pdf(request: Request) -> Response:
    from shipcaptaincrew.web.waiver_pdf import render_pdf  # fpdf2 is heavy: only imported when a PDF is asked for

    found = await _copy(request)
    if isinstance(found, Response):
        return found
    pdf = await run_in_threadpool(render_pdf, _site(request).operator, found.event, found.signature, found.version,
                                  found.void)  # fmt: skip
    name = f"waiver-{found.event.slug}-{found.signature.id}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(pdf, media_type="application/pdf", headers=headers)


async def guest_not_found(request: Request) -> Response:
    wait = guard.wait_for(request, guard.limits(request).pages)
    if wait:
        return _too_many(request, wait)
    return _not_found(request)


async def _opened(request: Request, suffix: str, counted: bool = True) -> Event | Response:
    """The event the path's slug and secret open, or the answer instead: 429 for a client over its limit, 404 for
    a link that leads nowhere (the same page for an unknown slug and a wrong secret), a redirect from an old slug."""
    if counted and (wait := guard.wait_for(request, guard.limits(request).pages)):
        return _too_many(request, wait)
    slug, secret = request.path_params["slug"], request.path_params["secret"]
    try:
        event = await run_in_threadpool(guest_links.open_event, context(request), slug, secret)
    except NotFound:
        return _not_found(request)
    if event.slug != slug:
        rest = request.url.path.partition(f"/{slug}/{secret}")[2] or suffix
        return RedirectResponse(f"{_party(request, event)}{rest}", 301)
    return event


def _closed(request: Request, event: Event) -> Response | None:
    ctx = context(request)
    try:
        waivers.check_open(event, ctx.clock.now(), waivers.signing_closes_at(event, ctx.periods, ctx.zone))
    except SigningClosed as error:
        return _message(request, 409, "This waiver can no longer be signed", _sentence(error.message))
    except Unavailable as error:  # nothing was saved: the same form can be sent again
        pause = str(error.retry_after or 1)
        return _message(request, 503, "Too many signatures at once", "Nothing was saved yet. Please send the form "
                        "again in a moment.", {"Retry-After": pause})  # fmt: skip
    return None


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def _form_purpose(event: Event) -> str:
    return f"waiver:{event.key}"


async def _copy(request: Request) -> waiver_service.SignedCopy | Response:
    """The signature a copy link names with its party link, or the answer instead (429, or 404 for a link that
    leads nowhere)."""
    wait = guard.wait_for(request, guard.limits(request).pages)
    if wait:
        return _too_many(request, wait)
    params = request.path_params
    try:
        return await run_in_threadpool(
            waiver_service.signed_copy, context(request), params["slug"], params["secret"], params["token"]
        )
    except NotFound:
        return _not_found(request)


async def _form(request: Request, event: Event, values: dict[str, str], errors: dict[str, str], message: str,
                status: int) -> Response:  # fmt: skip
    ctx = context(request)
    waiver = await run_in_threadpool(waiver_service.current_waiver, ctx)
    token = tokens.form_token(ctx.keys.form, _form_purpose(event), ctx.clock.now(), secrets.token_urlsafe(12))
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


def _event_facts(request: Request, event: Event) -> dict[str, Any]:
    period = context(request).periods.get(event.details.period)
    site = _site(request)
    return {
        "slug": event.slug,
        "party": _party(request, event),
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
    guard.missed(request)
    text = "This link does not lead to a charter. Check the link you were sent, or ask the person who booked."
    return _message(request, 404, "Charter not found", text)


def _too_many(request: Request, wait: int) -> Response:
    return _message(request, 429, "Too many attempts", f"Please wait {wait} seconds and try again.",
                    {"Retry-After": str(wait)})  # fmt: skip


def _party(request: Request, event: Event) -> str:
    """The party page's path as the browser sees it (under the stage's prefix), the base of every guest link."""
    return f"{_prefix(request)}{guest_links.party_path(context(request), event)}"


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _prefix(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def routes(static_dir: str) -> list[Any]:
    return [
        Mount("/g/_static", StaticFiles(directory=static_dir), name="guest-static"),
        Route("/g/{slug}/{secret}", party_page, methods=["GET"]),
        Route("/g/{slug}/{secret}/waiver", waiver_form, methods=["GET"]),
        Route("/g/{slug}/{secret}/waiver", sign, methods=["POST"]),
        Route("/g/{slug}/{secret}/signed/{token}.pdf", signed_copy_pdf, methods=["GET"]),
        Route("/g/{slug}/{secret}/signed/{token}", signed_copy, methods=["GET"]),
        Route("/g/{rest:path}", guest_not_found, methods=["GET", "POST"]),
    ]
