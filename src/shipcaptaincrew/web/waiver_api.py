"""The admin waiver API: the current text, a new version, an event's signatures."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shipcaptaincrew.domain.waivers import Signature, WaiverVersion
from shipcaptaincrew.services import waivers
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import convert, schemas
from shipcaptaincrew.web.http import admin_only, in_thread, json_response, read_json


@admin_only
async def current_waiver(request: Request) -> Response:
    def work(ctx: Context, actor: str) -> schemas.WaiverOut:
        return waiver_out(waivers.current_waiver(ctx))

    return json_response(await in_thread(request, work))


@admin_only
async def set_waiver(request: Request) -> Response:
    body = await read_json(request, schemas.WaiverIn)

    def work(ctx: Context, actor: str) -> schemas.WaiverOut:
        return waiver_out(waivers.set_waiver_text(ctx, body.text, actor))

    return json_response(await in_thread(request, work))


@admin_only
async def event_waivers(request: Request) -> Response:
    def work(ctx: Context, actor: str) -> schemas.SignatureListOut:
        event, found = waivers.signatures(ctx, request.path_params["slug"])
        return schemas.SignatureListOut(
            event.slug, event.details.party_size, [signature_out(s, ctx.path_prefix) for s in found]
        )

    return json_response(await in_thread(request, work))


def waiver_out(version: WaiverVersion) -> schemas.WaiverOut:
    return schemas.WaiverOut(version.id, version.text, version.sha256, version.created_at)


def signature_out(signature: Signature, path_prefix: str) -> schemas.SignatureOut:
    return schemas.SignatureOut(
        id=signature.id, guest_name=signature.guest_name, email=signature.email, phone=signature.phone,
        date_of_birth=signature.date_of_birth, minor=signature.minor, guardian_name=signature.guardian_name,
        guardian_relationship=signature.guardian_relationship, emergency_name=signature.emergency_name,
        emergency_phone=signature.emergency_phone, typed_signature=signature.typed_signature,
        drawn=bool(signature.drawn_signature), version_id=signature.version_id, signed_at=signature.signed_at,
        ip=signature.ip, user_agent=signature.user_agent, record_hash=signature.record_hash,
        copy_url=convert.guest_url(signature.event_slug, path_prefix, "signed", signature.copy_token),
    )  # fmt: skip


ROUTES: list[Any] = [
    Route("/api/waiver", current_waiver, methods=["GET"]),
    Route("/api/waiver", set_waiver, methods=["PUT"]),
    Route("/api/events/{slug}/waivers", event_waivers, methods=["GET"]),
]
