"""Waiver use cases: set the text, sign, void, read the signatures and the signer's copy."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from shipcaptaincrew.domain import seals, waivers
from shipcaptaincrew.domain.errors import Conflict, InvalidInput, NotFound
from shipcaptaincrew.domain.events import Event
from shipcaptaincrew.domain.mail import Email, OutboxMessage
from shipcaptaincrew.domain.seals import ChainHead
from shipcaptaincrew.domain.text import clean_line
from shipcaptaincrew.domain.tokens import FormTicket
from shipcaptaincrew.domain.waivers import Signature, SignatureDraft, Void, WaiverVersion
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services import guest_links
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.ids import new_id
from shipcaptaincrew.services.lookup import existing_event
from shipcaptaincrew.services.retries import retried

R = TypeVar("R", Signature, Void)
COPY_EMAILS_PER_EVENT = 20

DEFAULT_WAIVER = """RELEASE OF LIABILITY, WAIVER OF CLAIMS AND ASSUMPTION OF RISK

I am taking part voluntarily in a boat charter. I understand that boating involves risks, including slips and falls, sudden movements of the vessel, weather, cold water and drowning, and that these risks cannot all be removed by care.

I will follow the captain's and the crew's instructions, wear a life jacket when asked, and tell the crew about any condition that may affect my safety.

To the extent the law allows, I release the operator, its captains and crew from claims for injury or loss arising from ordinary negligence during the charter. This release does not cover gross negligence or wilful misconduct.

