"""The admin waiver API: the current text, a new version, an event's signatures, voiding one; the guest link."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shipcaptaincrew.domain.waivers import WaiverNotReady, WaiverVersion
from shipcaptaincrew.services import guest_links, waivers
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.waivers import SignedRecord
from shipcaptaincrew.web import convert, schemas, waiver_schemas
from shipcaptaincrew.web.http import admin_only, json_response, read_json, run_use_case


@admin_only
async def current_waiver(request: Request) -> Response:
    def work(ctx: Context, actor: str) -> waiver_schemas.WaiverOut:
        current = waivers.current_waiver(ctx)
        if current is None:
            raise WaiverNotReady("no waiver text is set yet; guests cannot sign until one is (PUT /api/waiver)", "text")
        return waiver_out(current)

    return json_response(await run_use_case(request, work))


@admin_only
async def set_waiver(request: Request) -> Response:
    body = await read_json(request, waiver_schemas.WaiverIn)

    def work(ctx: Context, actor: str) -> waiver_schemas.WaiverOut:
        return waiver_out(waivers.set_waiver_text(ctx, body.text, actor))

    return json_response(await run_use_case(request, work))


@admin_only
async def event_waivers(request: Request) -> Response:
    def work(ctx: Context, actor: str) -> waiver_schemas.SignatureListOut:
        event, found = waivers.signatures(ctx, request.path_params["slug"])
        party = ctx.path_prefix + guest_links.party_path(ctx, event)
        listed = [signature_out(record, party) for record in found]
        return waiver_schemas.SignatureListOut(event.slug, event.details.party_size, event.waivers_signed, listed)

    return json_response(await run_use_case(request, work))


@admin_only
async def void_signature(request: Request) -> Response:
    body = await read_json(request, waiver_schemas.VoidIn)

    def work(ctx: Context, actor: str) -> waiver_schemas.VoidOut:
        void, event = waivers.void_signature(ctx, request.path_params["signature_id"], body.reason, actor)
        return waiver_schemas.VoidOut(
            void.signature_id, void.id, void.reason, void.voided_at, convert.event_out(event, ctx)
        )

    return json_response(await run_use_case(request, work))


@admin_only
async def rotate_guest_link(request: Request) -> Response:
    def work(ctx: Context, actor: str) -> schemas.EventOut:
        return convert.event_out(guest_links.rotate_link(ctx, request.path_params["slug"], actor), ctx)

    return json_response(await run_use_case(request, work))


def waiver_out(version: WaiverVersion) -> waiver_schemas.WaiverOut:
    return waiver_schemas.WaiverOut(version.id, version.text, version.sha256, version.created_at)


def signature_out(record: SignedRecord, party: str) -> waiver_schemas.SignatureOut:
    signature, void = record.signature, record.void
    return waiver_schemas.SignatureOut(
        id=signature.id,
        guest_name=signature.guest_name,
        email=signature.email,
        phone=signature.phone,
        date_of_birth=signature.date_of_birth,
        minor=signature.minor,
        guardian_name=signature.guardian_name,
        guardian_relationship=signature.guardian_relationship,
        emergency_name=signature.emergency_name,
        emergency_phone=signature.emergency_phone,
        typed_signature=signature.typed_signature,
        drawn=bool(signature.drawn_signature),
        version_id=signature.version_id,
        signed_at=signature.signed_at,
        ip=signature.ip,
        user_agent=signature.user_agent,
        record_hash=signature.record_hash,
        copy_url=f"{party}/signed/{signature.copy_token}",
        status=record.status,
        void_reason=void.reason if void else None,
        voided_at=void.voided_at if void else None,
    )


ROUTES: list[Any] = [
    Route("/api/waiver", current_waiver, methods=["GET"]),
    Route("/api/waiver", set_waiver, methods=["PUT"]),
    Route("/api/events/{slug}/waivers", event_waivers, methods=["GET"]),
    Route("/api/waivers/{signature_id}/void", void_signature, methods=["POST"]),
    Route("/api/events/{slug}/guest-link/rotate", rotate_guest_link, methods=["POST"]),
]
