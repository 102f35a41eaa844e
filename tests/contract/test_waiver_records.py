"""Waiver records on every store: sealed and chained, voided by a record of their own, a form spent once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.errors import AlreadyUsed, Conflict, Contention
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.domain.signing import MAX_CHILDREN, ChildDraft, SignatureDraft
from shipcaptaincrew.domain.waivers import SigningClosed
from shipcaptaincrew.services import booking, guest_links, waiver_audit, waivers
from shipcaptaincrew.services.context import Context
from tests.builders import event_details, form_ticket, set_waiver, sign_waiver
from tests.contract.dynamodb import dynamodb_store
from tests.fakes import FakeClock, FakeMailer

KEYS = Keys.derive(b"waiver-records-contract-key-0123456789")


@pytest.fixture(params=["sqlite", "dynamodb"])
def ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Context]:
    if request.param == "dynamodb":
        for store in dynamodb_store():
            yield Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
        return
    store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
    store.close()


def draft(ctx: Context, name: str, born: date = date(1990, 1, 1)) -> SignatureDraft:
    version = waivers.current_waiver(ctx) or set_waiver(ctx)
    return SignatureDraft(name, "", "", born, "Rui", "+1 555 0100", name, True, True, version.id, version.sha256)


def test_signatures_and_voids_chain_up_and_verify_after_a_rename(ctx: Context) -> None:
    event = booking.create_event(ctx, event_details(party_size=3), "test")
    signed = [sign_waiver(ctx, event.slug, draft(ctx, name)) for name in ("Ana Lima", "Rui Lima", "ana lima")]
    waivers.void_signature(ctx, signed[1].id, "not in this party", "test")
    booking.update_event(ctx, event.slug, booking.bookings.EventChanges(date=date(2026, 5, 30)), 1, "test")

    report = waiver_audit.verify_signatures(ctx)
    moved, records = waivers.signatures(ctx, "2026-05-30-sarah-pm")

    assert (report.checked, report.problems) == (4, [])
    assert [record.signature.position for record in records] == [1, 2, 3]
    assert [record.status for record in records] == ["superseded", "voided", "counted"]
    assert moved.waivers_signed == 1 and all(record.signature.signed_slug == event.slug for record in records)


def test_a_family_is_signed_in_one_transaction_each_record_chained_after_the_one_before(ctx: Context) -> None:
    event = booking.create_event(ctx, event_details(party_size=5), "test")
    children = tuple(ChildDraft(name, date(2016, 2, 10)) for name in ("Leo Lima", "Mia Lima", "Théo Lima"))
    form = replace(draft(ctx, "Ana Lima"), children=children, relationship="guardian")

    family = waivers.sign_waiver(ctx, event.slug, form, ("203.0.113.9", "Firefox"), form_ticket())

    records = waivers.signatures(ctx, event.slug)[1]
    assert [record.signature.id for record in records] == [signature.id for signature in family]
    assert [record.signature.position for record in records] == [1, 2, 3, 4]
    assert [record.signature.guardian_relationship for record in records] == ["", *["legal guardian"] * 3]
    assert waiver_audit.verify_signatures(ctx).problems == []
    assert waivers.signatures(ctx, event.slug)[0].waivers_signed == 4


def test_the_largest_family_a_form_takes_fits_in_one_transaction(ctx: Context) -> None:
    event = booking.create_event(ctx, event_details(party_size=13), "test")
    children = tuple(ChildDraft(f"Child {number} Lima", date(2016, 2, 10)) for number in range(1, MAX_CHILDREN + 1))
    form = replace(draft(ctx, "Ana Lima"), email="ana@example.org", children=children, relationship="parent")

    family = waivers.sign_waiver(ctx, event.slug, form, ("203.0.113.9", "Firefox"), form_ticket())

    assert len(family) == MAX_CHILDREN + 1 == waivers.signatures(ctx, event.slug)[0].waivers_signed
    assert waiver_audit.verify_signatures(ctx).problems == []


def test_a_signature_voided_twice_is_a_conflict(ctx: Context) -> None:
    event = booking.create_event(ctx, event_details(), "test")
    signature = sign_waiver(ctx, event.slug, draft(ctx, "Ana Lima"))
    waivers.void_signature(ctx, signature.id, "mistake", "test")

    with pytest.raises(Conflict):
        waivers.void_signature(ctx, signature.id, "again", "test")


def test_a_form_is_spent_by_its_signature_and_a_second_one_writes_nothing(ctx: Context) -> None:
    event = booking.create_event(ctx, event_details(), "test")
    ticket = form_ticket()
    waivers.sign_waiver(ctx, event.slug, draft(ctx, "Ana Lima"), ("203.0.113.9", "test"), ticket)

    with pytest.raises(AlreadyUsed):
        waivers.sign_waiver(ctx, event.slug, draft(ctx, "Rui Lima"), ("203.0.113.9", "test"), ticket)
    assert len(waivers.signatures(ctx, event.slug)[1]) == 1


def test_signing_closes_when_the_period_ends_in_the_operators_time_zone(ctx: Context) -> None:
    from zoneinfo import ZoneInfo

    event = booking.create_event(ctx, event_details(date(2026, 5, 1), "pm"), "test")  # 13:00-17:00
    ctx.zone = ZoneInfo("America/New_York")  # 17:00 there is 21:00 UTC
    assert isinstance(ctx.clock, FakeClock)
    ctx.clock.current = ctx.clock.current.replace(hour=20, minute=59)
    sign_waiver(ctx, event.slug, draft(ctx, "Ana Lima"))

    ctx.clock.advance(minutes=1)

    with pytest.raises(SigningClosed):
        sign_waiver(ctx, event.slug, draft(ctx, "Rui Lima"))


def test_a_chain_head_moved_by_another_signer_refuses_the_slower_one(ctx: Context) -> None:
    event = booking.create_event(ctx, event_details(), "test")
    sign_waiver(ctx, event.slug, draft(ctx, "Ana Lima"))

    with ctx.store.writing() as uow:
        stale = uow.waivers.chain_head()
    sign_waiver(ctx, event.slug, draft(ctx, "Rui Lima"))
    if isinstance(ctx.store, SqliteStore):
        return  # the write lock is held from reading the head to moving it: no other signer can come between
    with pytest.raises(Contention), ctx.store.writing() as uow:
        uow.waivers.move_chain_head(replace(stale, position=stale.position + 1), stale)


def test_a_rotated_guest_link_opens_nothing_and_the_new_one_opens_the_event(ctx: Context) -> None:
    event = booking.create_event(ctx, event_details(), "test")
    old = guest_links.link_secret(ctx, event)

    rotated = guest_links.rotate_link(ctx, event.slug, "test")

    assert guest_links.open_event(ctx, event.slug, guest_links.link_secret(ctx, rotated)).key == event.key
    with pytest.raises(guest_links.NotFound):
        guest_links.open_event(ctx, event.slug, old)
