"""What the charter-day contract tests share: a context on each store and a crewed charter with signers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.bookings import Event, Patron
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.domain.roster import Person, Ship
from shipcaptaincrew.domain.signing import ChildDraft
from shipcaptaincrew.domain.waivers import Signature, SignatureDraft
from shipcaptaincrew.services import booking, day_sheets, roster, waivers
from shipcaptaincrew.services.context import Context
from tests.builders import event_details, form_ticket, set_waiver, sign_waiver
from tests.contract.dynamodb import dynamodb_store
from tests.fakes import FakeClock, FakeMailer

KEYS = Keys.derive(b"charter-day-contract-key-0123456789abcd")
TODAY = date(2026, 5, 1)  # FakeClock's day


@pytest.fixture(params=["sqlite", "dynamodb"])
def ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Context]:
    if request.param == "dynamodb":
        for store in dynamodb_store():
            yield Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
        return
    store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
    store.close()


@dataclass(frozen=True)
class Crewed:
    event: Event
    captain: Person
    deckhand: Person
    ship: Ship

    def secret(self, ctx: Context, person: Person | None = None) -> str:
        """The secret of the captain's (or `person`'s) day-sheet link, as the link carries it."""
        return day_sheets.sheet_path(ctx, person or self.captain).rsplit("/", 1)[1]


def crewed(
    ctx: Context,
    day: date = TODAY,
    first_name: str = "Sarah",
    party_size: int = 6,
    capacity: int = 12,
    captain: Person | None = None,
    period: str = "pm",
) -> Crewed:
    """A charter on `day` (pm) with a ship, a captain and a deckhand assigned."""
    ana = captain or roster.add_person(ctx, Person("", "Ana Ruiz", "captain", phone="+1 555 0101"), "test")
    bo = roster.add_person(ctx, Person("", f"Bo Chen {first_name}", "crew"), "test")
    ship = roster.add_ship(ctx, f"Sea Breeze {first_name}", capacity, "test")
    patron = Patron(first_name, "Lopez", "sarah@example.org", "+1 (555) 010-0100")
    details = event_details(day, period, first_name=first_name, party_size=party_size)
    event = booking.create_event(ctx, replace(details, patron=patron), "test")
    event = roster.assign_crew(ctx, event.slug, ship.id, ana.id, [bo.id], "", "test")
    return Crewed(event, ana, bo, ship)


def signs(ctx: Context, slug: str, name: str, born: date = date(1990, 4, 23)) -> Signature:
    """A guest signs the charter's waiver, with an emergency contact."""
    version = waivers.current_waiver(ctx) or set_waiver(ctx)
    if born.year > 2010:  # a child: their father signs for them, and both are recorded
        father = SignatureDraft(
            "Rui Lima",
            "",
            "",
            date(1980, 1, 1),
            f"Kin of {name}",
            "+1 555 0112",
            "Rui Lima",
            True,
            True,
            version.id,
            version.sha256,
            children=(ChildDraft(name, born),),
            relationship="parent",
        )
        return waivers.sign_waiver(ctx, slug, father, ("203.0.113.9", "test"), form_ticket())[-1]
    draft = SignatureDraft(
        name, "", "", born, f"Kin of {name}", "+1 555 0112", name, True, True, version.id, version.sha256
    )
    return sign_waiver(ctx, slug, draft)


def audit_actions(ctx: Context, prefix: str = "charter.") -> list[str]:
    """The audit log's actions starting with `prefix`, read from either store: oldest first, and by name within
    one instant (a store keeps no order among entries of the same time)."""
    from shipcaptaincrew.adapters.dynamodb import DynamoDbStore
    from shipcaptaincrew.adapters.dynamodb_transfer import DynamoDbTransfer
    from shipcaptaincrew.adapters.sqlite_transfer import SqliteTransfer

    store = ctx.store
    dump = DynamoDbTransfer(store).dump() if isinstance(store, DynamoDbStore) else SqliteTransfer(store.path).dump()  # type: ignore[attr-defined]
    entries = sorted((r["at"], r["action"]) for r in dump if r["type"] == "audit" and r["action"].startswith(prefix))
    return [action for _, action in entries]


def shore_mail(ctx: Context) -> list[Email]:
    """What the outbox holds for the shore contact, oldest first."""
    with ctx.store.reading() as uow:
        messages = uow.outbox.recent(100)
    return [m.email for m in sorted(messages, key=lambda m: (m.created_at, m.id)) if m.email.to == ctx.shore_email]
