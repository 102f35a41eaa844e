"""Waiver use cases: set the text, sign, void, read the signatures and the signer's copy."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from shipcaptaincrew.domain import seals, waivers
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.errors import Conflict, NotFound
from shipcaptaincrew.domain.guest_words import GuestWords
from shipcaptaincrew.domain.mail import Email, OutboxMessage
from shipcaptaincrew.domain.seals import ChainHead
from shipcaptaincrew.domain.signing import SignatureDraft
from shipcaptaincrew.domain.text import clean_line
from shipcaptaincrew.domain.tokens import FormTicket
from shipcaptaincrew.domain.waiver_copy import CopySheet, FamilyCopy, copy_email, copy_sheet
from shipcaptaincrew.domain.waivers import Signature, Void, WaiverNotReady, WaiverVersion
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services import guest_links
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.ids import new_id
from shipcaptaincrew.services.lookup import existing_event
from shipcaptaincrew.services.retries import retried

R = TypeVar("R", Signature, Void)
COPY_EMAILS_PER_EVENT = 20
NOT_READY = "the waiver is not ready yet: the operator has not set its text"


def current_waiver(ctx: Context) -> WaiverVersion | None:
    """The waiver guests sign now; None until the operator sets one (no text is ever made up for them)."""
    with ctx.store.reading() as uow:
        return uow.waivers.current_version()


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
def sign_waiver(
    ctx: Context, slug: str, draft: SignatureDraft, origin: tuple[str, str], form: FormTicket
) -> list[Signature]:
    """Record one signature per person (the adult, then each child they sign for), each sealed and chained,
    recount the event, audit each and queue one copy for the adult, all in one transaction. `origin` is
    (ip, user agent); `form` the form token's nonce, spent here: a form signs once.

    Raise NotFound (unknown event), SigningClosed (cancelled, or the charter's period has ended), WaiverNotReady
    (no text set), FormProblems (every problem in the answers), StaleWaiver (another version was shown),
    AlreadyUsed (the form was sent before). Nothing is written then.
    """
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        event = existing_event(uow, slug)
        waivers.check_open(event, now, waivers.signing_closes_at(event, ctx.periods, ctx.zone))
        current = uow.waivers.current_version()
        if current is None:
            raise WaiverNotReady(NOT_READY, "version")
        family = waivers.sign_family(event, current, draft, lambda: _identity(now), now, origin)
        uow.waivers.spend_form_token(form.nonce, form.expires_at, now)
        family = [_append(ctx, uow, functools.partial(waivers.sealed, ctx.keys.seal, record)) for record in family]
        signed = uow.waivers.for_event(event.slug)
        _recount(uow, event, signed)
        for record in family:
            uow.audit.append("waiver.signed", family[0].guest_name, now, {"id": record.id, "slug": event.slug})
        if family[0].email and sum(1 for earlier in signed if earlier.email) <= copy_email_cap(event):
            _queue_copy(uow, _copy_email(ctx, event, current, family), now)
    return family


def _identity(now: datetime) -> tuple[str, str]:
    return new_id("sig", now), secrets.token_urlsafe(24)


def _copy_email(ctx: Context, event: Event, version: WaiverVersion, family: list[Signature]) -> Email:
    party = guest_links.party_path(ctx, event)
    copies = [
        FamilyCopy(
            copy_sheet(event, record, version, None, ctx.words), waivers.copy_path(party, record), record.copy_token
        )
        for record in family
    ]
    return copy_email(family[0].email, event.details.date, copies, ctx.public_url)


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


def signer_initials(ctx: Context, slug: str) -> list[str]:
    """Who has signed, as the party page shows them to anyone with its link: first name and initial
    ("Ana L."), each person once, in signing order."""
    return [waivers.initials(signature.guest_name) for signature in counted_signatures(ctx, slug)[1]]


def signed_with(ctx: Context, signature: Signature) -> list[Signature]:
    """The other records of the form `signature` was signed with: the adult's and each child's, itself left out."""
    with ctx.store.reading() as uow:
        signed = uow.waivers.for_event(signature.event_slug)
    return [other for other in signed if other.id != signature.id and waivers.same_form(other, signature)]


def counted_signatures(ctx: Context, slug: str) -> tuple[Event, list[Signature]]:
    """The event and the signatures that count (the manifest): not voided, each person's newest."""
    event, records = signatures(ctx, slug)
    return event, [record.signature for record in records if record.status == "counted"]


def signed_copy(ctx: Context, slug: str, secret: str, copy_token: str) -> SignedCopy:
    """The signer's copy by its party link and its own unguessable token; raise NotFound for any other pair."""
    event = guest_links.open_event(ctx, slug, secret)
    found = copy_by_token(ctx, copy_token)
    if found is None or found.signature.event_key != event.key:
        raise NotFound("no signed waiver at this address", "copy")
    return found


def copy_by_token(ctx: Context, copy_token: str) -> SignedCopy | None:
    """The signed copy a copy token names (the delivery attaches it), or None."""
    with ctx.store.reading() as uow:
        signature = uow.waivers.by_copy_token(copy_token)
        if signature is None:
            return None
        event = uow.events.get(signature.event_slug)
        version = uow.waivers.get_version(signature.version_id)
        voids = uow.waivers.voids_for_event(signature.event_slug)
    if event is None or version is None:
        return None
    return SignedCopy(signature, version, event, next((v for v in voids if v.signature_id == signature.id), None))


@dataclass(frozen=True)
class SignedCopy:
    signature: Signature
    version: WaiverVersion
    event: Event
    void: Void | None

    def sheet(self, words: GuestWords) -> CopySheet:
        return copy_sheet(self.event, self.signature, self.version, self.void, words)


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
