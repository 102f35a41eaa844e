from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shipcaptaincrew.domain import bookings
from shipcaptaincrew.domain.bookings import KEEP, Event, EventChanges, EventDetails, Patron, PaymentState
from shipcaptaincrew.domain.errors import InvalidInput, StaleVersion
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS

PERIODS = DEFAULT_PERIODS
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)


def patron(**overrides: str) -> Patron:
    return replace(Patron("Sarah", "Lopez", "sarah@example.org", "+1 555 0100"), **overrides)


def details(**overrides: Any) -> EventDetails:
    defaults = EventDetails(
        date=date(2026, 5, 23), period="pm", patron=patron(), party_size=8, title="Birthday", amount_due_cents=90000
    )
    return replace(defaults, **overrides)


def booked(slug: str | None = None, **overrides: Any) -> Event:
    return bookings.new_event(details(**overrides), slug, PERIODS, NOW)


def test_a_new_event_gets_a_slug_from_its_date_first_name_and_period() -> None:
    event = booked(patron=patron(first_name="José"), period="am")
    assert event.slug == "2026-05-23-jose-am"
    assert (event.version, event.created_at, event.updated_at) == (1, NOW, NOW)


def test_a_new_event_has_its_text_cleaned() -> None:
    event = booked(patron=patron(first_name="  Sarah ", email=" sarah@example.org "), title=" Birthday ")
    assert event.details.patron.first_name == "Sarah"
    assert event.details.patron.email == "sarah@example.org"
    assert event.details.title == "Birthday"


def test_a_given_slug_that_matches_the_date_and_period_is_kept() -> None:
    assert booked("2026-05-23-sarahjane-pm").slug == "2026-05-23-sarahjane-pm"


@pytest.mark.parametrize("slug", ["2026-05-24-sarah-pm", "2026-05-23-sarah-am", "2026-05-23", "../x"])
def test_a_given_slug_that_does_not_match_the_date_and_period_is_refused(slug: str) -> None:
    with pytest.raises(InvalidInput) as error:
        booked(slug)
    assert error.value.field == "slug"


def test_a_first_name_without_latin_letters_needs_a_given_slug() -> None:
    with pytest.raises(InvalidInput) as error:
        booked(patron=patron(first_name="李"))
    assert error.value.field == "patron.first_name"
    assert booked("2026-05-23-li-pm", patron=patron(first_name="李")).details.patron.first_name == "李"


@pytest.mark.parametrize("party_size", [1, 250, bookings.MAX_PARTY])
def test_a_party_of_one_to_five_hundred_is_accepted(party_size: int) -> None:
    assert booked(party_size=party_size).details.party_size == party_size


@pytest.mark.parametrize("party_size", [0, -1, bookings.MAX_PARTY + 1])
def test_a_party_outside_one_to_five_hundred_is_refused(party_size: int) -> None:
    with pytest.raises(InvalidInput) as error:
        booked(party_size=party_size)
    assert error.value.field == "party_size"


@pytest.mark.parametrize("amount_due_cents", [None, 1, 90000])
def test_the_amount_due_is_none_or_positive(amount_due_cents: int | None) -> None:
    assert booked(amount_due_cents=amount_due_cents).details.amount_due_cents == amount_due_cents


@pytest.mark.parametrize("amount_due_cents", [0, -1, -90000])
def test_an_amount_due_of_zero_or_less_is_refused(amount_due_cents: int) -> None:
    with pytest.raises(InvalidInput) as error:
        booked(amount_due_cents=amount_due_cents)
    assert error.value.field == "amount_due"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"period": "night"}, "period"),
        ({"status": "pending"}, "status"),
        ({"patron": patron(first_name=" ")}, "patron.first_name"),
        ({"patron": patron(email="sarah")}, "patron.email"),
        ({"patron": patron(phone="call me")}, "patron.phone"),
        ({"title": "Birth\nday"}, "title"),
        ({"notes": "x" * 4001}, "notes"),
    ],
)
def test_a_bad_field_is_refused_by_name(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        booked(**overrides)
    assert error.value.field == field


def test_a_legacy_event_keeps_a_safe_slug_of_any_shape() -> None:
    assert bookings.legacy_event(details(), "2026-05-23", PERIODS, NOW).slug == "2026-05-23"


def test_a_legacy_event_with_an_unsafe_slug_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        bookings.legacy_event(details(), "../2026-05-23", PERIODS, NOW)
    assert error.value.field == "slug"


def test_a_revision_at_the_current_version_saves_and_bumps_the_version() -> None:
    event = booked()
    revised = bookings.revise(event, details(party_size=12), event.version, PERIODS, LATER)
    assert revised.details.party_size == 12
    assert (revised.version, revised.created_at, revised.updated_at) == (2, NOW, LATER)
    assert revised.slug == event.slug


@pytest.mark.parametrize("expected_version", [0, 2])
def test_a_revision_at_a_stale_version_raises_stale_version(expected_version: int) -> None:
    with pytest.raises(StaleVersion) as error:
        bookings.revise(booked(), details(party_size=12), expected_version, PERIODS, LATER)
    assert error.value.field == "version"


def test_a_revision_is_checked_like_a_booking() -> None:
    with pytest.raises(InvalidInput) as error:
        bookings.revise(booked(), details(party_size=0), 1, PERIODS, LATER)
    assert error.value.field == "party_size"


def test_changes_that_keep_every_field_change_nothing() -> None:
    assert bookings.apply_changes(details(), EventChanges()) == details()


def test_changes_replace_only_the_fields_they_name() -> None:
    changed = bookings.apply_changes(details(), EventChanges(party_size=3, email="new@example.org"))
    assert changed == details(party_size=3, patron=patron(email="new@example.org"))


def test_a_change_to_none_removes_the_price_where_keep_does_not() -> None:
    assert bookings.apply_changes(details(), EventChanges(amount_due_cents=None)).amount_due_cents is None
    assert bookings.apply_changes(details(), EventChanges(amount_due_cents=KEEP)).amount_due_cents == 90000


def test_changes_to_the_patron_are_cleaned() -> None:
    changed = bookings.apply_changes(details(), EventChanges(first_name="  Zoë "))
    assert changed.patron.first_name == "Zoë"
    with pytest.raises(InvalidInput) as error:
        bookings.apply_changes(details(), EventChanges(first_name="Zo\r\nBcc: x"))
    assert error.value.field == "patron.first_name"


def test_the_balance_is_the_amount_due_less_what_was_paid() -> None:
    event = replace(booked(amount_due_cents=90000), payment=PaymentState(paid_cents=40000))
    assert event.balance_cents == 50000


def test_overpaying_leaves_a_credit() -> None:
    event = replace(booked(amount_due_cents=90000), payment=PaymentState(paid_cents=100000))
    assert event.balance_cents == -10000


def test_an_event_with_no_price_owes_nothing() -> None:
    assert booked(amount_due_cents=None).balance_cents == 0


def test_the_payment_is_cleared_once_the_ledger_says_when() -> None:
    event = booked()
    assert not event.payment_cleared
    assert replace(event, payment=PaymentState(90000, cleared_at=LATER)).payment_cleared
