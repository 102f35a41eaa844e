"""Merging a function's environment: nothing live is dropped unless asked, and values never show."""

from __future__ import annotations

import pytest

from shipcaptaincrew.deploy.lambda_env import LIMIT_BYTES, Changes, EnvironmentRefused, diff, merge, size

LIVE = {"SCC_ADMIN_PASSWORD_HASH": "$argon2id$secret", "SCC_STORE": "sqlite"}


def test_a_merge_keeps_every_live_key_and_applies_the_changes() -> None:
    merged = merge(LIVE, Changes({"SCC_STORE": "dynamodb", "SCC_MAIL_FROM": "a@b.c"}))

    assert merged == {**LIVE, "SCC_STORE": "dynamodb", "SCC_MAIL_FROM": "a@b.c"}


def test_a_key_goes_only_when_removed_by_name() -> None:
    assert merge(LIVE, Changes({}, frozenset({"SCC_STORE"}))) == {"SCC_ADMIN_PASSWORD_HASH": "$argon2id$secret"}


def test_removing_a_key_the_function_lacks_is_refused_as_a_likely_typo() -> None:
    with pytest.raises(EnvironmentRefused, match="does not have: SCC_STOER"):
        merge(LIVE, Changes({}, frozenset({"SCC_STOER"})))


def test_setting_and_removing_one_key_is_refused() -> None:
    with pytest.raises(EnvironmentRefused, match="both set and removed"):
        merge(LIVE, Changes({"SCC_STORE": "x"}, frozenset({"SCC_STORE"})))


def test_names_lambda_reserves_or_refuses_are_refused() -> None:
    for bad in ("AWS_REGION", "_HANDLER", "1ABC", "A-B"):
        with pytest.raises(EnvironmentRefused):
            merge(LIVE, Changes({bad: "x"}))


def test_a_stage_default_fills_a_gap_but_never_overrides_a_live_value() -> None:
    defaults = {"SCC_PATH_PREFIX": "/_staging", "SCC_STORE": "dynamodb"}

    assert merge(LIVE, Changes({}, defaults=defaults)) == {**LIVE, "SCC_PATH_PREFIX": "/_staging"}


def test_an_environment_over_the_limit_is_refused_with_its_size() -> None:
    big = {"SCC_BIG": "x" * LIMIT_BYTES}

    with pytest.raises(EnvironmentRefused, match=rf"would be {size({**LIVE, **big})} bytes"):
        merge(LIVE, Changes(big))


def test_a_diff_names_keys_and_never_values() -> None:
    lines = diff(LIVE, {"SCC_ADMIN_PASSWORD_HASH": "$argon2id$other", "SCC_NEW": "v"}).lines()

    assert lines == [
        "  + SCC_NEW (added)",
        "  ~ SCC_ADMIN_PASSWORD_HASH (changed)",
        "  - SCC_STORE (removed)",
        "  = 0 unchanged",
    ]
    assert "$argon2id" not in "".join(lines)
