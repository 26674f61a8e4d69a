"""The operating system's neighbour table: the devices this computer has recently exchanged packets with on
the local link, with their hardware (MAC) addresses, and the maker the IEEE registry gives for each."""

from __future__ import annotations

import asyncio
import functools
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from checks.network.context import Context
from checks.network.records import Sighting, is_randomised, norm_mac

_BAD_STATES = {"FAILED", "INCOMPLETE", "NOARP", "PERMANENT"}
_IP_NEIGH = re.compile(
    r"^(?P<ip>\S+)\s+dev\s+(?P<dev>\S+)\s+(?:lladdr\s+(?P<mac>\S+)\s+)?(?:router\s+)?(?P<state>[A-Z_ ]+)?$"
)
_MAC_ARP = re.compile(r"\((?P<ip>[\d.]+)\) at (?P<mac>[0-9a-fA-F:]+) on (?P<dev>\S+)")
_WIN_IFACE = re.compile(r"^Interface:\s+(?P<ip>[\d.]+)")
_WIN_ROW = re.compile(r"^\s+(?P<ip>[\d.]+)\s+(?P<mac>[0-9a-fA-F]{2}(?:-[0-9a-fA-F]{2}){5})\s+(?P<type>\w+)")

# (address, mac, interface name or, on Windows, the interface's address, state: "STALE", "REACHABLE"… or "")
Entry = tuple[str, str, str, str]


def parse_proc_arp(text: str) -> list[Entry]:
    """Linux /proc/net/arp. Flags 0x0 are incomplete entries."""
    out = []
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) < 6 or parts[2] == "0x0":
            continue
        mac = norm_mac(parts[3])
        if mac:
            out.append((parts[0], mac, parts[5], ""))
    return out


def parse_ip_neigh(text: str) -> list[Entry]:
    """`ip neigh show` (IPv4 and IPv6)."""
    out = []
    for line in text.splitlines():
        m = _IP_NEIGH.match(line.strip())
        if not m or not m.group("mac"):
            continue
        state = (m.group("state") or "").strip()
        if state in _BAD_STATES:
            continue
        mac = norm_mac(m.group("mac"))
        if mac:
            out.append((m.group("ip"), mac, m.group("dev"), state))
    return out


def parse_arp_a(text: str) -> list[Entry]:
    """`arp -a`, as macOS and the BSDs print it, or as Windows does (grouped under "Interface: <ip>")."""
    out = []
    win_iface = ""
    for line in text.splitlines():
        m = _MAC_ARP.search(line)
        if m:
            mac = norm_mac(m.group("mac"))
            if mac:
                out.append((m.group("ip"), mac, m.group("dev"), ""))
            continue
        w = _WIN_IFACE.match(line)
        if w:
            win_iface = w.group("ip")
            continue
        r = _WIN_ROW.match(line)
        if r and r.group("type").lower() == "dynamic":
            mac = norm_mac(r.group("mac"))
            if mac:
                out.append((r.group("ip"), mac, win_iface, ""))
    return out


def read_table() -> list[Entry]:
    """This computer's neighbour table, read locally; sends nothing."""
    if sys.platform.startswith("linux"):
        entries: list[Entry] = []
        ip = shutil.which("ip")
        if ip:
            try:
                done = subprocess.run(
                    [ip, "neigh", "show"], capture_output=True, text=True, timeout=3, check=False
                )
                entries = parse_ip_neigh(done.stdout)
            except (OSError, subprocess.SubprocessError):
                entries = []
        if not entries:
            try:
                entries = parse_proc_arp(Path("/proc/net/arp").read_text())
            except OSError:
                entries = []
        return entries
    arp = shutil.which("arp")
    if not arp:
        return []
    try:
        done = subprocess.run(
            [arp, "-a"] if sys.platform == "win32" else [arp, "-an"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return parse_arp_a(done.stdout)


@functools.cache
def vendor_of(mac: str) -> str | None:
    """The maker registered for a MAC address's first three bytes (offline: the IEEE registry in netaddr);
    None for randomised addresses and unregistered prefixes."""
    if is_randomised(mac):
        return None
    try:
        from netaddr import EUI
        from netaddr.core import NotRegisteredError

        try:
            return EUI(mac).oui.registration().org.strip() or None
        except (NotRegisteredError, IndexError):
            return None
    except Exception:  # a damaged registry must not stop a scan
        return None


def sighting(address: str, mac: str, gateway: str | None, state: str = "") -> Sighting:
    """A STALE entry has not been confirmed lately (the device may be long gone): it names the MAC of a device
    heard by another protocol, but does not count as a device on its own (see classify.standing)."""
    fields = {"role": "gateway"} if address == gateway else {}
    if state == "STALE":
        fields["stale"] = "yes"
    made = "randomised address" if is_randomised(mac) else (vendor_of(mac) or "maker not registered")
    role = ", this network's router" if fields else ""
    return Sighting(
        protocol="neighbours",
        addresses=(address,),
        mac=mac,
        fields=fields,
        evidence=f"Neighbour table: {address} is {mac} ({made}){role}",
        ref=f"neighbours:{address}",
    )


def entries_for(ctx: Context, entries: list[Entry]) -> list[Entry]:
    iface = ctx.interface
    own = {str(a.ip) for a in iface.addresses()}
    return [
        e for e in entries if e[2] in (iface.name, *own) and e[0] not in own and iface.on_local_network(e[0])
    ]


async def discover(
    ctx: Context, emit: Callable[[Sighting], None], read: Callable[[], list[Entry]] = read_table
) -> None:
    """Read the table at the start, and again near the end, once other protocols have filled it."""

    seen: set[tuple[str, str, str]] = set()
    loop = asyncio.get_running_loop()
    for rest in (None, 0.6):
        if rest is not None:
            await ctx.wait(max(0.0, ctx.remaining() - rest))
            if ctx.stop.is_set():
                return
        for address, mac, _dev, state in entries_for(ctx, await loop.run_in_executor(None, read)):
            if (address, mac, state) not in seen:
                seen.add((address, mac, state))
                emit(sighting(address, mac, ctx.gateway, state))
