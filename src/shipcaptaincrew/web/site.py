"""What the guest pages say about the operator, and which proxies' forwarding headers to believe."""

from __future__ import annotations

from dataclasses import dataclass, field

from shipcaptaincrew.domain.addresses import TrustedProxies


@dataclass(frozen=True)
class Site:
    operator: str = "ShipCaptainCrew charters"
    meeting_point: str = "The dock — your captain will confirm the berth"
    proxies: TrustedProxies = field(default_factory=TrustedProxies)
