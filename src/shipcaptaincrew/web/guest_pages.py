"""Guest pages: the party page, the waiver form (works without JavaScript), the signer's copy and its PDF."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shipcaptaincrew.domain import drawings, signing, tokens, waivers
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.errors import AlreadyUsed, InvalidInput, NotFound, Unauthorized, Unavailable
from shipcaptaincrew.domain.guest_words import long_day
from shipcaptaincrew.domain.signing import FormProblems
from shipcaptaincrew.domain.waivers import SigningClosed, StaleWaiver, WaiverNotReady
from shipcaptaincrew.services import guest_links
from shipcaptaincrew.services import waivers as waiver_service
from shipcaptaincrew.services.attachments import copy_filename
from shipcaptaincrew.web import guest_guard as guard
from shipcaptaincrew.web.delivery import after_response
from shipcaptaincrew.web.guest_form import FormView, draft, read_answers, rows_changed
from shipcaptaincrew.web.http import client_address, context
from shipcaptaincrew.web.page_templates import templates
from shipcaptaincrew.web.web_settings import WebSettings

FORM_MAX_AGE = 6 * 3600


async def party_page(request: Request) -> Response:
    event = await _opened(request, "")
    if isinstance(event, Response):
        return event
    ctx = context(request)
    ready = await run_in_threadpool(waiver_service.current_waiver, ctx) is not None
    signers = await run_in_threadpool(waiver_service.signer_initials, ctx, event.slug)
    return _page(request, "party.html", {**_event_facts(request, event), "ready": ready, "signers": signers})


async def waiver_form(request: Request) -> Response:
    event = await _opened(request, "/waiver")
    if isinstance(event, Response):
        return event
    closed = _closed(request, event)
    if closed is not None:
        return closed
    return await _form(request, event, FormView.of({}), "", 200)


def _refused(request: Request) -> Response | None:
    """The answer to a signing POST that is over its client's limit or sent from another site; None: go on."""
    wait = guard.wait_for(request, guard.limits(request).signatures)
    if wait:
        return _too_many(request, wait)
    if guard.is_cross_site(request):
        return _message(
            request,
            403,
            "This form must be sent from its own page",
            "Open your charter's link again and sign the waiver there.",
        )
    return None


async def sign(request: Request) -> Response:
    ctx = context(request)
    refused = _refused(request)
    if refused is not None:
        return refused
    event = await _opened(request, "/waiver", counted=False)
    if isinstance(event, Response):
        return event
    answers = await read_answers(request)
    changed = rows_changed(answers)
    if changed is not None:  # "Add another child" or "Remove" without JavaScript: the form again, answers kept
        return await _form(request, event, FormView.of(changed), "", 200)
    try:
        ticket = tokens.check_form_token(
            ctx.keys.form, answers.get("form_token", ""), _form_purpose(event), ctx.clock.now(), FORM_MAX_AGE
        )
        origin = (client_address(request), request.headers.get("user-agent", ""))
        family = await run_in_threadpool(waiver_service.sign_waiver, ctx, event.slug, draft(answers), origin, ticket)
    except FormProblems as error:
        drawing_refused = any(problem.field == "drawn_signature" for problem in error.problems)
        kept = {**answers, "drawn_signature": ""} if drawing_refused else answers
        return await _form(request, event, FormView.of(kept, error.problems), "", 400)
    except (InvalidInput, Unauthorized) as error:
        return await _form(request, event, FormView.of(answers), _sentence(error.message), 400)
    except StaleWaiver as error:
        return await _form(request, event, FormView.of(answers), _sentence(error.message), 409)
    except AlreadyUsed as error:
        return _message(request, 409, "This form was sent already", error.message)
    except SigningClosed as error:
        return _message(request, 409, "This waiver can no longer be signed", _sentence(error.message))
    except WaiverNotReady:
        return _not_ready(request, event)
    except Unavailable as error:  # nothing was saved: the same form can be sent again
        pause = str(error.retry_after or 1)
        return _message(
            request,
            503,
            "Too many signatures at once",
            "Nothing was saved yet. Please send the form again in a moment.",
            {"Retry-After": pause},
        )
    copy_url = waivers.copy_path(_party(request, event), family[0])
    return RedirectResponse(copy_url, 303, background=after_response(request))


async def signed_copy(request: Request) -> Response:
    found = await _copy(request)
    if isinstance(found, Response):
        return found
    sheet = found.sheet(context(request).words)
    drawn = bool(sheet.drawn_signature) and drawings.size_of(sheet.drawn_signature) is not None
    family = await run_in_threadpool(waiver_service.signed_with, context(request), found.signature)
    party = _party(request, found.event)
    others = [(signature.guest_name, waivers.copy_path(party, signature)) for signature in family]
    page = {
        **_event_facts(request, found.event),
        "sheet": sheet,
        "copy": found.signature,
        "drawn": drawn,
        "others": others,
    }
    return _page(request, "signed.html", page)


async def signed_copy_pdf(request: Request) -> Response:
    found = await _copy(request)
    if isinstance(found, Response):
        return found
    printer = context(request).printer
    if printer is None:
        return _not_found(request)
    pdf = await run_in_threadpool(printer.waiver_copy, found.sheet(context(request).words))
    name = copy_filename(found.signature.guest_name)
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
    return None


def _not_ready(request: Request, event: Event) -> Response:
    """The party page with no form: the operator has not set the waiver text yet."""
    return _page(request, "party.html", {**_event_facts(request, event), "ready": False, "signers": []}, 409)


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


async def _form(request: Request, event: Event, view: FormView, message: str, status: int) -> Response:
    ctx = context(request)
    waiver = await run_in_threadpool(waiver_service.current_waiver, ctx)
    if waiver is None:
        return _not_ready(request, event)
    token = tokens.form_token(ctx.keys.form, _form_purpose(event), ctx.clock.now(), secrets.token_urlsafe(12))
    data = {
        **_event_facts(request, event),
        "waiver": waiver,
        "form_token": token,
        "form": view,
        "values": view.answers,
        "errors": _Errors(view.errors),
        "message": message,
        "consent_label": waivers.CONSENT_LABEL,
        "agreement_label": waivers.AGREEMENT_LABEL,
        "charter_day": event.details.date.isoformat(),
        "max_children": signing.MAX_CHILDREN,
        "relationships": signing.RELATIONSHIPS,
        "words": signing.WORDS,
    }
    return _page(request, "waiver.html", data, status)


class _Errors(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _event_facts(request: Request, event: Event) -> dict[str, Any]:
    words = context(request).words
    return {
        "slug": event.slug,
        "party": _party(request, event),
        "day": long_day(event.details.date),
        "when": words.period(event.details.period),
        "meeting_point": _web_settings(request).meeting_point,
        "ship": event.ship,
        "signed": event.waivers_signed,
        "party_size": event.details.party_size,
        "cancelled": event.details.status == "cancelled",
    }


def _page(
    request: Request, name: str, data: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    environment = templates()
    operator = context(request).operator
    html = environment.get_template(f"guest/{name}").render(operator=operator, prefix=_prefix(request), **data)
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
    return _message(
        request, 429, "Too many attempts", f"Please wait {wait} seconds and try again.", {"Retry-After": str(wait)}
    )


def _party(request: Request, event: Event) -> str:
    """The party page's path as the browser sees it (under the stage's prefix), the base of every guest link."""
    return f"{_prefix(request)}{guest_links.party_path(context(request), event)}"


def _web_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.web_settings
    return settings


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
