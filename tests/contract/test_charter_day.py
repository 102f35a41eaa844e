"""Check-in, departure and return on every store: repeated taps change nothing, the manifest lists exactly the
people aboard, and anyone aboard who has not signed needs a reason to depart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.boarding import NeedsOverride
from shipcaptaincrew.domain.errors import Conflict, InvalidInput, NotFound
from shipcaptaincrew.services import charter_day, day_sheets, queries, waivers
from shipcaptaincrew.services.context import Context
from tests.contract.charter_day import TODAY, Crewed, audit_actions, crewed, shore_mail, signs
from tests.contract.charter_day import ctx as ctx  # the fixture: SQLite, then DynamoDB
from tests.fakes import FakeClock

SHORE = "harbour-office@example.org"
TODAY_AT_NINE = FakeClock().current


@pytest.fixture
def shore(ctx: Context) -> Context:
    return replace(ctx, shore_email=SHORE)


def guests(ctx: Context, charter: Crewed) -> dict[str, charter_day.Guest]:
    """The charter's check-in list by name, as the captain's day sheet shows it."""
    (shown,) = [
        c
        for c in day_sheets.day_sheet(ctx, charter.captain.id, charter.secret(ctx)).charters
        if c.event.slug == charter.event.slug
    ]
    return {guest.name: guest for guest in shown.guests}


def aboard(ctx: Context, charter: Crewed, *names: str) -> None:
    for name in names:
        key = guests(ctx, charter)[name].key
        charter_day.set_aboard(ctx, charter.captain.id, charter.secret(ctx), charter.event.slug, key, True)


def depart(ctx: Context, charter: Crewed, reason: str = "") -> charter_day.Departure:
    return charter_day.depart(ctx, charter.captain.id, charter.secret(ctx), charter.event.slug, reason)


def test_ticking_a_guest_aboard_again_changes_nothing(shore: Context) -> None:
    charter = crewed(shore)
    signs(shore, charter.event.slug, "Ana Lima")
    key = guests(shore, charter)["Ana Lima"].key
    tap = (charter.captain.id, charter.secret(shore), charter.event.slug, key, True)

    first, again = charter_day.set_aboard(shore, *tap), charter_day.set_aboard(shore, *tap)

    assert (first.changed, again.changed) == (True, False) and first.guest == again.guest
    assert audit_actions(shore) == ["charter.checked_in"]
    dock = queries.get_event(shore, charter.event.slug).dock
    assert (dock.status, dock.aboard) == ("boarding", 1)


def test_departing_again_answers_the_same_departure_and_sends_one_manifest(shore: Context) -> None:
    charter = crewed(shore)
    signs(shore, charter.event.slug, "Ana Lima")
    aboard(shore, charter, "Ana Lima")

    first = depart(shore, charter)
    shore.clock.advance(minutes=2)  # type: ignore[attr-defined]
    again = depart(shore, charter)

    assert again == first and first.headcount == 1 and first.departed_at == TODAY_AT_NINE
    assert audit_actions(shore) == ["charter.checked_in", "charter.departed"]
    assert len(shore_mail(shore)) == 1
    dock = queries.get_event(shore, charter.event.slug).dock
    assert (dock.status, dock.aboard, dock.departed_at) == ("departed", 1, TODAY_AT_NINE)


def test_two_phones_departing_at_once_record_one_departure_and_send_one_manifest(shore: Context) -> None:
    if not isinstance(shore.store, SqliteStore):
        pytest.skip("moto's in-process transactions are not thread-safe; the next test races DynamoDB instead")
    charter = crewed(shore)
    signs(shore, charter.event.slug, "Ana Lima")
    aboard(shore, charter, "Ana Lima")
    deckhand = charter.deckhand
    phones = [(charter.captain.id, charter.secret(shore)), (deckhand.id, charter.secret(shore, deckhand))]

    with ThreadPoolExecutor(max_workers=6) as pool:
        departures = list(pool.map(lambda n: charter_day.depart(shore, *phones[n % 2], charter.event.slug), range(6)))

    assert len(set(departures)) == 1
    assert len(shore_mail(shore)) == 1 and audit_actions(shore).count("charter.departed") == 1


def test_a_departure_another_phone_stored_between_read_and_write_wins(
    shore: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    charter = crewed(shore)
    signs(shore, charter.event.slug, "Ana Lima")
    aboard(shore, charter, "Ana Lima")
    other_phone = depart(shore, charter)
    shore.clock.advance(minutes=1)  # type: ignore[attr-defined]
    dock = type(_dock(shore))
    stale = iter([None])  # this phone read the charter a moment before the other's departure was stored
    real = dock.departure
    monkeypatch.setattr(dock, "departure", lambda self, key: next(stale, real(self, key)))

    this_phone = depart(shore, charter)

    assert this_phone == other_phone
    assert len(shore_mail(shore)) == 1 and audit_actions(shore).count("charter.departed") == 1


def _dock(ctx: Context) -> object:
    with ctx.store.reading() as uow:
        return uow.dock


def test_the_manifest_lists_exactly_the_people_aboard(shore: Context) -> None:
    charter = crewed(shore, party_size=4)
    slug = charter.event.slug
    for name in ("Ana Lima", "Stays Ashore", "Rui Lima"):
        signs(shore, slug, name)
    signs(shore, slug, "Tom Lima", born=date(2015, 6, 1))
    aboard(shore, charter, "Ana Lima", "Rui Lima", "Tom Lima", "Stays Ashore")
    key = guests(shore, charter)["Stays Ashore"].key
    charter_day.set_aboard(shore, charter.captain.id, charter.secret(shore), slug, key, False)  # changed their mind

    departure = depart(shore, charter)

    assert [guest.name for guest in departure.aboard] == ["Ana Lima", "Rui Lima", "Tom Lima"]
    (manifest,) = shore_mail(shore)
    listed = [line for line in manifest.text.splitlines() if line[:4].strip().rstrip(".").isdigit()]
    assert listed == [
        "  1. Ana Lima - adult - emergency contact Kin of Ana Lima, +1 555 0112",
        "  2. Rui Lima - adult - emergency contact Kin of Tom Lima, +1 555 0112",  # as he gave it, signing for Tom
        "  3. Tom Lima - minor - emergency contact Kin of Tom Lima, +1 555 0112",
    ]
    assert "Stays Ashore" not in manifest.text
    facts = [
        f"Ship:     {charter.ship.name} (capacity 12)",
        "Captain:  Ana Ruiz",
        f"Crew:     {charter.deckhand.name}",
        "Departed: Friday 1 May 2026, 09:00 (UTC)",
        "Aboard:   3 guests (party of 4) and 2 crew; minors: 1",
    ]
    assert [fact for fact in facts if fact not in manifest.text] == []
    assert manifest.subject == f"Departed 09:00: {charter.ship.name}, 3 aboard - {slug}"


def test_departing_with_an_unsigned_walk_up_needs_a_reason_which_the_manifest_shows(shore: Context) -> None:
    charter = crewed(shore)
    signs(shore, charter.event.slug, "Ana Lima")
    aboard(shore, charter, "Ana Lima")
    charter_day.add_walk_up(shore, charter.captain.id, charter.secret(shore), charter.event.slug, "Walker Pérez")

    with pytest.raises(NeedsOverride) as refused:
        depart(shore, charter)
    assert refused.value.field == "override_reason" and "not signed: Walker Pérez" in refused.value.message
    assert shore_mail(shore) == [] and "charter.departed" not in audit_actions(shore)

    departure = depart(shore, charter, "signs at the fuel dock")

    assert departure.override_reason == "signs at the fuel dock" and departure.headcount == 2
    (manifest,) = shore_mail(shore)
    assert "Walker Pérez (walk-up) - age unknown, NOT SIGNED - no emergency contact on file" in manifest.text
    assert "Departed with a reason given: signs at the fuel dock" in manifest.text
    assert "Not signed: Walker Pérez" in manifest.text


def test_a_walk_up_who_signs_on_the_crews_phone_is_one_signed_line(shore: Context) -> None:
    charter = crewed(shore)
    secret = charter.secret(shore)
    charter_day.add_walk_up(shore, charter.captain.id, secret, charter.event.slug, "tom  LIMA")
    charter_day.add_walk_up(shore, charter.captain.id, secret, charter.event.slug, "Tom Lima")  # a double tap

    signs(shore, charter.event.slug, "Tom Lima", born=date(2015, 6, 1))

    tom = guests(shore, charter)["tom  LIMA"]  # his father, who signed for him, is on the list too
    assert (tom.name, tom.signed, tom.minor, tom.walk_up, tom.aboard) == ("tom  LIMA", True, True, True, True)
    assert depart(shore, charter).override_reason == ""
    assert audit_actions(shore) == sorted(["charter.walk_up_added", "charter.checked_in", "charter.departed"])


def test_someone_aboard_whose_signature_is_voided_stays_aboard_as_not_signed(shore: Context) -> None:
    charter = crewed(shore)
    signature = signs(shore, charter.event.slug, "Ana Lima")
    aboard(shore, charter, "Ana Lima")

    waivers.void_signature(shore, signature.id, "signed for the wrong charter", "admin")

    (ana,) = guests(shore, charter).values()
    assert (ana.name, ana.signed, ana.aboard) == ("Ana Lima", False, True)
    with pytest.raises(NeedsOverride):
        depart(shore, charter)


def test_departing_over_the_ships_capacity_needs_a_reason(shore: Context) -> None:
    charter = crewed(shore, party_size=2, capacity=2)  # and a third signer turns up
    for name in ("Ana Lima", "Rui Lima", "Eva Gray"):
        signs(shore, charter.event.slug, name)
    aboard(shore, charter, "Ana Lima", "Rui Lima", "Eva Gray")

    with pytest.raises(NeedsOverride) as refused:
        depart(shore, charter)

    assert "3 aboard is over the ship's capacity of 2" in refused.value.message
    assert depart(shore, charter, "the harbour master allowed it").headcount == 3


def test_nobody_departs_with_nobody_aboard(shore: Context) -> None:
    charter = crewed(shore)

    with pytest.raises(InvalidInput) as refused:
        depart(shore, charter)

    assert refused.value.field == "aboard" and shore_mail(shore) == []


def test_the_list_aboard_is_closed_once_departed_but_a_repeated_tap_still_answers(shore: Context) -> None:
    charter = crewed(shore)
    signs(shore, charter.event.slug, "Ana Lima")
    signs(shore, charter.event.slug, "Rui Lima")
    aboard(shore, charter, "Ana Lima")
    depart(shore, charter)
    secret, slug = charter.secret(shore), charter.event.slug

    listed = guests(shore, charter)
    again = charter_day.set_aboard(shore, charter.captain.id, secret, slug, listed["Ana Lima"].key, True)
    with pytest.raises(Conflict):
        charter_day.set_aboard(shore, charter.captain.id, secret, slug, listed["Rui Lima"].key, True)
    with pytest.raises(Conflict):
        charter_day.add_walk_up(shore, charter.captain.id, secret, slug, "Late Larry")

    assert not again.changed and audit_actions(shore) == ["charter.checked_in", "charter.departed"]


def test_check_in_opens_on_the_charters_day_only(shore: Context) -> None:
    tomorrow = crewed(shore, day=TODAY + timedelta(days=1))
    signs(shore, tomorrow.event.slug, "Ana Lima")
    key = guests(shore, tomorrow)["Ana Lima"].key

    with pytest.raises(Conflict) as refused:
        charter_day.set_aboard(shore, tomorrow.captain.id, tomorrow.secret(shore), tomorrow.event.slug, key, True)

    assert "check-in opens on its day" in refused.value.message


def test_the_return_is_recorded_once_and_the_shore_told_once(shore: Context) -> None:
    charter = crewed(shore)
    signs(shore, charter.event.slug, "Ana Lima")
    aboard(shore, charter, "Ana Lima")
    depart(shore, charter)
    shore.clock.advance(hours=3, minutes=40)  # type: ignore[attr-defined]
    back = (shore, charter.captain.id, charter.secret(shore), charter.event.slug)

    first, again = charter_day.mark_returned(*back), charter_day.mark_returned(*back)

    assert first == again and first.returned_at == TODAY_AT_NINE + timedelta(hours=3, minutes=40)
    assert audit_actions(shore)[-1:] == ["charter.returned"] and audit_actions(shore).count("charter.returned") == 1
    _, notice = shore_mail(shore)
    assert notice.subject == f"Returned 12:40: {charter.ship.name} - {charter.event.slug}"
    dock = queries.get_event(shore, charter.event.slug).dock
    assert (dock.status, dock.aboard, dock.returned_at) == ("returned", 1, first.returned_at)


def test_a_charter_still_out_after_midnight_stays_on_the_sheet_until_it_is_marked_returned(shore: Context) -> None:
    charter = crewed(shore)
    signs(shore, charter.event.slug, "Ana Lima")
    aboard(shore, charter, "Ana Lima")
    depart(shore, charter)
    ended = crewed(shore, first_name="Flo", captain=charter.captain, period="am")  # never checked in
    shore.clock.advance(days=1)  # type: ignore[attr-defined]
    sheet = (charter.captain.id, charter.secret(shore))

    assert [c.event.slug for c in day_sheets.day_sheet(shore, *sheet).charters] == [charter.event.slug]
    charter_day.mark_returned(shore, *sheet, charter.event.slug)
    assert ended.event.slug not in {c.event.slug for c in day_sheets.day_sheet(shore, *sheet).charters}
    assert day_sheets.day_sheet(shore, *sheet).charters == []


def test_a_charter_that_has_not_departed_cannot_return(shore: Context) -> None:
    charter = crewed(shore)

    with pytest.raises(Conflict):
        charter_day.mark_returned(shore, charter.captain.id, charter.secret(shore), charter.event.slug)


def test_only_the_charters_own_crew_can_tap_it_and_only_with_their_live_link(shore: Context) -> None:
    charter = crewed(shore)
    other = crewed(shore, first_name="Hal")
    signs(shore, charter.event.slug, "Ana Lima")
    key = guests(shore, charter)["Ana Lima"].key
    stranger = (other.deckhand.id, other.secret(shore, other.deckhand))

    with pytest.raises(NotFound) as not_theirs:
        charter_day.set_aboard(shore, *stranger, charter.event.slug, key, True)
    with pytest.raises(NotFound):
        charter_day.depart(shore, charter.captain.id, "A" * 24, charter.event.slug)

    assert not_theirs.value.message == "no such charter on this day sheet"
    assert charter_day.set_aboard(
        shore, charter.deckhand.id, charter.secret(shore, charter.deckhand), charter.event.slug, key, True
    ).changed


def test_without_a_shore_contact_the_departure_is_recorded_and_nothing_is_sent(ctx: Context) -> None:
    charter = crewed(ctx)
    signs(ctx, charter.event.slug, "Ana Lima")
    aboard(ctx, charter, "Ana Lima")

    assert depart(ctx, charter).headcount == 1

    with ctx.store.reading() as uow:
        assert [m.kind for m in uow.outbox.recent(100)] == ["confirmation"]  # the booking's; no manifest, no copy
