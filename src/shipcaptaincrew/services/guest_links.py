"""Guest links: opening an event by its slug and secret, and giving it a new secret."""

from __future__ import annotations

import secrets

from shipcaptaincrew.domain import guest_links
from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.errors import NotFound
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.lookup import existing_event
from shipcaptaincrew.services.retries import retried

NO_SUCH_LINK = "this link does not lead to a charter"


def new_nonce() -> str:
    return secrets.token_hex(16)


def party_path(ctx: Context, event: Event) -> str:
    """`/g/<slug>/<secret>`: the party page, under which every guest page of the event lies."""
    return guest_links.party_path(event.slug, guest_links.secret(ctx.keys.guest_link, event.guest_nonce))


def party_link(ctx: Context, event: Event) -> str:
    """The party page's absolute address (SCC_PUBLIC_URL, which carries a stage's prefix): for QR codes and emails."""
    return f"{ctx.public_url}{party_path(ctx, event)}"


def link_secret(ctx: Context, event: Event) -> str:
    return guest_links.secret(ctx.keys.guest_link, event.guest_nonce)


def open_event(ctx: Context, slug: str, secret: str) -> Event:
    """The event a guest link leads to (by its slug or an old one). Raise NotFound, with the same words, for an
    unknown slug and for a wrong secret: a guest page must not tell a guesser which slugs exist."""
    with ctx.store.reading() as uow:
        event = uow.events.get(slug)
    nonce = event.guest_nonce if event is not None else "-" * 32  # the same work whether or not the slug exists
    if not guest_links.opens(ctx.keys.guest_link, nonce, secret) or event is None:
        raise NotFound(NO_SUCH_LINK, "link")
    return event


@retried
def rotate_link(ctx: Context, slug: str, actor: str) -> Event:
    """Give the event a new secret: every link sent before stops working at once (audited)."""
    now = ctx.clock.now()
    with ctx.store.writing() as uow:
        event = existing_event(uow, slug)
        uow.events.set_guest_nonce(event.slug, new_nonce())
        uow.audit.append("event.guest_link_rotated", actor, now, {"slug": event.slug})
        rotated = uow.events.get(event.slug)
    assert rotated is not None
    return rotated
