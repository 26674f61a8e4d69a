"""The network interfaces of this computer, and which one a room scan should use.

By default the scan uses the interface of the default route (the Wi-Fi or cable the computer reaches the
network through). Loopback, VPN and container interfaces are never chosen by default: devices in the room are
not behind them.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from checks.errors import SafeSpaceError

IPv4 = ipaddress.IPv4Interface
IPv6 = ipaddress.IPv6Interface

# Name patterns of interfaces that do not lead to the room: tunnels and VPNs, and virtual bridges.
_VPN = re.compile(r"^(tun|tap|wg|ppp|utun|ipsec|tailscale|zt|nordlynx|proton|gpd|cscotun|vpn)", re.I)
_CONTAINER = re.compile(r"^(docker|br-|veth|virbr|vmnet|vboxnet|lxc|lxd|cni|flannel|cali|podman|kube)", re.I)
_WIRELESS = re.compile(r"^(wl|wlan|wifi|ath|ra\d)|wi-?fi|wireless", re.I)


class NoNetwork(SafeSpaceError):
    """There is no interface a scan could use, or the one asked for cannot be used."""


@dataclass(frozen=True)
class Interface:
    name: str
    index: int
    up: bool
    mac: str | None = None
    ipv4: tuple[IPv4, ...] = ()
    ipv6: tuple[IPv6, ...] = ()
    kind: str = "other"  # "wired", "wireless", "loopback", "vpn", "container", "other"
    default_route: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def usable(self) -> bool:
        """Up, with an IPv4 address: what the scan's protocols need."""
        return self.up and bool(self.ipv4)

    @property
    def choosable_by_default(self) -> bool:
        return self.usable and self.kind in ("wired", "wireless", "other")

    @property
    def address(self) -> str:
        return str(self.ipv4[0].ip)

    @property
    def link_local_v6(self) -> tuple[str, ...]:
        return tuple(str(a.ip) for a in self.ipv6 if a.ip.is_link_local)

    def describe(self) -> str:
        words = {
            "wired": "cable",
            "wireless": "Wi-Fi",
            "loopback": "this computer only",
            "vpn": "VPN",
            "container": "virtual",
            "other": "network",
        }[self.kind]
        addr = ", ".join(str(a) for a in self.ipv4) or "no IPv4 address"
        state = "" if self.up else ", down"
        default = ", default" if self.default_route else ""
        return f"{self.name} ({words}, {addr}{state}{default})"

    def on_local_network(self, address: str) -> bool:
        """Whether a device at this address is on the local network: private or link-local, or inside one of
        this interface's subnets; never loopback, multicast or unspecified."""
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return False
        if ip.is_loopback or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
            return False
        if ip.is_link_local or ip.is_private:
            return True
        return any(ip in net.network for net in self.addresses() if net.version == ip.version)

    def addresses(self) -> list[IPv4 | IPv6]:
        return [*self.ipv4, *self.ipv6]


def kind_of(name: str, is_loopback: bool = False) -> str:
    if is_loopback or name == "lo" or name.startswith("lo0") or name.lower().startswith("loopback"):
        return "loopback"
    if _VPN.search(name):
        return "vpn"
    if _CONTAINER.search(name):
        return "container"
    if _WIRELESS.search(name) or Path(f"/sys/class/net/{name}/wireless").exists():
        return "wireless"
    if re.match(r"^(en|eth|em|eno|ens|enp)", name) or "ethernet" in name.lower():
        return "wired"
    return "other"


def default_route_names() -> set[str]:
    """The interfaces that carry the default route (Linux: /proc/net/route; elsewhere: the interface of
    the address the system would send from, found without sending anything)."""
    names: set[str] = set()
    try:
        for line in Path("/proc/net/route").read_text().splitlines()[1:]:
            parts = line.split()
            if len(parts) > 3 and parts[1] == "00000000" and int(parts[3], 16) & 1:
                names.add(parts[0])
    except (OSError, ValueError):
        pass
    if names or sys.platform.startswith("linux"):
        return names
    try:  # a UDP "connect" picks a route and source address; no packet is sent
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            source = s.getsockname()[0]
    except OSError:
        return names
    for name, addrs in psutil.net_if_addrs().items():
        if any(a.family == socket.AF_INET and a.address == source for a in addrs):
            names.add(name)
    return names


def _prefix(mask: str | None) -> int:
    try:
        return bin(int(ipaddress.IPv6Address(mask.split("/", 1)[0]))).count("1") if mask else 64
    except ValueError:
        return 64


def list_interfaces() -> list[Interface]:
    """Every interface of this computer, default route first, then by name."""
    addrs, stats = psutil.net_if_addrs(), psutil.net_if_stats()
    defaults = default_route_names()
    found: list[Interface] = []
    for name, entries in addrs.items():
        v4, v6, mac = [], [], None
        for a in entries:
            if a.family == socket.AF_INET and a.netmask:
                v4.append(ipaddress.IPv4Interface(f"{a.address}/{a.netmask}"))
            elif a.family == socket.AF_INET6:
                address = a.address.split("%", 1)[0]
                prefix = _prefix(a.netmask)
                v6.append(ipaddress.IPv6Interface(f"{address}/{prefix}"))
            elif a.family == psutil.AF_LINK and a.address:
                mac = a.address.replace("-", ":").lower()
        stat = stats.get(name)
        try:
            index = socket.if_nametoindex(name)
        except OSError:
            index = 0
        looped = bool(stat and "loopback" in getattr(stat, "flags", ""))
        found.append(
            Interface(
                name=name,
                index=index,
                up=bool(stat and stat.isup),
                mac=mac if mac and mac != "00:00:00:00:00:00" else None,
                ipv4=tuple(v4),
                ipv6=tuple(v6),
                kind=kind_of(name, looped),
                default_route=name in defaults,
            )
        )
    return sorted(found, key=lambda i: (not i.default_route, not i.choosable_by_default, i.name))


def choose(name: str | None = None, interfaces: list[Interface] | None = None) -> Interface:
    """The interface to scan: the one named, or the default route's, or the only plausible one."""
    interfaces = list_interfaces() if interfaces is None else interfaces
    if name is not None:
        for iface in interfaces:
            if iface.name == name:
                if not iface.up:
                    raise NoNetwork(f"The network connection “{name}” is switched off or disconnected.")
                if not iface.ipv4:
                    raise NoNetwork(f"The network connection “{name}” has no network address yet.")
                return iface
        known = ", ".join(i.name for i in interfaces) or "none"
        raise NoNetwork(f"This computer has no network connection called “{name}” (it has: {known}).")
    candidates = [i for i in interfaces if i.choosable_by_default]
    for iface in candidates:
        if iface.default_route:
            return iface
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NoNetwork(
            "This computer is not connected to a network, so there is nothing to scan. Connect to the "
            "room's Wi-Fi or cable and try again."
        )
    names = ", ".join(i.name for i in candidates)
    raise NoNetwork(f"This computer has several network connections ({names}); choose the room's one.")


def gateway_of(name: str) -> str | None:
    """The default gateway reached through this interface (Linux), or None."""
    try:
        for line in Path("/proc/net/route").read_text().splitlines()[1:]:
            parts = line.split()
            if len(parts) > 3 and parts[0] == name and parts[1] == "00000000" and int(parts[3], 16) & 2:
                return str(ipaddress.IPv4Address(bytes.fromhex(parts[2])[::-1]))
    except (OSError, ValueError):
        pass
    return None
