"""The one place a use case that lost a race runs again: how often, after what pause, and what never runs again."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from shipcaptaincrew.domain.errors import Contention, StaleVersion
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.retries import Retries, retried


@dataclass
class Pauses:
    taken: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.taken.append(seconds)


def context_with(retries: Retries) -> Context:
    return Context(store=None, clock=None, hasher=None, keys=None, mailer=None, retries=retries)  # type: ignore[arg-type]


def losing(times: int, then: Callable[[], str] = lambda: "saved") -> Callable[[Context], str]:
    """A use case whose first `times` transactions lose their race."""
    calls = {"made": 0}

    def use_case(ctx: Context) -> str:
        calls["made"] += 1
        if calls["made"] <= times:
            raise Contention("the data was changed by another request at the same time")
        return then()

    use_case.calls = calls  # type: ignore[attr-defined]
    return use_case


def test_a_use_case_that_lost_a_race_runs_again_until_it_wins() -> None:
    pauses = Pauses()
    use_case = losing(3)

    assert retried(use_case)(context_with(Retries(sleep=pauses.sleep, draw=lambda: 1.0))) == "saved"
    assert use_case.calls["made"] == 4  # type: ignore[attr-defined]
    assert pauses.taken == [0.01, 0.02, 0.04], "a growing pause after each lost race"


def test_when_every_attempt_loses_the_contention_reaches_the_caller() -> None:
    pauses = Pauses()
    use_case = losing(100)

    with pytest.raises(Contention) as lost:
        retried(use_case)(context_with(Retries(attempts=10, sleep=pauses.sleep)))

    assert use_case.calls["made"] == 10 and len(pauses.taken) == 9  # type: ignore[attr-defined]
    assert lost.value.retry_after == 1, "answered 503 with Retry-After"


def test_a_real_conflict_is_never_run_again() -> None:
    pauses = Pauses()

    def stale() -> str:
        raise StaleVersion("event was changed by someone else; reload it", "version")

    use_case = losing(1, then=stale)
    with pytest.raises(StaleVersion):
        retried(use_case)(context_with(Retries(sleep=pauses.sleep)))

    assert use_case.calls["made"] == 2 and len(pauses.taken) == 1  # type: ignore[attr-defined]


def test_pauses_are_drawn_at_random_up_to_a_ceiling_that_doubles_to_the_longest() -> None:
    retries = Retries(first_pause=0.01, longest_pause=0.5, draw=lambda: 0.5)

    assert [retries.pause(n) for n in range(8)] == [0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.25, 0.25]
    assert sum(Retries(draw=lambda: 1.0).pause(n) for n in range(9)) < 3.3, "ten attempts wait 3.3 s at most"


def test_a_use_case_run_by_another_is_attempted_as_part_of_the_whole_not_on_its_own() -> None:
    pauses = Pauses()
    inner = retried(losing(100))

    def outer(ctx: Context) -> str:
        return inner(ctx)

    with pytest.raises(Contention):
        retried(outer)(context_with(Retries(attempts=3, sleep=pauses.sleep)))

    assert inner.__wrapped__.calls["made"] == 3, "three attempts in all, not three times three"  # type: ignore[attr-defined]


NOT_RUN_AGAIN = {
    "admin.start_sign_in": "claims a sign-in slot with a conditional write made at once: running again counts twice",
    "admin.finish_sign_in": "checks a password between its writes: a sign-in is never slowed by a retry",
    "admin.abandon_sign_in": "undoes a claim, once",
    "outbox.deliver_due": "sends mail between its transactions; a message not recorded is tried again later",
}


def test_every_use_case_that_writes_runs_again_after_a_lost_race_unless_it_acts_outside_its_transaction() -> None:
    import pkgutil

    import shipcaptaincrew.services as services

    bare = []
    for found in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"shipcaptaincrew.services.{found.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            writes = "store.writing()" in inspect.getsource(inspect.unwrap(function))
            if writes and not hasattr(function, "__wrapped__") and f"{found.name}.{name}" not in NOT_RUN_AGAIN:
                bare.append(f"{found.name}.{name}")

    assert bare == [], "use cases that write without @retried: a lost race on DynamoDB would reach the client"
