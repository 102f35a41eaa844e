"""What the board's poll hears besides the list: the mail waiting on credentials and whether guests can sign.

Both ride as headers on the events list's answers to a poll (a request with If-None-Match: its 304, or its 200
when the list changed), so an open board needs no `/healthz` call of its own: on Lambda that call was an
invocation and a CloudFront request every minute (bench/cost.py). The two reads behind them are made at most once
a minute per process, like the board's old check; `/healthz` refreshes them whenever it is asked. A first load of
the list (no If-None-Match) reads none, so the mail and waiver code stays off a cold start's first look at the
board; the board asks `/healthz` as it opens.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from threading import Lock

from shipcaptaincrew.services.context import Context

MAIL_WAITING = "SCC-Mail-Waiting"
MAIL_TRANSPORT = "SCC-Mail-Transport"
WAIVER_READY = "SCC-Waiver-Ready"
FRESH_FOR = timedelta(seconds=60)

Headers = list[tuple[bytes, bytes]]


class Health:
    """The mail waiting on the transport's credentials, and whether guests can sign (a waiver text is set).

    A plain class: a dataclass's or a NamedTuple's generated methods would be built on every cold start."""

    __slots__ = ("mail_waiting", "waiver_ready")

    def __init__(self, mail_waiting: int, waiver_ready: bool) -> None:
        self.mail_waiting = mail_waiting
        self.waiver_ready = waiver_ready


class BoardHealth:
    """The last health read, kept for FRESH_FOR; `headers` reads it again once it is older."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._lock = Lock()
        self._heard: tuple[datetime, Health] | None = None

    def heard(self, health: Health) -> None:
        """Keep a health read just made elsewhere (`/healthz`), so the polls say the same."""
        with self._lock:
            self._heard = (self._ctx.clock.now(), health)

    def headers(self) -> Headers:
        """The health as raw response headers; none if it cannot be read now (the board keeps what it showed)."""
        try:
            health = self._fresh()
        except Exception:  # a poll's answer never fails for its health: the next poll reads it again
            return []
        return [
            (MAIL_WAITING.lower().encode(), str(health.mail_waiting).encode()),
            (MAIL_TRANSPORT.lower().encode(), self._ctx.mail_transport.encode()),
            (WAIVER_READY.lower().encode(), b"true" if health.waiver_ready else b"false"),
        ]

    def as_dict(self) -> dict[str, str]:
        return {name.decode(): value.decode() for name, value in self.headers()}

    def _fresh(self) -> Health:
        now = self._ctx.clock.now()
        with self._lock:
            heard = self._heard
        if heard is not None and now - heard[0] < FRESH_FOR:
            return heard[1]
        health = read_health(self._ctx)
        self.heard(health)
        return health


def read_health(ctx: Context) -> Health:
    """One indexed count of the waiting mail and one read of the newest waiver version."""
    from shipcaptaincrew.services import outbox, waivers

    return Health(outbox.waiting_count(ctx), waivers.current_waiver(ctx) is not None)
