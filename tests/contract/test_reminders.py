"""Reminders on every store: one per charter and days-before, however often they run; none where none is wanted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from shipcaptaincrew.adapters.sqlite import SqliteStore
from shipcaptaincrew.domain.bookings import EventChanges
from shipcaptaincrew.domain.keys import Keys
from shipcaptaincrew.domain.periods import DEFAULT_PERIODS
from shipcaptaincrew.services import booking, outbox, reminders
from shipcaptaincrew.services.context import Context
from tests.builders import event_details
from tests.contract.dynamodb import dynamodb_store
from tests.fakes import FakeClock, FakeMailer

KEYS = Keys.derive(b"reminders-contract-key-0123456789abcdef")
MONDAY = datetime(2026, 5, 18, 7, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "dynamodb"])
def ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Context]:
    def context(store: object) -> Context:
        return Context(
            store=store,
            clock=FakeClock(MONDAY),
            hasher=None,
            keys=KEYS,
            mailer=FakeMailer(),  # type: ignore[arg-type]
            public_url="https://charters.example.com",
        )

    if request.param == "dynamodb":
        for store in dynamodb_store():
            yield context(store)
        return
    store = SqliteStore(tmp_path / "scc.sqlite3", DEFAULT_PERIODS)
    yield context(store)
    store.close()


def book(ctx: Context, day: date, name: str, email: str = "patron@example.org") -> str:
    details = event_details(day, "pm", name, amount_due_cents=90000)
    details = replace(details, patron=replace(details.patron, email=email))
    return booking.create_event(ctx, details, "test").slug


def reminded(ctx: Context) -> list[str]:
    return sorted(message.email.text.split("\n")[0] for message in outbox.recent(ctx) if message.kind == "reminder")


def test_each_charter_gets_one_reminder_per_day_count_however_often_they_run(ctx: Context) -> None:
    in_three = book(ctx, date(2026, 5, 21), "Ana")
    tomorrow = book(ctx, date(2026, 5, 19), "Ben")
    book(ctx, date(2026, 5, 20), "Cora")  # two days ahead: no reminder is due

    first = reminders.send_reminders(ctx)
    again = reminders.send_reminders(ctx)

    assert sorted((found.slug, found.days_before) for found in first) == [(tomorrow, 1), (in_three, 3)]
    assert again == []
    assert reminded(ctx) == ["Hello Ana,", "Hello Ben,"]


def test_cancelled_charters_those_turned_off_and_those_without_an_email_get_none(ctx: Context) -> None:
    cancelled = book(ctx, date(2026, 5, 19), "Ana")
    booking.cancel_event(ctx, cancelled, "Weather", "test")
    quiet = book(ctx, date(2026, 5, 19), "Ben")
    booking.update_event(ctx, quiet, EventChanges(reminders=False), 1, "test")
    book(ctx, date(2026, 5, 19), "Cora", email="")

    assert reminders.send_reminders(ctx) == []


def test_a_dry_run_lists_who_would_be_reminded_and_queues_nothing(ctx: Context) -> None:
    slug = book(ctx, date(2026, 5, 19), "Ana")

    listed = reminders.send_reminders(ctx, dry_run=True)

    assert [(found.slug, found.to) for found in listed] == [(slug, "patron@example.org")]
    assert reminded(ctx) == [] and len(reminders.send_reminders(ctx)) == 1


def test_the_reminder_says_when_where_who_still_has_to_sign_and_what_is_due(ctx: Context) -> None:
    slug = book(ctx, date(2026, 5, 19), "Ana")

    reminders.send_reminders(ctx)

    [message] = [message for message in outbox.recent(ctx) if message.kind == "reminder"]
    text = message.email.text
    assert "tomorrow: Tuesday 19 May 2026, 13:00 to 17:00" in text
    assert "0 of 6 guests have signed the waiver: 6 still to sign." in text
    assert f"https://charters.example.com/g/{slug}/" in text and "Balance due: $900.00" in text
    assert message.email.subject == "Your charter tomorrow - Tuesday 19 May"
