"""What the guest pages say about the operator, and how to find the client's address."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    operator: str = "ShipCaptainCrew charters"
    meeting_point: str = "The dock — your captain will confirm the berth"
    client_ip_header: str | None = None
