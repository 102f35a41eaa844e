"""The weather call on every store: exactly the charters of the periods given, each told, money shown, once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.errors import InvalidInput
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.domain.roster import Person
from shipcaptaincrew.domain.waivers import SignatureDraft
from shipcaptaincrew.services import booking, outbox, payments, queries, roster, waivers
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.weather import WeatherCall, make_weather_call
from tests.builders import event_details, set_waiver, sign_waiver
from tests.contract.dynamodb import dynamodb_store
from tests.fakes import FakeClock, FakeMailer

KEYS = Keys.derive(b"weather-call-contract-key-0123456789ab")
DAY = date(2026, 5, 23)


@pytest.fixture(params=["sqlite", "dynamodb"])
def ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Context]:
    if request.param == "dynamodb":
        for store in dynamodb_store():
            yield Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
        return
    store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield Context(store=store, clock=FakeClock(), hasher=None, keys=KEYS, mailer=FakeMailer())  # type: ignore[arg-type]
    store.close()


def book(ctx: Context, period: str, name: str, paid: int = 0) -> str:
    details = event_details(DAY, period, name, amount_due_cents=60000)
    details = replace(details, patron=replace(details.patron, email=f"{name.lower()}@example.org"))
    slug = booking.create_event(ctx, details, "test").slug
    if paid:
        payments.log_payment(ctx, slug, PaymentDraft(paid, "cash", name), "test")
    return slug


@pytest.fixture
def saturday(ctx: Context) -> dict[str, str]:
    """Four charters on the day: morning (paid, crewed, one guest signed), afternoon, sunset, and one cancelled."""
    slugs = {"am": book(ctx, "am", "Ana", paid=20000), "pm": book(ctx, "pm", "Ben"),
             "sunset": book(ctx, "sunset", "Cora"), "gone": book(ctx, "full", "Dan")}  # fmt: skip
    booking.cancel_event(ctx, slugs["gone"], "Changed plans", "test")
    captain = roster.add_person(ctx, Person("", "Maria Santos", "captain", "maria@example.org"), "test")
    roster.assign_crew(ctx, slugs["am"], None, captain.id, [], "", "test")
    version = waivers.current_waiver(ctx) or set_waiver(ctx)
    guest = SignatureDraft(
        "Eve Costa",
        "eve@example.org",
        "",
        date(1990, 1, 1),
        "Rui",
        "+1 555 0100",
        "Eve Costa",
        True,
        True,
        version.id,
        version.sha256,
    )
    sign_waiver(ctx, slugs["am"], guest)
    return slugs


def kinds(ctx: Context) -> list[str]:
    return sorted(message.kind for message in outbox.recent(ctx, 200))


def test_a_cancel_call_cancels_exactly_the_periods_given_tells_everyone_and_shows_the_money(
    ctx: Context, saturday: dict[str, str]
) -> None:
    before = kinds(ctx)

    outcomes = make_weather_call(ctx, WeatherCall(DAY, ("am", "pm"), "cancel", "Small craft advisory"), "test")

    assert {outcome.slug: outcome.result for outcome in outcomes} == {
        saturday["am"]: "cancelled",
        saturday["pm"]: "cancelled",
    }
    morning = next(outcome for outcome in outcomes if outcome.slug == saturday["am"])
    assert (morning.paid_cents, morning.refund_due_cents) == (20000, 20000)
    assert sorted(morning.emailed) == ["ana@example.org", "maria@example.org"]
    assert queries.get_event(ctx, saturday["sunset"]).details.status == "booked"
    assert queries.get_event(ctx, saturday["am"]).refund_due_cents == 20000
    new = [kind for kind in kinds(ctx) if kind not in before or before.count(kind) < kinds(ctx).count(kind)]
    assert sorted(set(new)) == ["cancellation", "crew-change"]


def test_the_same_call_again_changes_nothing(ctx: Context, saturday: dict[str, str]) -> None:
    call = WeatherCall(DAY, ("am", "pm"), "cancel", "Small craft advisory")
    make_weather_call(ctx, call, "test")
    queued = kinds(ctx)

    again = make_weather_call(ctx, call, "test")

    assert again == [] and kinds(ctx) == queued


def test_a_reschedule_call_moves_each_charter_renames_it_and_tells_the_signed_guests(
    ctx: Context, saturday: dict[str, str]
) -> None:
    call = WeatherCall(DAY, ("am",), "reschedule", "Wind", to_day=date(2026, 5, 30))

    [outcome] = make_weather_call(ctx, call, "test")
    again = make_weather_call(ctx, call, "test")

    assert (outcome.result, outcome.new_slug) == ("moved", "2026-05-30-ana-am")
    assert sorted(outcome.emailed) == ["ana@example.org", "eve@example.org", "maria@example.org"]
    assert queries.get_event(ctx, saturday["am"]).slug == "2026-05-30-ana-am"
    assert again == []
    assert {"reschedule", "guest-moved", "crew-change"} <= set(kinds(ctx))


def test_a_dry_run_says_what_would_happen_and_who_would_hear_and_changes_nothing(
    ctx: Context, saturday: dict[str, str]
) -> None:
    queued = kinds(ctx)

    preview = make_weather_call(ctx, WeatherCall(DAY, ("am", "pm", "sunset"), "cancel", "Storm"), "test", dry_run=True)

    assert [outcome.result for outcome in preview] == ["would cancel"] * 3
    assert next(o for o in preview if o.slug == saturday["am"]).refund_due_cents == 20000
    assert kinds(ctx) == queued and queries.get_event(ctx, saturday["am"]).details.status == "booked"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (WeatherCall(DAY, ("am",), "cancel", " "), "reason"),
        (WeatherCall(DAY, ("noon",), "cancel", "Storm"), "period"),
        (WeatherCall(DAY, ("am",), "reschedule", "Storm"), "to_date"),
        (WeatherCall(DAY, (), "cancel", "Storm"), "periods"),
    ],
)
def test_a_call_that_cannot_be_made_is_refused_by_field_and_changes_nothing(
    ctx: Context, saturday: dict[str, str], call: WeatherCall, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        make_weather_call(ctx, call, "test")

    assert refused.value.field == field
    assert queries.get_event(ctx, saturday["am"]).details.status == "booked"
