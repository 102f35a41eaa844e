"""Which address a request came from: forwarding headers are believed only from proxies we were told to trust.

Every proxy appends the address it saw to X-Forwarded-For, and anything to the left of what our own proxies
wrote is the client's own word. So the client is the right-most address that none of our proxies is: with a
set of networks, the right-most entry outside them (and only when the peer itself is one of them); with a
count N, the entry N from the right.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_FOR = "x-forwarded-for"
_BRACKETED = re.compile(r"\[(?P<address>[0-9A-Fa-f:.]+)\](:\d+)?")


def plain_address(text: str) -> str | None:
    """The IP address in a header entry (`203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`, `[2001:db8::1]:4711`),
    in its canonical form; None if it holds none."""
    text = text.strip()
    bracketed = _BRACKETED.fullmatch(text)
    candidates = [bracketed.group("address")] if bracketed else [text, text.rpartition(":")[0]]
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def viewer_address(value: str) -> str | None:
    """The address in CloudFront-Viewer-Address: `198.51.100.10:46532`, or IPv6 unbracketed with the port last
    (`2001:db8::8a2e:370:7334:46532`); None if it is not that."""
    address, _, port = value.strip().rpartition(":")
    if not port.isdigit():
        return None
    return plain_address(address) if address.startswith("[") else _ip(address)


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


@dataclass(frozen=True)
class TrustedProxies:
    """Our proxies (SCC_TRUSTED_PROXIES): how many sit in front (`hops`), or their networks. Neither: none, and the
    peer is the client."""

    hops: int = 0
    networks: tuple[Network, ...] = ()
    header: str = FORWARDED_FOR
    """The header they write the client's address to (SCC_CLIENT_IP_HEADER), lower-cased."""

    @classmethod
    def parse(cls, spec: str, header: str = FORWARDED_FOR) -> TrustedProxies:
        """`2` (two proxies in front) or `10.0.0.0/8, 2001:db8::1` (their networks); raise ValueError saying why."""
        spec = spec.strip()
        if spec.isdigit():
            if not 1 <= int(spec) <= 10:
                raise ValueError(f"a count of proxies must be between 1 and 10; got {spec}")
            return cls(hops=int(spec), header=header.lower())
        try:
            networks = tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(","))
        except ValueError as error:
            expected = "expected a count of proxies, or addresses and networks like 10.0.0.0/8"
            raise ValueError(f"{expected}; {error}") from None
        return cls(networks=networks, header=header.lower())

    @property
    def configured(self) -> bool:
        return bool(self.hops or self.networks)

    def client(self, peer: str, forwarded: str | None) -> str:
        """The client's address, from the connection's peer and the forwarding header's value (None: absent)."""
        if not self.configured or not forwarded:
            return peer
        entries = [entry for entry in forwarded.split(",") if entry.strip()]
        if self.hops:
            return (plain_address(entries[-min(self.hops, len(entries))]) or peer) if entries else peer
        if not self._trusted(peer):
            return peer
        closest = peer
        for entry in reversed(entries):
            address = plain_address(entry)
            if address is None:  # our proxies write addresses: this was written by someone else
                return closest
            if not self._trusted(address):
                return address
            closest = address
        return closest

    def _trusted(self, address: str) -> bool:
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return False
        if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
            parsed = parsed.ipv4_mapped
        return any(parsed in network for network in self.networks)
