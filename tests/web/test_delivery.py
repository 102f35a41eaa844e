from __future__ import annotations

from dataclasses import replace

import pytest

from shipcaptaincrew.services.context import Context
from shipcaptaincrew.web.delivery import Deliverer


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
