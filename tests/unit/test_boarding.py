"""The check-in list and the departure's rules, on plain records."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from shipcaptaincrew.domain import boarding
from shipcaptaincrew.domain.boarding import CheckIn, Guest, NeedsOverride
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.waivers import Signature

NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)


def signature(name: str, born: str = "1990-04-23", minor: bool = False, id_: str = "") -> Signature:
    return Signature(
        id_ or f"sig_{name}",
        "slug",
        name,
        "",
        "",
        born,
        minor,
        "",
        "",
        "",
        "Kin",
        "+1 555 0112",
        name,
        "",
        "",
        "",
        1,
        "h",
        NOW.isoformat(),
        "",
        "",
        "t",
    )


def line(guest: str, name: str, aboard: bool = True, walk_up: bool = False, minute: int = 0) -> CheckIn:
    at = NOW.replace(minute=minute)
    return CheckIn(guest, name, walk_up, aboard, "Ana Ruiz", at, at)


def test_each_signer_is_one_line_keyed_by_who_they_are() -> None:
    ana, twin = signature("Ana Lima"), signature("Ana Lima", born="2015-06-01", minor=True)

    guests = boarding.roll([ana, twin], [])

    assert [(g.name, g.minor, g.signed, g.aboard) for g in guests] == [
        ("Ana Lima", False, True, False),
        ("Ana Lima", True, True, False),
    ]
    assert len({g.key for g in guests}) == 2 and all(boarding.is_key(g.key) for g in guests)
    assert boarding.signer_key(ana) == boarding.signer_key(replace(ana, id="sig_again", guest_name="ANA  LIMA"))


def test_a_walk_up_whose_name_a_signature_carries_is_that_signer_on_one_line() -> None:
    walker = line(boarding.walk_up_key("Walker Pérez"), "walker perez", walk_up=True)

    (guest,) = boarding.roll([signature("Walker Perez")], [walker])

    assert (guest.key, guest.name, guest.signed, guest.walk_up, guest.aboard) == (
        walker.guest,
        "walker perez",
        True,
        True,
        True,
    )


def test_walk_ups_come_after_the_signers_in_the_order_they_were_added() -> None:
    later, sooner = (line(boarding.walk_up_key(n), n, walk_up=True, minute=m) for n, m in (("Zed", 5), ("Bea", 1)))

    guests = boarding.roll([signature("Ana Lima")], [later, sooner])

    assert [(g.name, g.signed) for g in guests] == [("Ana Lima", True), ("Bea", False), ("Zed", False)]


def test_someone_aboard_without_a_signature_that_counts_stays_aboard_unsigned() -> None:
    voided = signature("Ana Lima")

    (guest,) = boarding.roll([], [line(boarding.signer_key(voided), "Ana Lima")])

    assert (guest.name, guest.signed, guest.aboard) == ("Ana Lima", False, True)
    assert boarding.roll([], [line(boarding.signer_key(voided), "Ana Lima", aboard=False)]) == []


def test_a_tap_that_changes_nothing_makes_no_line() -> None:
    guest = Guest("s" + "0" * 20, "Ana Lima", True, aboard=True)

    assert boarding.tapped(guest, True, None, "Ana Ruiz", NOW) is None
    assert boarding.tapped(guest, False, None, "Ana Ruiz", NOW) == CheckIn(
        guest.key, "Ana Lima", False, False, "Ana Ruiz", NOW, NOW
    )


def test_departing_needs_someone_aboard_and_a_reason_for_the_unsigned_or_an_overfull_ship() -> None:
    signed, unsigned = Guest("s1", "Ana Lima", True, aboard=True), Guest("w1", "Walker", False, aboard=True)

    with pytest.raises(InvalidInput):
        boarding.depart([replace(signed, aboard=False)], 12, "", "Ana Ruiz", NOW)
    with pytest.raises(NeedsOverride) as refused:
        boarding.depart([signed, unsigned], 1, "", "Ana Ruiz", NOW)

    assert refused.value.reasons == ("not signed: Walker", "2 aboard is over the ship's capacity of 1")
    assert boarding.depart([signed], 12, "a reason nobody needed", "Ana Ruiz", NOW).override_reason == ""
    assert boarding.depart([signed, unsigned], None, "signs later", "Ana Ruiz", NOW).headcount == 2


def test_guest_keys_are_one_letter_and_twenty_hex_digits() -> None:
    assert boarding.is_key(boarding.walk_up_key("Walker")) and not boarding.is_key("s" + "g" * 20)
    assert not boarding.is_key("x" + "0" * 20) and not boarding.is_key("s0")