This text is the operator's default; replace it with your own (`scc waiver set FILE`).
"""  # noqa: E501


def current_waiver(ctx: Context) -> WaiverVersion:
    """The waiver guests sign now; on a fresh store, the default text becomes version 1."""
    with ctx.store.reading() as uow:
        current = uow.waivers.current_version()
    return current or set_waiver_text(ctx, DEFAULT_WAIVER, "first-run")


@retried
def set_waiver_text(ctx: Context, text: str, actor: str) -> WaiverVersion:
    """Add a new immutable version (the same text again adds nothing). Earlier signatures keep theirs."""
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        current = uow.waivers.current_version()
        version = waivers.new_version((current.id if current else 0) + 1, text, now)
        if current is not None and current.sha256 == version.sha256:
            return current
        uow.waivers.add_version(version)
        uow.audit.append("waiver.version_added", actor, now, {"id": version.id, "sha256": version.sha256})
    return version


@retried
def sign_waiver(ctx: Context, slug: str, draft: SignatureDraft, origin: tuple[str, str], form: FormTicket) -> Signature:
    """Record a signature, sealed and chained, recount the event, audit it and queue the signer's copy, in one
    transaction. `origin` is (ip, user agent); `form` the form token's nonce, spent here: a form signs once.

    Raise NotFound (unknown event), SigningClosed (cancelled, or the charter's period has ended), InvalidInput
    (a field), StaleWaiver (another version was shown), FormAlreadyUsed. Nothing is written then.
    """
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        event = existing_event(uow, slug)
        waivers.check_open(event, now, waivers.signing_closes_at(event, ctx.periods, ctx.zone))
        current = uow.waivers.current_version()
        if current is None:
            raise InvalidInput("no waiver text is set yet; ask the operator", "version")
        identity = (new_id("sig", now), secrets.token_urlsafe(24))
        signature = waivers.sign(event, current, draft, identity, now, origin)
        uow.waivers.spend_form_token(form.nonce, form.expires_at, now)
        signature = _append(ctx, uow, lambda head: waivers.sealed(ctx.keys.seal, signature, head))
        signed = uow.waivers.for_event(event.slug)
        _recount(uow, event, signed)
        uow.audit.append("waiver.signed", signature.guest_name, now, {"id": signature.id, "slug": event.slug})
        if signature.email and sum(1 for earlier in signed if earlier.email) <= copy_email_cap(event):
            path = waivers.copy_path(guest_links.party_path(ctx, event), signature)
            _queue_copy(uow, waivers.copy_email(event, signature, current, path, ctx.public_url), now)
    return signature


def copy_email_cap(event: Event) -> int:
    """How many signers' copies one event may send: the copy goes to any address the form is given, so a link
    passed around cannot be turned into a mailer."""
    return max(COPY_EMAILS_PER_EVENT, 2 * event.details.party_size)


@retried
def void_signature(ctx: Context, signature_id: str, reason: str, actor: str) -> tuple[Void, Event]:
    """Take a signature out of the count and the manifest with a void record (sealed and chained, audited); the
    signature stays. Raise NotFound, InvalidInput (no reason), Conflict (voided already)."""
    now = ctx.clock.now()
    why = clean_line(reason, "reason", max_len=300)
    with ctx.store.writing() as uow:
        signature = uow.waivers.get_signature(signature_id)
        if signature is None:
            raise NotFound(f"no signature {signature_id!r}", "id")
        if any(void.signature_id == signature_id for void in uow.waivers.voids_for_event(signature.event_slug)):
            raise Conflict("this signature was voided already", "id")
        event = existing_event(uow, signature.event_slug)
        draft = Void(new_id("void", now), signature_id, signature.event_key, why, actor, now.isoformat())
        void = _append(ctx, uow, lambda head: waivers.sealed_void(ctx.keys.seal, draft, head))
        _recount(uow, event, uow.waivers.for_event(event.slug))
        uow.audit.append("waiver.voided", actor, now, {"id": signature_id, "slug": event.slug, "reason": why})
        voided = uow.events.get(event.slug)
    assert voided is not None
    return void, voided


@dataclass(frozen=True)
class SignedRecord:
    """A signature as the dispatcher sees it: counted, superseded by the same person's newer one, or voided."""

    signature: Signature
    void: Void | None = None
    superseded: bool = False

    @property
    def status(self) -> str:
        return "voided" if self.void else "superseded" if self.superseded else "counted"


def signatures(ctx: Context, slug: str) -> tuple[Event, list[SignedRecord]]:
    """The event and every signature it has, in signing order, each with its status."""
    with ctx.store.reading() as uow:
        event = existing_event(uow, slug)
        return event, _records(uow.waivers.for_event(event.slug), uow.waivers.voids_for_event(event.slug))


def counted_signatures(ctx: Context, slug: str) -> tuple[Event, list[Signature]]:
    """The event and the signatures that count (the manifest): not voided, each person's newest."""
    event, records = signatures(ctx, slug)
    return event, [record.signature for record in records if record.status == "counted"]


def signed_copy(ctx: Context, slug: str, secret: str, copy_token: str) -> SignedCopy:
    """The signer's copy by its party link and its own unguessable token; raise NotFound for any other pair."""
    event = guest_links.open_event(ctx, slug, secret)
    with ctx.store.reading() as uow:
        signature = uow.waivers.by_copy_token(copy_token)
        if signature is None or signature.event_key != event.key:
            raise NotFound("no signed waiver at this address", "copy")
        version = uow.waivers.get_version(signature.version_id)
        void = next((v for v in uow.waivers.voids_for_event(event.slug) if v.signature_id == signature.id), None)
    if version is None:
        raise NotFound("no signed waiver at this address", "copy")
    return SignedCopy(signature, version, event, void)


@dataclass(frozen=True)
class SignedCopy:
    signature: Signature
    version: WaiverVersion
    event: Event
    void: Void | None


def _append(ctx: Context, uow: UnitOfWork, seal: Callable[[ChainHead], R]) -> R:
    """Seal the record after the chain's head, store it and move the head, in the caller's transaction."""
    head = uow.waivers.chain_head()
    record = seal(head)
    if isinstance(record, Signature):
        uow.waivers.add_signature(record)
    else:
        assert isinstance(record, Void)
        uow.waivers.add_void(record)
    assert record.position is not None
    uow.waivers.move_chain_head(seals.head_after(ctx.keys.seal, record.position, record.seal), head)
    return record


def _recount(uow: UnitOfWork, event: Event, signed: list[Signature]) -> None:
    voided = {void.signature_id for void in uow.waivers.voids_for_event(event.slug)}
    uow.events.set_waivers_signed(event.slug, len(waivers.counted(signed, voided)))


def _records(signed: list[Signature], voids: list[Void]) -> list[SignedRecord]:
    by_signature = {void.signature_id: void for void in voids}
    counted = {signature.id for signature in waivers.counted(signed, by_signature)}
    return [
        SignedRecord(signature, by_signature.get(signature.id), signature.id not in counted) for signature in signed
    ]


def _queue_copy(uow: UnitOfWork, email: Email, now: datetime) -> None:
    message_id = new_id("msg", now)
    uow.outbox.add(OutboxMessage(message_id, f"<{message_id}@shipcaptaincrew>", email, now, kind="waiver-copy"))
