"""Finding what a use case acts on, inside its unit of work."""

from __future__ import annotations

from shipcaptaincrew.domain.bookings import Event
from shipcaptaincrew.domain.errors import NotFound
from shipcaptaincrew.ports import UnitOfWork


def existing_event(uow: UnitOfWork, slug: str, field: str = "slug") -> Event:
    """The event with this slug or old slug; raise NotFound naming `field`."""
    event = uow.events.get(slug)
    if event is None:
        raise NotFound(f"no event with slug {slug!r}", field)
    return event
