from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.money import MAX_CENTS, format_cents, parse_cents
from tests.unit.strings import full_width


@pytest.mark.parametrize(
    ("text", "cents"),
    [("125.5", 12550), ("125.50", 12550), ("125", 12500), ("0.01", 1), ("0.5", 50), ("1", 100), ("007.10", 710)],
)
def test_an_amount_is_parsed_from_its_exact_decimal_text(text: str, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "0.00",
        "-5",
        "+5",
        "1.234",
        "1e3",
        "1E3",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "",
        " ",
        "1,000",
        "1 000",
        "1_000",
        full_width("0"),
        "125.",
        ".5",
        "0x10",
        "$125",
        "1234567890",
        "1234567890.00",
        "1" * 40,
    ],
)
def test_text_that_is_not_a_positive_amount_with_two_decimals_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_cents(text)


@pytest.mark.parametrize("field", ["amount", "amount_due", "payment.amount"])
def test_the_error_names_the_field_passed_in(field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_cents("1.234", field)
    assert error.value.field == field
    with pytest.raises(InvalidInput) as error:
        parse_cents("0", field)
    assert error.value.field == field


@pytest.mark.parametrize("text", [full_width("125"), "\u0661\u0662\u0665"])
def test_non_ascii_digits_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_cents(text)


@pytest.mark.parametrize(("text", "cents"), [("999999999.99", 99_999_999_999), ("100000000", 10_000_000_000)])
def test_nine_integer_digits_are_accepted(text: str, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize("text", ["99999999999999999999.99", "1000000000", "1234567890.00", "1" * 40, "1" * 5000])
def test_an_amount_above_the_maximum_is_refused_saying_the_maximum(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_cents(text, "amount")

    assert error.value.message.startswith("amount must be at most 999,999,999.99")
    assert error.value.field == "amount"


@given(st.integers(min_value=1, max_value=MAX_CENTS))
def test_parsing_a_formatted_amount_gives_back_the_cents(cents: int) -> None:
    assert parse_cents(format_cents(cents)) == cents


@given(st.text(max_size=40))
def test_any_text_parses_to_a_positive_amount_in_range_or_is_refused(text: str) -> None:
    try:
        cents = parse_cents(text, "amount")
    except InvalidInput as error:
        assert error.field == "amount"
    else:
        assert 1 <= cents <= MAX_CENTS


@pytest.mark.parametrize(
    ("cents", "text"), [(12550, "125.50"), (5, "0.05"), (0, "0.00"), (-5, "-0.05"), (-12550, "-125.50")]
)
def test_cents_are_formatted_with_two_decimals_and_their_sign(cents: int, text: str) -> None:
    assert format_cents(cents) == text
