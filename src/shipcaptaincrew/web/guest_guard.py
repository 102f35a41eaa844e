"""What stands between the internet and the guest pages: per-client limits and the same-origin check on POSTs.

The limits stop floods and guessing, not parties: twenty guests on one marina wifi share one address, and each
opens a few pages and signs once or twice. A client that keeps asking for links that lead nowhere (a guesser)
is stopped after a handful. Counts are kept in the process (on Lambda, per container): cheap, and enough to
slow a flood; a wrong link is never found by guessing in any case (144-bit secrets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.requests import Request

from shipcaptaincrew.domain.throttle import RateLimit
from shipcaptaincrew.web.http import client_address, context

WINDOW_SECONDS = 600.0


@dataclass
class GuestLimits:
    pages: RateLimit = field(default_factory=lambda: RateLimit(limit=600, window_seconds=WINDOW_SECONDS))
    misses: RateLimit = field(default_factory=lambda: RateLimit(limit=30, window_seconds=WINDOW_SECONDS))
    signatures: RateLimit = field(default_factory=lambda: RateLimit(limit=60, window_seconds=WINDOW_SECONDS))


def limits(request: Request) -> GuestLimits:
    """The app's limits, made on the first guest request it sees."""
    state = request.app.state
    if not hasattr(state, "guest_limits"):
        state.guest_limits = GuestLimits()
    found: GuestLimits = state.guest_limits
    return found


def wait_for(request: Request, limit: RateLimit, count: bool = True) -> int:
    """Seconds the client must wait under `limit` (0: go on); counts this request unless `count` is False."""
    key, now = client_address(request), context(request).clock.now().timestamp()
    blocked = limits(request).misses.blocked(key, now)
    if blocked:
        return blocked
    return limit.hit(key, now) if count else limit.blocked(key, now)


def missed(request: Request) -> None:
    """Count an answer that a link leads nowhere against the client."""
    limits(request).misses.hit(client_address(request), context(request).clock.now().timestamp())


def is_cross_site(request: Request) -> bool:
    """Whether a POST was sent from another site's page. Browsers say so in Sec-Fetch-Site, older ones in Origin
    only; a request with neither is not from a browser page, and the form's token protects it."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False
    public = urlsplit(context(request).public_url)
    sent = urlsplit(origin)
    host = request.headers.get("host", "")
    return origin == "null" or (sent.netloc != host and (sent.scheme, sent.netloc) != (public.scheme, public.netloc))
