"""The payments API: log a payment or a refund (idempotently), reverse a payment, read an event's ledger."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shipcaptaincrew.domain.errors import InvalidInput, NeedsConfirmation
from shipcaptaincrew.domain.ledger import Entry, PaymentDraft
from shipcaptaincrew.domain.money import parse_cents
from shipcaptaincrew.services import payments
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web import convert, schemas
from shipcaptaincrew.web.delivery import after_response
from shipcaptaincrew.web.http import admin_only, json_response, read_json, run_use_case

MAX_KEY = 200


@admin_only
async def log_payment(request: Request) -> Response:
    body = await read_json(request, schemas.PaymentIn)
    key = _idempotency_key(request)
    draft = replace(_draft(body), confirmed=body.confirm)

    def work(ctx: Context, actor: str) -> tuple[bytes, bool]:
        if key is None:
            return _render(ctx, payments.log_payment(ctx, body.event_id, draft, actor)), False
        fingerprint = hashlib.sha256(msgspec.json.encode(body)).hexdigest()
        logged = payments.log_payment_once(ctx, body.event_id, draft, actor, key, fingerprint)
        return _render(ctx, logged.result), logged.replayed

    try:
        return _logged(request, *await run_use_case(request, work))
    except NeedsConfirmation as error:
        hint = '; if it is right, send it again with "confirm": true'
        raise NeedsConfirmation(error.message + hint, error.field) from None


@admin_only
async def log_refund(request: Request) -> Response:
    body = await read_json(request, schemas.RefundIn)
    key = _idempotency_key(request)
    draft = _draft(body)

    def work(ctx: Context, actor: str) -> tuple[bytes, bool]:
        if key is None:
            return _render(ctx, payments.log_refund(ctx, body.event_id, draft, actor)), False
        fingerprint = hashlib.sha256(b"refund" + msgspec.json.encode(body)).hexdigest()
        logged = payments.log_refund_once(ctx, body.event_id, draft, actor, key, fingerprint)
        return _render(ctx, logged.result), logged.replayed

    return _logged(request, *await run_use_case(request, work))


def _logged(request: Request, content: bytes, replayed: bool) -> Response:
    """201 with the entry and its event, a replay too (marked so: it wrote nothing), then any mail it queued."""
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return Response(content, 201, headers, media_type="application/json", background=after_response(request))


@admin_only
async def rain_check(request: Request) -> Response:
    body = await read_json(request, schemas.RainCheckIn)
    amount = None if isinstance(body.amount, msgspec.UnsetType) else convert.optional_cents(body.amount, "amount")

    def work(ctx: Context, actor: str) -> schemas.RainCheckOut:
        found = payments.give_rain_check(ctx, request.path_params["slug"], body.to_event, amount, actor)
        source, target = convert.event_out(found.source, ctx), convert.event_out(found.target, ctx)
        return schemas.RainCheckOut(entry_out(found.left), entry_out(found.arrived), source, target)

    return json_response(await run_use_case(request, work), 201)


@admin_only
async def reverse_payment(request: Request) -> Response:
    body = await read_json(request, schemas.ReverseIn)

    def work(ctx: Context, actor: str) -> bytes:
        return _render(ctx, payments.reverse_payment(ctx, request.path_params["entry_id"], body.reason, actor))

    return _json_bytes(await run_use_case(request, work), 201)


@admin_only
async def event_payments(request: Request) -> Response:
    def work(ctx: Context, actor: str) -> schemas.StatementOut:
        found = payments.statement(ctx, request.path_params["slug"])
        reversed_ids = {entry.reverses for entry in found.entries if entry.reverses}
        lines = [
            schemas.StatementLineOut(entry_out(entry), balance, entry.id in reversed_ids)
            for entry, balance in zip(found.entries, found.balances, strict=True)
        ]
        return schemas.StatementOut(convert.event_out(found.event, ctx), lines)

    return json_response(await run_use_case(request, work))


def entry_out(entry: Entry) -> schemas.EntryOut:
    return schemas.EntryOut(
        id=entry.id,
        event_id=entry.event_slug,
        kind=entry.kind,
        amount_cents=entry.amount_cents,
        payment_method=entry.method,
        patron_name=entry.patron_name,
        reference=entry.reference,
        note=entry.note,
        received_on=entry.received_on,
        actor=entry.actor,
        recorded_at=entry.recorded_at,
        reverses=entry.reverses,
        reason=entry.reason,
    )


def _render(ctx: Context, result: payments.PaymentResult) -> bytes:
    return msgspec.json.encode(schemas.PaymentLogOut(entry_out(result.entry), convert.event_out(result.event, ctx)))


def _draft(body: schemas.MoneyIn) -> PaymentDraft:
    text = convert.amount_text(body.amount, "amount")
    if text is None:
        raise InvalidInput("amount is required", "amount")
    return PaymentDraft(
        amount_cents=parse_cents(text, "amount"),
        method=body.payment_method,
        patron_name=body.patron_name,
        reference=body.reference,
        note=body.note,
        received_on=body.received_on,
    )


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY or not key.isascii() or not key.isprintable():
        raise InvalidInput(f"Idempotency-Key must be 1-{MAX_KEY} printable ASCII characters", "Idempotency-Key")
    return key


def _json_bytes(content: bytes, status: int) -> Response:
    return Response(content, status, media_type="application/json")


ROUTES: list[Any] = [
    Route("/api/payment-log", log_payment, methods=["POST"]),
    Route("/api/refund-log", log_refund, methods=["POST"]),
    Route("/api/events/{slug}/rain-check", rain_check, methods=["POST"]),
    Route("/api/payments/{entry_id}/reverse", reverse_payment, methods=["POST"]),
    Route("/api/events/{slug}/payments", event_payments, methods=["GET"]),
]
