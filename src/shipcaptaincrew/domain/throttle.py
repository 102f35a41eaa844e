"""Login throttling: failures counted per client and overall in a sliding window.

A success clears the client's count; every block ends when its window passes, so the real admin
is slowed down during an attack but never locked out for good.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SignInLimits:
    """Failed sign-ins allowed per client and overall in a sliding window, counted from the store, so every
    process and every Lambda container applies one count."""

    per_client: int = 5
    overall: int = 50
    window: timedelta = timedelta(minutes=15)

    def retry_after(self, mine: Sequence[datetime], everyone: Sequence[datetime], now: datetime) -> int:
        """Seconds to wait before trying again, from the failures inside the window, newest first; 0: try now."""
        return max(self._wait(mine, self.per_client, now), self._wait(everyone, self.overall, now))

    def _wait(self, newest_first: Sequence[datetime], limit: int, now: datetime) -> int:
        if len(newest_first) < limit:
            return 0
        return _whole_seconds((newest_first[limit - 1] + self.window - now).total_seconds())


def _whole_seconds(seconds: float) -> int:
    # rounded first: float sums near a power of two must not add a whole second to the wait
    return max(1, math.ceil(round(seconds, 6)))


@dataclass
class LoginThrottle:
    per_client: int = 5
    overall: int = 50
    window_seconds: float = 900.0
    max_clients: int = 10_000
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _all: deque[float] = field(default_factory=deque)

    def retry_after(self, client: str, now: float) -> int:
        """Seconds the client must wait before trying again; 0 when it may try now."""
        waits = [self._wait(self._all, self.overall, now)]
        if client in self._failures:
            waits.append(self._wait(self._failures[client], self.per_client, now))
        return max(waits)

    def failed(self, client: str, now: float) -> None:
        if client not in self._failures and len(self._failures) >= self.max_clients:
            self._forget_oldest()
        self._failures.setdefault(client, deque()).append(now)
        self._all.append(now)

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)

    def _wait(self, times: deque[float], limit: int, now: float) -> int:
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        if len(times) < limit:
            return 0
        return _whole_seconds(times[-limit] + self.window_seconds - now)

    def _forget_oldest(self) -> None:
        oldest = min(self._failures, key=lambda key: self._failures[key][-1] if self._failures[key] else 0.0)
        del self._failures[oldest]


@dataclass
class RateLimit:
    """At most `limit` requests per client in a sliding window, and no limit on everyone together (which would let
    a flood from many addresses shut out the rest). `hit` counts one and says how long to wait; the least recently
    seen client is forgotten beyond `max_clients`, so memory stays bounded whatever the flood."""

    limit: int = 20
    window_seconds: float = 600.0
    max_clients: int = 10_000
    _seen: dict[str, deque[float]] = field(default_factory=dict)

    def hit(self, client: str, now: float) -> int:
        wait = self.blocked(client, now)
        if not wait:
            if client not in self._seen and len(self._seen) >= self.max_clients:
                del self._seen[next(iter(self._seen))]
            times = self._seen.pop(client, deque())
            times.append(now)
            self._seen[client] = times  # re-inserted: the dict's order is the order clients were last seen
        return wait

    def blocked(self, client: str, now: float) -> int:
        """Seconds the client must wait; 0 when it may go on. Counts nothing."""
        times = self._seen.get(client)
        if times is None:
            return 0
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        if len(times) < self.limit:
            return 0
        return _whole_seconds(times[-self.limit] + self.window_seconds - now)
