from __future__ import annotations

import time
from dataclasses import replace

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from shipcaptaincrew.domain.bookings import Patron
from shipcaptaincrew.domain.ledger import PaymentDraft
from shipcaptaincrew.services import booking, outbox, payments
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.delivery import Deliverer, periodic_delivery
from tests.builders import event_details
from tests.fakes import FakeClock, FakeMailer


class BrokenStore:
    def reading(self) -> None:
        raise RuntimeError("the store broke after the response was sent")

    writing = reading


def test_a_failing_delivery_after_the_response_is_logged_and_never_raised(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    Deliverer(replace(ctx, store=BrokenStore())).run()  # type: ignore[arg-type]

    assert "outbox delivery failed" in caplog.text


def test_a_delivery_requested_while_one_runs_makes_it_go_round_again(ctx: Context) -> None:
    rounds = []
    deliverer = Deliverer(ctx)

    class CountingStore:
        def reading(self):  # type: ignore[no-untyped-def]
            rounds.append(1)
            if len(rounds) == 1:
                deliverer.run()  # a second response arrives during the first pass: it must not run in parallel
            return ctx.store.reading()

        def writing(self):  # type: ignore[no-untyped-def]
            return ctx.store.writing()

    deliverer._ctx = replace(ctx, store=CountingStore())  # type: ignore[arg-type]
    deliverer.run()

    assert len(rounds) == 2


def test_a_running_server_comes_back_for_messages_whose_retry_is_due(ctx: Context, clock: FakeClock) -> None:
    booking.create_event(ctx, replace(event_details(), patron=Patron("Sarah", "", "sarah@example.org")), "test")
    ctx.mailer = FakeMailer(failures=1)
    payments.log_payment(ctx, "2026-05-23-sarah-pm", PaymentDraft(100, "cash", "Sarah"), "test")
    outbox.deliver_due(ctx)  # the first attempt fails: a retry is due in 10 s
    clock.advance(seconds=11)
    app = Starlette(lifespan=periodic_delivery(Deliverer(ctx), every_seconds=0.05))

    with TestClient(app):
        deadline = time.monotonic() + 5
        while outbox.recent(ctx)[0].status != "sent" and time.monotonic() < deadline:
            time.sleep(0.05)

    assert outbox.recent(ctx)[0].status == "sent"
