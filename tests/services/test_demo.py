from __future__ import annotations

from datetime import timedelta

from shipcaptaincrew.services import demo, queries
from shipcaptaincrew.services.context import Context


def test_the_demo_season_has_paid_partly_paid_and_unpaid_events_and_one_legacy_slug(ctx: Context) -> None:
    loaded = demo.load_demo_season(ctx)

    today = ctx.clock.now().date()
    events = queries.list_events(ctx, today - timedelta(days=30), today + timedelta(days=60), limit=500).events
    paid = [event for event in events if event.payment_cleared]
    partly = [event for event in events if not event.payment_cleared and event.payment.paid_cents]
    unpaid = [event for event in events if not event.payment.paid_cents]
    assert 50 <= loaded == len(events) <= 80
    assert paid and partly and unpaid
    assert [item.slug for item in queries.list_legacy_slugs(ctx)] == [(today + timedelta(days=3)).isoformat()]


def test_the_demo_never_loads_into_a_store_that_has_events(ctx: Context) -> None:
    demo.load_demo_season(ctx)

    assert demo.load_demo_season(ctx) == 0
