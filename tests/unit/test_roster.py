"""The roster's rules: when two charters overlap, and which conflicts an assignment has."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shipcaptaincrew.domain import roster
from shipcaptaincrew.domain.bookings import Assignment, Event, Ref
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS, Period, Periods
from shipcaptaincrew.domain.roster import AssignmentConflicts, Person, Ship
from tests.builders import event_details

NOW = datetime(2026, 5, 1, tzinfo=UTC)
OSPREY = Ship("shp_1", "Osprey", 8)
MARIA = Person("per_1", "Maria Santos", "captain")
JOE = Person("per_2", "Joe", "crew")
NAMES = DEFAULT_PERIODS.names()
STATUSES = ("booked", "cancelled", "completed")


def an_event(day: date = date(2026, 5, 23), period: str = "pm", name: str = "Sarah", **more: object) -> Event:
    details = event_details(day, period, name, **more)
    return Event(f"{day.isoformat()}-{name.lower()}-{period}", details, NOW, NOW)


def aboard(event: Event, ship: Ship | None = None, captain: Person | None = None, *crew: Person) -> Event:
    refs = tuple(person.ref() for person in crew)
    return replace(event, assignment=Assignment(ship.ref() if ship else None, captain.ref() if captain else None, refs))


days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
periods = st.sampled_from(NAMES)
statuses = st.sampled_from(STATUSES)


@st.composite
def windows(draw: st.DrawFn) -> Period:
    start = draw(st.integers(0, 22 * 60))
    length = draw(st.integers(15, 24 * 60 - 1 - start))
    end = start + length
    return Period("x", time(start // 60, start % 60), time(end // 60, end % 60))


def test_a_full_day_overlaps_the_morning_and_the_afternoon_but_not_the_sunset() -> None:
    full = an_event(period="full", name="Ann")
    assert roster.overlaps(full, an_event(period="am"), DEFAULT_PERIODS)
    assert roster.overlaps(full, an_event(period="pm"), DEFAULT_PERIODS)
    assert not roster.overlaps(full, an_event(period="sunset"), DEFAULT_PERIODS)
    assert not roster.overlaps(an_event(period="am"), an_event(period="pm", name="Bo"), DEFAULT_PERIODS)


@given(days, periods, statuses, days, periods, statuses)
def test_overlap_is_symmetric(day_a: date, a: str, status_a: str, day_b: date, b: str, status_b: str) -> None:
    first = an_event(day_a, a, "Ann", status=status_a)
    second = an_event(day_b, b, "Bo", status=status_b)
    assert roster.overlaps(first, second, DEFAULT_PERIODS) == roster.overlaps(second, first, DEFAULT_PERIODS)


@given(days, periods, st.integers(1, 400), periods)
def test_charters_on_different_days_never_overlap(day: date, a: str, gap: int, b: str) -> None:
    later = day + timedelta(days=gap)
    assert not roster.overlaps(an_event(day, a, "Ann"), an_event(later, b, "Bo"), DEFAULT_PERIODS)


@given(days, periods, periods)
def test_a_cancelled_charter_overlaps_nothing(day: date, a: str, b: str) -> None:
    cancelled = an_event(day, a, "Ann", status="cancelled")
    assert not roster.overlaps(cancelled, an_event(day, b, "Bo"), DEFAULT_PERIODS)


@given(days, periods)
def test_a_live_charter_overlaps_another_in_the_same_period(day: date, period: str) -> None:
    assert roster.overlaps(an_event(day, period, "Ann"), an_event(day, period, "Bo"), DEFAULT_PERIODS)


@given(days, windows(), windows())
def test_configured_windows_overlap_exactly_when_their_times_intersect(day: date, a: Period, b: Period) -> None:
    configured = Periods((replace(a, name="one"), replace(b, name="two")))
    intersect = max(a.starts, b.starts) < min(a.ends, b.ends)
    assert roster.overlaps(an_event(day, "one", "Ann"), an_event(day, "two", "Bo"), configured) == intersect


@given(days, periods, periods)
def test_a_captain_on_two_overlapping_charters_is_a_conflict_seen_from_either(day: date, a: str, b: str) -> None:
    first, second = aboard(an_event(day, a, "Ann"), None, MARIA), aboard(an_event(day, b, "Bo"), None, MARIA)
    from_first = roster.conflicts(first, None, [MARIA], [second], DEFAULT_PERIODS)
    from_second = roster.conflicts(second, None, [MARIA], [first], DEFAULT_PERIODS)
    expected = roster.overlaps(first, second, DEFAULT_PERIODS)
    assert bool(from_first) == bool(from_second) == expected
    assert all(conflict.kind == roster.PERSON_DOUBLE_BOOKED for conflict in from_first)


def test_the_same_ship_on_overlapping_charters_is_a_conflict_naming_the_other() -> None:
    other = aboard(an_event(period="full", name="Ann"), OSPREY)

    found = roster.conflicts(an_event(), OSPREY, [], [other], DEFAULT_PERIODS)

    assert [(c.kind, c.other) for c in found] == [(roster.SHIP_DOUBLE_BOOKED, other.slug)]


def test_a_party_larger_than_the_ship_is_a_conflict() -> None:
    found = roster.conflicts(an_event(party_size=9), OSPREY, [], [], DEFAULT_PERIODS)

    assert [c.kind for c in found] == [roster.OVER_CAPACITY]
    assert "party of 9" in found[0].message


def test_credentials_expired_before_the_charter_date_are_conflicts_and_valid_through_their_last_day() -> None:
    lapsed = replace(MARIA, licence_expires=date(2026, 5, 22), medical_expires=date(2026, 5, 1))
    last_day = replace(JOE, licence_expires=date(2026, 5, 23), medical_expires=date(2026, 5, 23))

    found = roster.conflicts(an_event(), None, [lapsed, last_day], [], DEFAULT_PERIODS)

    assert [c.kind for c in found] == [roster.LICENCE_EXPIRED, roster.MEDICAL_EXPIRED]


def test_an_assignment_with_conflicts_needs_a_reason_and_keeps_it() -> None:
    other = aboard(an_event(period="am", name="Ann"), None, MARIA)
    event = an_event(period="full", name="Bo")

    with pytest.raises(AssignmentConflicts) as refused:
        roster.assignment(event, OSPREY, MARIA, [JOE], [other], DEFAULT_PERIODS)
    saved = roster.assignment(event, OSPREY, MARIA, [JOE], [other], DEFAULT_PERIODS, "Maria swaps with Leo at noon")

    assert [c.kind for c in refused.value.conflicts] == [roster.PERSON_DOUBLE_BOOKED]
    assert refused.value.field == "override_reason"
    assert saved.override_reason == "Maria swaps with Leo at noon"
    assert (saved.ship, saved.captain, saved.crew) == (Ref("shp_1", "Osprey"), MARIA.ref(), (JOE.ref(),))


def test_a_reason_without_conflicts_is_not_kept() -> None:
    assert roster.assignment(an_event(), OSPREY, MARIA, [], [], DEFAULT_PERIODS, "just in case").override_reason == ""


def test_crew_cannot_captain_and_nobody_holds_two_places() -> None:
    with pytest.raises(InvalidInput) as not_captain:
        roster.assignment(an_event(), None, JOE, [], [], DEFAULT_PERIODS)
    with pytest.raises(InvalidInput) as twice:
        roster.assignment(an_event(), None, MARIA, [JOE, JOE], [], DEFAULT_PERIODS)

    assert (not_captain.value.field, twice.value.field) == ("captain", "crew")


def test_a_ship_needs_a_name_and_a_capacity_in_range() -> None:
    for ship, field in ((Ship("s", "", 8), "name"), (Ship("s", "Osprey", 0), "capacity")):
        with pytest.raises(InvalidInput) as refused:
            roster.check_ship(ship)
        assert refused.value.field == field


def test_a_person_needs_a_known_role_and_a_valid_email() -> None:
    for person, field in ((replace(JOE, role="cook"), "role"), (replace(JOE, email="nope"), "email")):
        with pytest.raises(InvalidInput) as refused:
            roster.check_person(person)
        assert refused.value.field == field
