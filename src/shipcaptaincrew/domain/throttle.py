"""Sign-in throttling and request rate limits, and the key a client is counted under.

A client is refused (429) once it has `per_client` failures in the window; everyone's failures together only
slow wrong guesses down, so an attacker with many addresses can never lock the admin out. Every block ends
when its window passes.
"""

from __future__ import annotations

import ipaddress
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

IPV6_CLIENT_PREFIX = 64
"""An IPv6 client is counted by its /64: one home or phone is usually given a whole /64 to pick addresses from."""


def limit_key(address: str) -> str:
    """What a client's requests are counted under: the IPv4 address, or the IPv6 address's /64.

    The recorded address stays the full one; this is only the key of the count. Anything that is not an IP
    address (a test client's name) is its own key.
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False))
    return str(parsed)


@dataclass(frozen=True)
class SignInLimits:
    """Failed sign-ins allowed per client, and overall before wrong guesses are slowed, in a sliding window.

    Counted in the store, so every process and every Lambda container applies one count.
    """

    per_client: int = 5
    overall: int = 50
    window: timedelta = timedelta(minutes=15)
    slow_down: timedelta = timedelta(seconds=3)
    """How long a wrong guess waits for its answer while everyone's failures are over `overall`."""

    def client_wait(self, mine: Sequence[datetime], now: datetime) -> int:
        """Seconds before the client may try again, from its failures inside the window, newest first; 0: now."""
        if len(mine) < self.per_client:
            return 0
        return _whole_seconds((mine[self.per_client - 1] + self.window - now).total_seconds())

    def delay(self, everyone: Sequence[datetime]) -> float:
        """Seconds to hold back the answer to a wrong guess, given everyone's failures inside the window.

        A delay, never a refusal: the right password is answered at once whatever the overall count.
        """
        return self.slow_down.total_seconds() if len(everyone) >= self.overall else 0.0


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
        """Count a request by the client at `now` (under its limit key); the seconds to wait, 0 if it may go on."""
        client = limit_key(client)
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
        times = self._seen.get(limit_key(client))
        if times is None:
            return 0
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        if len(times) < self.limit:
            return 0
        return _whole_seconds(times[-self.limit] + self.window_seconds - now)
