"""Which address a request came from, and which proxies' forwarding headers are believed."""

from __future__ import annotations

import pytest

from shipcaptaincrew.config import Settings, SettingsError
from shipcaptaincrew.domain.addresses import TrustedProxies, plain_address, viewer_address

LOOPBACK = TrustedProxies.parse("127.0.0.1/32")


def test_with_no_proxy_configured_the_peer_is_the_client_whatever_the_header_says() -> None:
    assert TrustedProxies().client("198.51.100.4", "203.0.113.9") == "198.51.100.4"


def test_behind_trusted_networks_the_client_is_the_right_most_address_outside_them() -> None:
    proxies = TrustedProxies.parse("127.0.0.1/32, 10.0.0.0/8")

    assert proxies.client("127.0.0.1", "6.6.6.6, 203.0.113.7") == "203.0.113.7"
    assert proxies.client("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.1.2.3") == "203.0.113.7"
    assert proxies.client("10.0.0.5", "203.0.113.7,10.1.2.3 , 127.0.0.1") == "203.0.113.7"


def test_a_forwarding_header_from_a_peer_outside_the_trusted_networks_is_ignored() -> None:
    assert LOOPBACK.client("198.51.100.4", "203.0.113.9") == "198.51.100.4"


def test_when_every_hop_is_trusted_the_left_most_is_the_client() -> None:
    assert LOOPBACK.client("127.0.0.1", "127.0.0.1") == "127.0.0.1"
    assert LOOPBACK.client("127.0.0.1", None) == "127.0.0.1"


def test_an_entry_that_is_no_address_ends_the_walk_at_the_closest_trusted_hop() -> None:
    assert LOOPBACK.client("127.0.0.1", "203.0.113.7, <script>") == "127.0.0.1"


def test_with_a_count_the_client_is_that_many_entries_from_the_right() -> None:
    one, two = TrustedProxies.parse("1"), TrustedProxies.parse("2")

    assert one.client("10.0.0.1", "6.6.6.6, 203.0.113.7") == "203.0.113.7"
    assert two.client("10.0.0.1", "6.6.6.6, 203.0.113.7, 130.176.1.1") == "203.0.113.7"
    assert two.client("10.0.0.1", "203.0.113.7") == "203.0.113.7"


def test_entries_with_ports_and_brackets_are_read_as_their_address() -> None:
    assert plain_address(" 203.0.113.7:4711 ") == "203.0.113.7"
    assert plain_address("[2001:db8::1]:4711") == "2001:db8::1"
    assert plain_address("2001:DB8::1") == "2001:db8::1"
    assert plain_address("unknown") is None


def test_cloudfronts_viewer_address_is_the_address_before_the_port_ipv4_or_ipv6() -> None:
    assert viewer_address("198.51.100.10:46532") == "198.51.100.10"
    assert viewer_address("2001:db8::8a2e:370:7334:46532") == "2001:db8::8a2e:370:7334"
    assert viewer_address("[2001:db8::1]:443") == "2001:db8::1"
    assert viewer_address("198.51.100.10") is None
    assert viewer_address("evil:443") is None


def test_the_client_header_alone_is_refused_with_what_to_set() -> None:
    with pytest.raises(SettingsError, match="set SCC_TRUSTED_PROXIES"):
        Settings.from_env({"SCC_CLIENT_IP_HEADER": "X-Forwarded-For"})


def test_trusted_proxies_are_read_as_a_count_or_networks_and_a_bad_value_names_the_setting() -> None:
    named = Settings.from_env({"SCC_TRUSTED_PROXIES": "1", "SCC_CLIENT_IP_HEADER": "X-Real-IP"}).trusted_proxies

    assert (named.hops, named.header) == (1, "x-real-ip")
    assert len(Settings.from_env({"SCC_TRUSTED_PROXIES": "10.0.0.0/8,::1"}).trusted_proxies.networks) == 2
    assert not Settings.from_env({}).trusted_proxies.configured
    for bad in ("0", "lots", "10.0.0.0/33"):
        with pytest.raises(SettingsError, match="SCC_TRUSTED_PROXIES"):
            Settings.from_env({"SCC_TRUSTED_PROXIES": bad})
