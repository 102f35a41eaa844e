"""Waiver use cases: set the text, sign, read the signatures, verify that none was altered."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from shipcaptaincrew.domain import waivers
from shipcaptaincrew.domain.errors import InvalidInput, NotFound
from shipcaptaincrew.domain.events import Event
from shipcaptaincrew.domain.mail import Email, OutboxMessage
from shipcaptaincrew.domain.waivers import Signature, SignatureDraft, WaiverVersion
from shipcaptaincrew.ports import UnitOfWork
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.ids import new_id
from shipcaptaincrew.services.lookup import existing_event

DEFAULT_WAIVER = """RELEASE OF LIABILITY, WAIVER OF CLAIMS AND ASSUMPTION OF RISK

I am taking part voluntarily in a boat charter. I understand that boating involves risks, including slips and falls, sudden movements of the vessel, weather, cold water and drowning, and that these risks cannot all be removed by care.

I will follow the captain's and the crew's instructions, wear a life jacket when asked, and tell the crew about any condition that may affect my safety.

To the extent the law allows, I release the operator, its captains and crew from claims for injury or loss arising from ordinary negligence during the charter. This release does not cover gross negligence or wilful misconduct.

This text is the operator's default; replace it with your own (`scc waiver set FILE`).
"""  # noqa: E501


@dataclass(frozen=True)
class Problem:
    signature_id: str
    event_slug: str
    problem: str


def current_waiver(ctx: Context) -> WaiverVersion:
    """The waiver guests sign now; on a fresh store, the default text becomes version 1."""
    with ctx.store.reading() as uow:
        current = uow.waivers.current_version()
    return current or set_waiver_text(ctx, DEFAULT_WAIVER, "first-run")


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


def sign_waiver(ctx: Context, slug: str, draft: SignatureDraft, ip: str, user_agent: str) -> Signature:
    """Record a signature, count it on the event, audit it and queue the signer's copy, in one transaction.

    Raise NotFound (unknown event), InvalidInput (a field), StaleWaiver (another version was shown),
    Conflict (cancelled event). Nothing is written then.
    """
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        event = existing_event(uow, slug)
        current = uow.waivers.current_version()
        if current is None:
            raise InvalidInput("no waiver text is set yet; ask the operator", "version")
        identity = (new_id("sig", now), secrets.token_urlsafe(24))
        signature = waivers.sign(event, current, draft, identity, now, (ip, user_agent))
        uow.waivers.add_signature(signature)
        uow.events.set_waivers_signed(event.slug, len(uow.waivers.for_event(event.slug)))
        uow.audit.append("waiver.signed", signature.guest_name, now, {"id": signature.id, "slug": event.slug})
        if signature.email:
            _queue_copy(uow, waivers.copy_email(event, signature, current, ctx.public_url), now)
    return signature


def signatures(ctx: Context, slug: str) -> tuple[Event, list[Signature]]:
    with ctx.store.reading() as uow:
        event = existing_event(uow, slug)
        return event, uow.waivers.for_event(event.slug)


def signed_copy(ctx: Context, copy_token: str) -> tuple[Signature, WaiverVersion, Event]:
    """The signer's copy by its unguessable token; raise NotFound."""
    with ctx.store.reading() as uow:
        signature = uow.waivers.by_copy_token(copy_token)
        version = uow.waivers.get_version(signature.version_id) if signature else None
        event = uow.events.get(signature.event_slug) if signature else None
    if signature is None or version is None or event is None:
        raise NotFound("no signed waiver at this address", "copy")
    return signature, version, event


def verify_signatures(ctx: Context) -> tuple[int, list[Problem]]:
    """Recompute every record hash and every version hash; return how many were checked and what does not match."""
    problems: list[Problem] = []
    checked = 0
    with ctx.store.reading() as uow:
        versions: dict[int, WaiverVersion | None] = {}
        for signature in uow.waivers.every_signature():
            checked += 1
            if waivers.record_hash(signature) != signature.record_hash:
                problems.append(Problem(signature.id, signature.event_slug, "the record differs from what was signed"))
            version = versions.setdefault(signature.version_id, uow.waivers.get_version(signature.version_id))
            if version is None or waivers.text_hash(version.text) != signature.version_hash:
                problems.append(
                    Problem(signature.id, signature.event_slug, "the waiver text differs from what was shown")
                )
    return checked, problems


def _queue_copy(uow: UnitOfWork, email: Email, now: datetime) -> None:
    message_id = new_id("msg", now)
    uow.outbox.add(OutboxMessage(message_id, f"<{message_id}@shipcaptaincrew>", email, now, kind="waiver-copy"))
