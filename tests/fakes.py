"""Test doubles: a clock the test moves by hand, mailers that fail on purpose."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from shipcaptaincrew.domain.mail import Email
from shipcaptaincrew.ports import DeliveryFailed


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
