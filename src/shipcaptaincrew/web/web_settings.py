"""What the web layer takes from the settings: where guests meet (shown on their pages and the day sheets), and which
proxies' forwarding headers to believe for a client's address. (The operator's name is `Context.operator`.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from shipcaptaincrew.domain.addresses import TrustedProxies


@dataclass(frozen=True)
class WebSettings:
    meeting_point: str = "The dock — your captain will confirm the berth"
    proxies: TrustedProxies = field(default_factory=TrustedProxies)
