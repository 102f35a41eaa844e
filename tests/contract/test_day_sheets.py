"""A day sheet on every store: the link is the only credential, a rotated or retired one leads nowhere, and the
sheet holds the person's charters of today and the next six days with the guests who signed."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from shipcaptaincrew.domain.errors import NotFound
from shipcaptaincrew.services import day_sheets, roster, waivers
from shipcaptaincrew.services.context import Context
from tests.contract.charter_day import TODAY, crewed, signs
from tests.contract.charter_day import ctx as ctx  # the fixture: SQLite, then DynamoDB


def test_the_link_is_the_only_credential(ctx: Context) -> None:
    charter = crewed(ctx)
    captain, deckhand = charter.captain, charter.deckhand

    with pytest.raises(NotFound) as wrong:
        day_sheets.day_sheet(ctx, captain.id, "A" * 24)
    with pytest.raises(NotFound) as borrowed:
        day_sheets.day_sheet(ctx, captain.id, charter.secret(ctx, deckhand))
    with pytest.raises(NotFound) as unknown:
        day_sheets.day_sheet(ctx, "per_nobody", charter.secret(ctx))

    assert wrong.value.message == borrowed.value.message == unknown.value.message
    assert day_sheets.day_sheet(ctx, captain.id, charter.secret(ctx)).person.id == captain.id


def test_a_rotated_link_is_dead_and_the_new_one_opens_the_sheet(ctx: Context) -> None:
    charter = crewed(ctx)
    old = charter.secret(ctx)

    rotated = day_sheets.rotate_day_sheet(ctx, charter.captain.id, "admin")

    with pytest.raises(NotFound):
        day_sheets.day_sheet(ctx, charter.captain.id, old)
    new = charter.secret(ctx, rotated)
    assert new != old
    assert [c.event.slug for c in day_sheets.day_sheet(ctx, charter.captain.id, new).charters] == [charter.event.slug]
    with ctx.store.reading() as uow:
        assert uow.roster.person(charter.captain.id) == rotated


def test_a_retired_persons_sheet_leads_nowhere(ctx: Context) -> None:
    ana = crewed(ctx, day=TODAY - timedelta(days=1)).captain  # a past charter does not keep them on the roster

    roster.retire_person(ctx, ana.id, "admin")

    with pytest.raises(NotFound):
        day_sheets.day_sheet(ctx, ana.id, day_sheets.sheet_path(ctx, ana).rsplit("/", 1)[1])


def test_rotating_an_unknown_persons_link_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFound):
        day_sheets.rotate_day_sheet(ctx, "per_nobody", "admin")


def test_the_sheet_holds_the_persons_charters_of_today_and_the_next_six_days(ctx: Context) -> None:
    today = crewed(ctx)
    ana = today.captain
    yesterday = crewed(ctx, TODAY - timedelta(days=1), "Ed", captain=ana)
    last = crewed(ctx, TODAY + timedelta(days=6), "Flo", captain=ana)
    too_late = crewed(ctx, TODAY + timedelta(days=7), "Gus", captain=ana)
    someone_elses = crewed(ctx, first_name="Hal")

    sheet = day_sheets.day_sheet(ctx, ana.id, today.secret(ctx))

    assert [c.event.slug for c in sheet.charters] == [today.event.slug, last.event.slug]
    assert {yesterday.event.slug, too_late.event.slug, someone_elses.event.slug}.isdisjoint(
        c.event.slug for c in sheet.charters
    )
    assert [
        c.role for c in day_sheets.day_sheet(ctx, today.deckhand.id, today.secret(ctx, today.deckhand)).charters
    ] == ["crew"]
    assert sheet.charters[0].capacity == 12 and sheet.today == TODAY


def test_today_is_the_operators_day_not_the_servers(ctx: Context) -> None:
    ctx.zone = ZoneInfo("America/Los_Angeles")
    ctx.clock.current = ctx.clock.current.replace(day=2, hour=3)  # type: ignore[attr-defined]  # 20:00 on 1 May there
    charter = crewed(ctx)

    sheet = day_sheets.day_sheet(ctx, charter.captain.id, charter.secret(ctx))

    assert sheet.today == TODAY and [c.event.slug for c in sheet.charters] == [charter.event.slug]


def test_the_sheet_lists_the_guests_whose_signatures_count_and_how_many_have_not_signed(ctx: Context) -> None:
    charter = crewed(ctx, party_size=5)
    slug = charter.event.slug
    signs(ctx, slug, "Ana Lima")
    signs(ctx, slug, "Ana Lima")  # signed twice: counted once
    voided = signs(ctx, slug, "Mallory Prank")
    signs(ctx, slug, "Tom Lima", born=date(2015, 6, 1))
    waivers.void_signature(ctx, voided.id, "not in the party", "admin")

    (shown,) = day_sheets.day_sheet(ctx, charter.captain.id, charter.secret(ctx)).charters

    assert [(g.name, g.signed, g.minor, g.emergency_name) for g in shown.guests] == [
        ("Ana Lima", True, False, "Kin of Ana Lima"),
        ("Rui Lima", True, False, "Kin of Tom Lima"),  # the father who signed for Tom counts too
        ("Tom Lima", True, True, "Kin of Tom Lima"),
    ]
    assert (shown.signed, shown.unsigned) == (3, 2)
