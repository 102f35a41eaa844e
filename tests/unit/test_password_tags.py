from __future__ import annotations

from collections import Counter

from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.password_tags import TAG_BITS, Lane, PasswordTag, sort_password, tag_password

KEY = Keys.derive(b"0123456789abcdef0123456789abcdef").password_tag
OTHER_KEY = Keys.derive(b"fedcba9876543210fedcba9876543210").password_tag
HASH = "0011223344556677"
"""A password hash's fingerprint, as tokens carry it."""


def test_the_right_password_goes_to_the_priority_lane() -> None:
    tag = tag_password(KEY, HASH, "correct horse battery")

    assert sort_password(tag, KEY, HASH, "correct horse battery") is Lane.PRIORITY


def test_about_one_wrong_guess_in_four_thousand_shares_the_tag_and_the_rest_are_known_wrong() -> None:
    tag = tag_password(KEY, HASH, "correct horse battery")

    lanes = Counter(sort_password(tag, KEY, HASH, f"guess {n}") for n in range(40_960))

    assert set(lanes) == {Lane.WRONG, Lane.PRIORITY}
    assert 2 <= lanes[Lane.PRIORITY] <= 25, lanes  # 10 expected: 40,960 guesses / 4,096 tag values


def test_a_tag_is_twelve_bits_and_differs_with_the_key() -> None:
    tags = {tag_password(KEY, HASH, f"password {n}").tag for n in range(80_000)}

    assert TAG_BITS == 12 and len(tags) == 4096 and all(len(tag) == 3 for tag in tags)
    under_other_keys = [tag_password(OTHER_KEY, HASH, f"password {n}").tag for n in range(50)]
    assert under_other_keys != [tag_password(KEY, HASH, f"password {n}").tag for n in range(50)]


def test_a_tag_made_under_another_key_or_for_another_hash_is_not_trusted() -> None:
    old_key = tag_password(OTHER_KEY, HASH, "correct horse battery")
    old_hash = tag_password(KEY, "8899aabbccddeeff", "correct horse battery")

    for stale in (old_key, old_hash, None):
        for password in ("correct horse battery", "a wrong guess"):
            assert sort_password(stale, KEY, HASH, password) is Lane.UNSORTED


def test_a_tag_reads_back_from_its_text_and_anything_else_is_no_tag() -> None:
    tag = tag_password(KEY, HASH, "correct horse battery")

    assert PasswordTag.parse(tag.text()) == tag
    for text in ("", "abc", "a:b", "a::c", "a:b:c:d", ":::"):
        assert PasswordTag.parse(text) is None, text


def test_the_key_is_named_but_not_shown() -> None:
    tag = tag_password(KEY, HASH, "correct horse battery")

    assert KEY.hex() not in tag.text() and len(tag.key) == 8


def test_a_password_that_is_not_valid_unicode_still_gets_a_lane() -> None:
    tag = tag_password(KEY, HASH, "correct horse battery")

    assert sort_password(tag, KEY, HASH, "\ud800 lone surrogate") in (Lane.WRONG, Lane.PRIORITY)
