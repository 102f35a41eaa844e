"""The test tiers: every test takes the marker of the folder it is in, and `make check` leaves every tier out."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest

from tests.conftest import TIER_OF_PATH, TIERS, tiers_of

MAKEFILE = Path(__file__).parents[1] / "Makefile"


def test_a_new_file_in_a_tiered_folder_takes_the_folders_marker() -> None:
    assert tiers_of(PurePosixPath("browser/test_a_page_nobody_wrote_yet.py"), []) == ["browser"]
    assert tiers_of(PurePosixPath("deploy/test_another_step.py"), []) == ["aws"]
    assert tiers_of(PurePosixPath("drills/test_a_disk_fills_up.py"), []) == ["drill"]


def test_the_attacks_folder_is_a_tier_before_its_first_test_is_written() -> None:
    assert tiers_of(PurePosixPath("security/test_guessing_slugs.py"), ["live_server_factory"]) == ["security", "live"]


def test_only_the_schema_fuzzing_file_of_reliability_is_the_fuzz_tier() -> None:
    assert tiers_of(PurePosixPath("reliability/test_schema_fuzzing.py"), []) == ["fuzz"]
    assert tiers_of(PurePosixPath("reliability/test_hostile_input.py"), []) == []


def test_a_test_that_takes_a_live_server_is_live_wherever_it_is() -> None:
    assert tiers_of(PurePosixPath("web/test_payment_concurrency.py"), ["tmp_path", "live_server_factory"]) == ["live"]
    assert tiers_of(PurePosixPath("web/test_events_api.py"), ["client"]) == []


def test_every_tier_is_a_registered_marker(pytestconfig: pytest.Config) -> None:
    registered = {line.split(":")[0] for line in pytestconfig.getini("markers")}

    assert set(TIER_OF_PATH.values()) <= set(TIERS) <= registered


def test_make_check_leaves_out_every_tier() -> None:
    expression = re.search(r'^IN_PROCESS := "(.*)"$', MAKEFILE.read_text(), re.MULTILINE)

    assert expression is not None
    assert expression[1].startswith("not (") and set(re.findall(r"\w+", expression[1])) == {"not", "or", *TIERS}
