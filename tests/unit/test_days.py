from __future__ import annotations

from datetime import date

import pytest

from shipcaptaincrew.domain.days import check_window, parse_day
from shipcaptaincrew.domain.errors import InvalidInput


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "2025-02-29", "2026-00-10"])
def test_a_day_the_calendar_lacks_is_not_a_date(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_day(text, "date")

    assert error.value.message == f"date: {text} is not a date"
    assert error.value.field == "date"


@pytest.mark.parametrize("text", ["tomorrow", "05/23/2026", "20260523", "2026-W21-6", "2026-05-23T00:00", ""])
def test_a_day_not_written_year_month_day_says_how_to_write_one(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_day(text, "from")

    assert error.value.message == f"from: {text!r} is not a date like 2026-05-23"


def test_a_real_day_is_read() -> None:
    assert parse_day("2028-02-29", "date").isoformat() == "2028-02-29"


def test_a_window_that_ends_before_it_starts_is_refused_naming_its_end_as_the_caller_calls_it() -> None:
    with pytest.raises(InvalidInput) as error:
        check_window(date(2026, 12, 31), date(2026, 12, 1), "--from", "--to")

    assert error.value.message == "--to must not be before --from: 2026-12-01 is before 2026-12-31"
    assert error.value.field == "--to"
    check_window(date(2026, 12, 1), date(2026, 12, 1))
