"""Running a use case again when its transaction lost a race: the one place honest concurrent writers are retried.

On DynamoDB a write is optimistic: it is conditional on what the use case read (an event's `rev`, the waiver
chain's head, an idempotency key not stored yet). When another request changed that first, the store raises
`Contention` and wrote nothing; the use case is then run again from the start, so it reads afresh (a new head, a
new position, a new seal; the stored answer for its idempotency key) and decides again. Real conflicts (a stale
`version` the client sent, a taken slug, an assignment clash, a form already used, a payment reversed twice) are
other errors and pass straight through: running again would only meet them again.

On SQLite the write lock serialises writers, so `Contention` does not arise and a use case runs once.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from shipcaptaincrew.domain.errors import Contention

if TYPE_CHECKING:
    from shipcaptaincrew.services.context import Context

P = ParamSpec("P")
T = TypeVar("T")

_running = ContextVar("_running", default=False)
"""True inside a retried use case: one that calls another is retried as a whole, never attempts times attempts."""


@dataclass(frozen=True)
class Retries:
    """How often and after what pause a use case that lost a race runs again.

    The pause before attempt n+1 is drawn uniformly from 0 to min(longest, first * 2**n) ("full jitter"): writers
    that collided spread out instead of colliding again in step. Ten attempts wait at most 3.3 s in all.
    """

    attempts: int = 10
    first_pause: float = 0.01
    longest_pause: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    draw: Callable[[], float] = random.random

    def pause(self, attempt: int) -> float:
        """Seconds to wait after attempt number `attempt` (0 for the first) lost."""
        return self.draw() * min(self.longest_pause, self.first_pause * (1 << attempt))


def retried(use_case: Callable[Concatenate[Context, P], T]) -> Callable[Concatenate[Context, P], T]:
    """Run the use case again, whole, while it raises Contention, up to `ctx.retries.attempts` times in all.

    The last attempt's Contention reaches the caller (503 with Retry-After). Only for use cases whose every
    effect is inside their transaction: running one again must not repeat anything (mail is sent after commit).
    """

    @functools.wraps(use_case)
    def run(ctx: Context, /, *args: P.args, **kwargs: P.kwargs) -> T:
        if _running.get():
            return use_case(ctx, *args, **kwargs)
        token = _running.set(True)
        try:
            return _attempts(ctx.retries, lambda: use_case(ctx, *args, **kwargs))
        finally:
            _running.reset(token)

    return run


def _attempts(retries: Retries, attempt: Callable[[], T]) -> T:
    for number in range(retries.attempts - 1):
        try:
            return attempt()
        except Contention:
            retries.sleep(retries.pause(number))
    return attempt()
