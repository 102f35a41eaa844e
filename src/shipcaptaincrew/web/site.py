"""Where guests meet, and which proxies' forwarding headers to believe. (The operator's name is `Context.operator`.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from shipcaptaincrew.domain.addresses import TrustedProxies


@dataclass(frozen=True)
class Site:
    meeting_point: str = "The dock — your captain will confirm the berth"
    proxies: TrustedProxies = field(default_factory=TrustedProxies)
