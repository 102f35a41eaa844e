"""Test doubles: a clock the test moves by hand, mailers that fail on purpose, a store that loses every race."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from shipcaptaincrew.domain.errors import Contention
from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.ports import DeliveryFailed
from shipcaptaincrew.services.context import Context
from shipcaptaincrew.services.retries import Retries


@dataclass
class FakeClock:
    current: datetime = field(default_factory=lambda: datetime(2026, 5, 1, 9, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class FakeMailer:
    """Records what it sends; fails the first `failures` attempts (or every one, with failures=-1)."""

    failures: int = 0
    error: Exception = field(default_factory=lambda: DeliveryFailed("421 try again later"))
    sent: list[tuple[Email, str]] = field(default_factory=list)
    attempts: int = 0

    def send(self, email: Email, message_id: str) -> None:
        self.attempts += 1
        if self.failures < 0 or self.attempts <= self.failures:
            raise self.error
        self.sent.append((email, message_id))


class FakeStoreLosingRaces:
    """The store, but every write transaction loses its race to another request (as a crowd can make it on
    DynamoDB): the change runs again, and again, and is never saved."""

    def __init__(self, store: object) -> None:
        self._store = store
        self.attempts = 0

    def writing(self) -> None:
        self.attempts += 1
        raise Contention("the data was changed by another request at the same time; try again")

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


def losing_races(ctx: Context) -> Context:
    """The context on that store, running a change four times (without pausing) before it gives up."""
    return replace(ctx, store=FakeStoreLosingRaces(ctx.store), retries=Retries(attempts=4, sleep=lambda seconds: None))
