from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shipcaptaincrew.domain import slugs
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS, parse_periods
from shipcaptaincrew.domain.slugs import SlugParts
from tests.unit.strings import full_width

PERIODS = DEFAULT_PERIODS

names_with_a_latin_letter = st.builds(
    lambda before, letter, after: before + letter + after,
    st.text(max_size=20),
    st.sampled_from(string.ascii_letters),
    st.text(max_size=20),
)


def test_a_slug_is_the_date_the_first_name_and_the_period() -> None:
    assert slugs.build(date(2026, 5, 23), "Sarah", "pm", PERIODS) == "2026-05-23-sarah-pm"


@pytest.mark.parametrize(
    ("first_name", "expected"),
    [
        ("José", "jose"),
        ("Mary Kate", "marykate"),
        ("Zoë", "zoe"),
        ("Björn", "bjorn"),
        ("ß", "ss"),
        ("Øyvind", "oyvind"),
        ("Łukasz", "lukasz"),
        ("Þóra", "thora"),
        (full_width("Sarah"), "sarah"),
        ("Anne-Marie O'Neil", "annemarieoneil"),
    ],
)
def test_the_first_name_is_transliterated_to_ascii_letters(first_name: str, expected: str) -> None:
    assert slugs.slug_name(first_name) == expected


def test_a_capital_sharp_s_becomes_ss_like_the_small_one() -> None:
    assert slugs.slug_name("JOẞ") == "joss"


@pytest.mark.parametrize("first_name", ["李", "محمد", "   ", "", "123", "-"])
def test_a_first_name_without_latin_letters_is_refused_naming_the_patron_first_name(first_name: str) -> None:
    with pytest.raises(InvalidInput) as error:
        slugs.build(date(2026, 5, 23), first_name, "pm", PERIODS)
    assert error.value.field == "patron.first_name"


def test_a_long_first_name_is_cut_to_forty_letters() -> None:
    assert slugs.slug_name("a" * 100) == "a" * slugs.MAX_NAME_LETTERS


def test_a_period_outside_the_configured_set_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        slugs.build(date(2026, 5, 23), "Sarah", "night", PERIODS)
    assert error.value.field == "period"


def test_a_configured_period_is_accepted_even_if_not_a_default() -> None:
    periods = parse_periods("dawn=05:00-07:00")
    assert slugs.build(date(2026, 5, 23), "Sarah", "dawn", periods) == "2026-05-23-sarah-dawn"


def test_parse_takes_a_slug_apart() -> None:
    assert slugs.parse("2026-05-23-sarah-pm", PERIODS) == SlugParts(date(2026, 5, 23), "sarah", "pm")


@given(day=st.dates(), first_name=names_with_a_latin_letter, period=st.sampled_from(PERIODS.names()))
def test_parsing_a_built_slug_gives_back_its_parts(day: date, first_name: str, period: str) -> None:
    slug = slugs.build(day, first_name, period, PERIODS)
    assert slugs.parse(slug, PERIODS) == SlugParts(day, slugs.slug_name(first_name), period)
    assert slugs.check_safe(slug) == slug


@given(first_name=st.text())
def test_a_slug_name_is_ascii_letters_or_a_refusal(first_name: str) -> None:
    try:
        name = slugs.slug_name(first_name)
    except InvalidInput as error:
        assert error.field == "patron.first_name"
    else:
        assert 1 <= len(name) <= slugs.MAX_NAME_LETTERS
        assert set(name) <= set(string.ascii_lowercase)


@pytest.mark.parametrize(
    "slug",
    [
        "2026-02-30-sarah-pm",
        "2026-13-01-sarah-pm",
        "2025-02-29-sarah-pm",
        "0000-01-01-sarah-pm",
        "2026-05-23-sarah-night",
        "2026-05-23-Sarah-pm",
        "2026-05-23-sarah",
        "2026-05-23",
        "26-05-23-sarah-pm",
        "2026-5-23-sarah-pm",
        "2026-05-23-sa rah-pm",
        "2026-05-23--pm",
        f"2026-05-23-{'a' * 41}-pm",
        "",
    ],
)
def test_a_slug_not_of_the_pattern_is_refused_and_not_conforming(slug: str) -> None:
    with pytest.raises(InvalidInput) as error:
        slugs.parse(slug, PERIODS, field="event_id")
    assert error.value.field == "event_id"
    assert not slugs.is_conforming(slug, PERIODS)


def test_a_leap_day_is_a_real_date() -> None:
    assert slugs.parse("2028-02-29-sarah-am", PERIODS).date == date(2028, 2, 29)


def test_a_legacy_date_only_slug_is_safe_but_not_conforming() -> None:
    assert not slugs.is_conforming("2026-05-23", PERIODS)
    assert slugs.check_safe("2026-05-23") == "2026-05-23"


def test_a_slug_with_a_trailing_newline_is_not_conforming() -> None:
    assert not slugs.is_conforming("2026-05-23-sarah-pm\n", PERIODS)


def test_a_slug_with_full_width_digits_is_not_conforming() -> None:
    assert not slugs.is_conforming(f"{full_width('2026')}-05-23-sarah-pm", PERIODS)


@pytest.mark.parametrize("slug", ["2026-05-23-sarah-pm", "a", "A1", "x..y", "old_slug.v2", "a" * 80])
def test_a_short_url_safe_token_is_a_safe_slug(slug: str) -> None:
    assert slugs.check_safe(slug) == slug


@pytest.mark.parametrize(
    "slug",
    ["../x", "..", ".", "a/b", "/etc", "a\\b", "a b", " a", "", "a" * 81, "-a", "_a", ".hidden", "a?b", "a%2Fb", "é"],
)
def test_an_unsafe_slug_is_refused(slug: str) -> None:
    with pytest.raises(InvalidInput) as error:
        slugs.check_safe(slug, field="slug")
    assert error.value.field == "slug"


def test_a_slug_ending_in_a_newline_is_not_safe() -> None:
    with pytest.raises(InvalidInput):
        slugs.check_safe("legacy\n")
