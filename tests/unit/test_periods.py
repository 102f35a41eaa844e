from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS, Period, parse_periods
from tests.unit.strings import full_width


def test_a_spec_lists_named_periods_in_order() -> None:
    periods = parse_periods("am=08:00-12:00, pm=13:00-17:00,")
    assert periods.items == (Period("am", time(8), time(12)), Period("pm", time(13), time(17)))
    assert periods.names() == ("am", "pm")


def test_the_default_periods_are_am_pm_sunset_and_full() -> None:
    assert DEFAULT_PERIODS.names() == ("am", "pm", "sunset", "full")


@pytest.mark.parametrize(
    "spec",
    [
        "",
        " , ",
        "am",
        "am=08:00",
        "AM=08:00-12:00",
        "a1=08:00-12:00",
        "am pm=08:00-12:00",
        "abcdefghijklm=08:00-12:00",
        "am=8:00-12:00",
        "am=08.00-12.00",
        "am=25:00-26:00",
        "am=08:00-24:00",
        "am=08:60-09:00",
        "am=12:00-08:00",
        "am=08:00-08:00",
        "am=08:00-12:00,am=13:00-17:00",
        "am=08:00-12:00;pm=13:00-17:00",
    ],
)
def test_a_bad_spec_is_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_periods(spec)


def test_a_spec_with_full_width_digits_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_periods(f"am={full_width('08')}:00-12:00")


def test_the_full_day_overlaps_the_morning_and_the_afternoon() -> None:
    full = DEFAULT_PERIODS.get("full")
    assert full.overlaps(DEFAULT_PERIODS.get("am"))
    assert full.overlaps(DEFAULT_PERIODS.get("pm"))
    assert DEFAULT_PERIODS.get("am").overlaps(full)


def test_the_morning_does_not_overlap_the_afternoon_or_sunset() -> None:
    am, pm, sunset = (DEFAULT_PERIODS.get(name) for name in ("am", "pm", "sunset"))
    assert not am.overlaps(pm)
    assert not pm.overlaps(am)
    assert not pm.overlaps(sunset)


def test_periods_that_only_touch_do_not_overlap() -> None:
    periods = parse_periods("am=08:00-12:00,lunch=12:00-13:00")
    assert not periods.get("am").overlaps(periods.get("lunch"))


periods_in_a_day = st.tuples(st.times(), st.times()).filter(lambda pair: pair[0] < pair[1])


@given(periods_in_a_day, periods_in_a_day)
def test_overlapping_is_symmetric_and_a_period_overlaps_itself(
    first: tuple[time, time], second: tuple[time, time]
) -> None:
    a, b = Period("a", *first), Period("b", *second)
    assert a.overlaps(b) == b.overlaps(a)
    assert a.overlaps(a)


def test_an_unknown_period_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as error:
        DEFAULT_PERIODS.get("night", field="slug")
    assert error.value.field == "slug"
    assert "am, pm, sunset, full" in error.value.message


def test_membership_is_by_name() -> None:
    assert "sunset" in DEFAULT_PERIODS
    assert "night" not in DEFAULT_PERIODS
