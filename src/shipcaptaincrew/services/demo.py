"""A realistic demo season, so a first look at the board is never empty."""

from __future__ import annotations

import random
from datetime import date, timedelta

from shipcaptaincrew.domain.bookings import EventDetails, Patron
from shipcaptaincrew.domain.errors import SlugTaken
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.domain.slugs import slug_name
from shipcaptaincrew.services import booking, payments, waivers
from shipcaptaincrew.services.context import Context

DEMO_ACTOR = "demo"
FIRST = ["Sarah", "José", "Mary Kate", "Liam", "Noor", "Zoë", "Ahmed", "Priya", "Tom", "Ingrid", "Chen", "Olivia",
         "Mateo", "Aisling", "Kwame", "Hana", "Björn", "Lucía", "Dev", "Grace"]  # fmt: skip
LAST = ["Lopez", "O'Brien", "Nakamura", "Okafor", "Schmidt", "Haddad", "Rossi", "Kowalski", "Nguyen", "Patel"]
TITLES = ["Birthday cruise", "Company outing", "Sunset proposal", "Fishing trip", "Family reunion", "Bachelorette", ""]
PRICES = {"am": 90000, "pm": 90000, "sunset": 65000, "full": 180000}


def load_demo_season(ctx: Context, seed: int = 2026) -> int:
    """Book about 60 events over two months around today, some paid, some with a deposit, some unpaid,
    plus one legacy slug; return how many were loaded.

    Does nothing (returns 0) when the store already holds events, so it never mixes into real data.
    """
    with ctx.store.reading() as uow:
        if uow.events.count():
            return 0
    rng, today = random.Random(seed), ctx.clock.now().date()
    loaded = sum(_book(ctx, rng, today + timedelta(days=offset)) for offset in range(-14, 46))
    legacy = EventDetails(today + timedelta(days=3), "pm", Patron("Legacy", "Booking"), 6, "Booked in the old system")
    booking.import_legacy_event(ctx, legacy, (today + timedelta(days=3)).isoformat(), DEMO_ACTOR)
    return loaded + 1


SAMPLE_WAIVER = """SAMPLE WAIVER: A DEMONSTRATION TEXT, NOT FOR REAL GUESTS

This sample shows how a waiver reads to your guests. It is not legal advice and does not protect anyone. Whether a
release of liability holds on a vessel depends on the trip and on the law where you sail, so write your own with
someone who knows that law before you take guests.

I am taking part in a boat charter of my own will. I understand that boating has risks, including slips and falls,
sudden movements of the vessel, weather, cold water and drowning. I will follow the captain's and the crew's
instructions and wear a life jacket when asked.
"""


def load_sample_waiver(ctx: Context) -> bool:
    """Set the sample waiver (marked as a sample) when no text is set yet; return whether it was set."""
    if waivers.current_waiver(ctx) is not None:
        return False
    waivers.set_waiver_text(ctx, SAMPLE_WAIVER, DEMO_ACTOR)
    return True


def _book(ctx: Context, rng: random.Random, day: date) -> int:
    busy = day.weekday() >= 4
    periods = rng.sample(["am", "pm", "sunset", "full"], k=rng.choice([1, 2] if busy else [0, 1, 1]))
    if "full" in periods and len(periods) > 1:
        periods.remove("full")
    booked = 0
    for period in periods:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{slug_name(first)}.{slug_name(last)}@example.org"
        patron = Patron(first, last, email, f"+1 555 01{rng.randrange(10, 99)}")
        details = EventDetails(day, period, patron, rng.randint(2, 12), rng.choice(TITLES), "", PRICES[period])
        try:
            event = booking.create_event(ctx, details, DEMO_ACTOR, notify=False)  # a demo season emails nobody
        except SlugTaken:
            continue
        _pay(ctx, rng, event.slug, f"{first} {last}", PRICES[period], settled=day < ctx.clock.now().date())
        booked += 1
    return booked


def _pay(ctx: Context, rng: random.Random, slug: str, payer: str, price: int, settled: bool) -> None:
    """Past charters are paid; upcoming ones are a mix of paid, deposit only and unpaid."""
    share = 1.0 if settled else rng.choice([1.0, 1.0, 0.3, 0.3, 0.0, 0.0, 0.0])
    if not share:
        return
    deposit = int(price * min(share, 0.3))
    method = rng.choice(["venmo", "zelle", "check", "card"])
    payments.log_payment(ctx, slug, PaymentDraft(deposit, method, payer, "deposit"), DEMO_ACTOR)
    if share == 1.0:
        payments.log_payment(ctx, slug, PaymentDraft(price - deposit, rng.choice(["cash", "card"]), payer), DEMO_ACTOR)
