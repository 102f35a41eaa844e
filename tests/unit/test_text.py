from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.text import CONTROL_RANGES, clean_email, clean_line, clean_phone, clean_text
from tests.unit.strings import full_width

CONTROL_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


def test_a_line_is_trimmed() -> None:
    assert clean_line("  Sarah Lopez \t", "name", max_len=60) == "Sarah Lopez"


@pytest.mark.parametrize("value", ["", "   ", "\t"])
def test_a_required_line_that_is_blank_is_refused_naming_the_field(value: str) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_line(value, "patron.first_name", max_len=60)
    assert error.value.field == "patron.first_name"


def test_an_optional_line_may_be_blank() -> None:
    assert clean_line("  ", "title", max_len=60, required=False) == ""


def test_a_line_may_be_exactly_max_len_but_no_longer() -> None:
    assert clean_line("é" * 60, "name", max_len=60) == "é" * 60
    with pytest.raises(InvalidInput) as error:
        clean_line("a" * 61, "name", max_len=60)
    assert error.value.field == "name"


def test_the_length_is_measured_after_trimming() -> None:
    assert clean_line(f"  {'a' * 60}  ", "name", max_len=60) == "a" * 60


@pytest.mark.parametrize(
    "inside",
    ["\n", "\r", "\r\n", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\u200b", "\u202e", "\ue000"],
)
def test_control_characters_and_line_breaks_inside_a_line_are_refused(inside: str) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_line(f"Sarah{inside}Lopez", "patron.last_name", max_len=60)
    assert error.value.field == "patron.last_name"


def test_a_line_keeps_letters_from_any_script_and_emoji() -> None:
    assert clean_line("李 Zoë 🚤", "title", max_len=20) == "李 Zoë 🚤"


@given(st.text(max_size=30))
def test_a_cleaned_line_is_trimmed_bounded_and_has_no_control_characters(value: str) -> None:
    try:
        line = clean_line(value, "title", max_len=20, required=False)
    except InvalidInput as error:
        assert error.field == "title"
    else:
        assert line == value.strip()
        assert len(line) <= 20
        assert not any(unicodedata.category(ch) in CONTROL_CATEGORIES for ch in line)


def test_the_control_ranges_are_exactly_the_control_categories_of_unicode_14() -> None:
    in_ranges = {cp for start, end in CONTROL_RANGES for cp in range(start, end + 1)}
    by_category = {cp for cp in range(0x110000) if unicodedata.category(chr(cp)) in CONTROL_CATEGORIES}

    assert unicodedata.unidata_version != "14.0.0" or in_ranges == by_category
    assert in_ranges >= {0x0A, 0x0D, 0x202E, 0x200B, 0xFEFF, 0xE000, 0xD800}


def test_an_unassigned_code_point_is_inert_text_and_kept() -> None:
    assert clean_line("Zoe \U000e0fff", "name", max_len=60) == "Zoe \U000e0fff"


def test_text_keeps_its_newlines_and_tabs() -> None:
    assert clean_text("Pick up at dock 3.\n\tBring ice.", "notes", max_len=100) == "Pick up at dock 3.\n\tBring ice."


def test_text_turns_windows_line_breaks_into_newlines() -> None:
    assert clean_text("one\r\ntwo", "notes", max_len=100) == "one\ntwo"


@pytest.mark.parametrize("inside", ["\x00", "\x1b", "\u2028", "\u202e"])
def test_text_still_refuses_other_control_characters(inside: str) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_text(f"one{inside}two", "notes", max_len=100)
    assert error.value.field == "notes"


def test_text_may_be_blank_but_not_longer_than_max_len() -> None:
    assert clean_text("", "notes", max_len=10) == ""
    with pytest.raises(InvalidInput):
        clean_text("a" * 11, "notes", max_len=10)


@pytest.mark.parametrize("email", ["sarah@example.org", "s.lopez+boats@mail.example.co.uk", " sarah@example.org "])
def test_an_email_of_the_usual_shape_is_accepted_and_trimmed(email: str) -> None:
    assert clean_email(email, "patron.email") == email.strip()


def test_an_email_may_be_left_out() -> None:
    assert clean_email("", "patron.email") == ""


@pytest.mark.parametrize(
    "email",
    [
        "sarah",
        "sarah@",
        "@example.org",
        "sarah@example",
        "sarah@example.o",
        "sarah@example.org.",
        "sa rah@example.org",
        "sarah@@example.org",
        "sarah@exa@mple.org",
        "sarah@example.org\nBcc: x@example.org",
        f"{'a' * 65}@example.org",
        f"sarah@{'a' * 250}.org",
    ],
)
def test_an_email_of_another_shape_is_refused_naming_the_field(email: str) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_email(email, "patron.email")
    assert error.value.field == "patron.email"


@pytest.mark.parametrize("phone", ["+1 (555) 010-0199", "555.0199", "12345", "+44 20 7946 0958", "1" * 32])
def test_a_phone_of_digits_and_punctuation_is_accepted(phone: str) -> None:
    assert clean_phone(phone, "patron.phone") == phone


def test_a_phone_may_be_left_out() -> None:
    assert clean_phone("  ", "patron.phone") == ""


@pytest.mark.parametrize(
    "phone", ["1234", "1" * 33, "555-CALL-NOW", "+1 555 0100 ext 3", "+1/555/0100", "++15550100", full_width("12345")]
)
def test_a_phone_of_another_shape_is_refused_naming_the_field(phone: str) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_phone(phone, "patron.phone")
    assert error.value.field == "patron.phone"
