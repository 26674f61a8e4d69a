"""Which network connection a scan uses, and what counts as the local network."""

from __future__ import annotations

import pytest

from checks.network import interfaces as ifs
from tests.netfixtures import interface


def test_the_default_route_wins_and_vpn_or_container_interfaces_are_never_chosen_by_default() -> None:
    choices = [
        interface("tun0", "10.8.0.2/24", kind="vpn", default_route=True),
        interface("docker0", "172.17.0.1/16", kind="container"),
        interface("wlan0", "192.168.1.10/24", kind="wireless"),
        interface("lo", "127.0.0.1/8", kind="loopback"),
    ]
    assert ifs.choose(None, choices).name == "wlan0"
    choices.append(interface("eth0", "192.168.2.10/24", default_route=True))
    assert ifs.choose(None, choices).name == "eth0"
    assert ifs.choose("tun0", choices).name == "tun0", "chosen by name, any interface will do"


def test_without_a_network_the_user_is_told_plainly() -> None:
    with pytest.raises(ifs.NoNetwork, match="not connected to a network"):
        ifs.choose(None, [interface("lo", "127.0.0.1/8", kind="loopback")])
    with pytest.raises(ifs.NoNetwork, match="switched off or disconnected"):
        ifs.choose("wlan0", [interface("wlan0", "192.168.1.10/24", up=False)])
    with pytest.raises(ifs.NoNetwork, match="has no network address yet"):
        ifs.choose("wlan0", [interface("wlan0", "192.168.1.10/24", ipv4=())])
    two = [interface("wlan0", "192.168.1.10/24"), interface("eth0", "192.168.2.10/24")]
    with pytest.raises(ifs.NoNetwork, match="several network connections"):
        ifs.choose(None, two)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("lo", "loopback"), ("wg0", "vpn"), ("utun3", "vpn"), ("tailscale0", "vpn"), ("docker0", "container"),
     ("br-1a2b", "container"), ("veth12", "container"), ("virbr0", "container"), ("wlp3s0", "wireless"),
     ("wlan0", "wireless"), ("Wi-Fi", "wireless"), ("enp0s31f6", "wired"), ("eth0", "wired"),
     ("en0", "wired")],
)  # fmt: skip
def test_interface_kinds(name: str, kind: str) -> None:
    assert ifs.kind_of(name) == kind


def test_what_counts_as_the_local_network() -> None:
    wlan = interface("wlan0", "192.168.1.10/24")
    for local in ("192.168.1.40", "10.0.0.5", "172.16.3.3", "fe80::1%3", "169.254.10.10"):
        assert wlan.on_local_network(local), local
    for far in ("8.8.8.8", "127.0.0.1", "239.255.255.250", "0.0.0.0", "not an address", "2001:4860::8888"):
        assert not wlan.on_local_network(far), far


def test_this_computer_lists_its_interfaces() -> None:
    found = ifs.list_interfaces()
    assert any(i.kind == "loopback" for i in found)
    assert all(i.name for i in found)
