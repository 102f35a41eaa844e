"""ShipCaptainCrew: booking and dispatch for small charter operators."""

__version__ = "0.1.0"
