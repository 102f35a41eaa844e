"""A calendar link leads to its person until it is rotated or the person retires, in every store."""

from __future__ import annotations

import pytest

from shipcaptaincrew.adapters.argon2_hasher import Argon2Hasher
from shipcaptaincrew.domain.errors import NotFound
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.roster import Person
from shipcaptaincrew.ports import Store
from shipcaptaincrew.services import roster
from shipcaptaincrew.services.context import Context
from tests.contract.test_sign_in_store import store as store  # the fixture: SQLite, then DynamoDB
from tests.fakes import FakeClock, FakeMailer


def context(store: Store) -> Context:
    return Context(
        store=store, clock=FakeClock(), hasher=Argon2Hasher(), keys=Keys.derive(b"k" * 32), mailer=FakeMailer()
    )


def test_a_rotated_link_leads_nowhere_and_the_new_one_to_the_person(store: Store) -> None:
    ctx = context(store)
    ana = roster.add_person(ctx, Person("", "Ana Ruiz", "captain"), "test")

    rotated = roster.rotate_calendar(ctx, ana.id, "test")

    assert rotated.calendar_token != ana.calendar_token and len(rotated.calendar_token) >= 32
    with pytest.raises(NotFound):
        roster.calendar_feed(ctx, ana.calendar_token)
    assert roster.calendar_feed(ctx, rotated.calendar_token).person.id == ana.id
    with store.reading() as uow:
        assert uow.roster.person(ana.id) == rotated


def test_a_retired_persons_link_leads_nowhere(store: Store) -> None:
    ctx = context(store)
    ana = roster.add_person(ctx, Person("", "Ana Ruiz", "captain"), "test")

    roster.retire_person(ctx, ana.id, "test")

    with pytest.raises(NotFound):
        roster.calendar_feed(ctx, ana.calendar_token)


def test_rotating_an_unknown_persons_link_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        roster.rotate_calendar(context(store), "per-nobody", "test")
