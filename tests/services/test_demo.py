from __future__ import annotations

from datetime import timedelta

from shipcaptaincrew.services import demo, queries, waivers
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


def test_the_demo_loads_a_waiver_marked_as_a_sample_and_never_replaces_the_operators(ctx: Context) -> None:
    assert waivers.current_waiver(ctx) is None, "a store starts with no waiver: none is made up"

    assert demo.load_sample_waiver(ctx) is True
    sample = waivers.current_waiver(ctx)
    waivers.set_waiver_text(ctx, "The operator's own text.", "test")

    assert sample is not None and sample.text.startswith("SAMPLE WAIVER: A DEMONSTRATION TEXT, NOT FOR REAL GUESTS")
    assert "scc " not in sample.text
    assert demo.load_sample_waiver(ctx) is False
    current = waivers.current_waiver(ctx)
    assert current is not None and current.text == "The operator's own text."
