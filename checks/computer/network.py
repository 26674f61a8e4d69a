"""The network this computer is on: which connection, whether a VPN is on, and whether the Wi-Fi looks
shared or public (no password, or a name like "Guest" or "Free WiFi"). All read locally; nothing is sent."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from checks.computer.common import cannot
from checks.computer.names import Run, _run
from checks.model import Finding, Severity
from checks.network import interfaces

AREA = "network"
_PUBLIC = re.compile(
    r"guest|free|public|open|cafe|café|coffee|hotel|airport|library|hotspot|visitor|_nomap", re.I
)


def parse_nmcli(text: str) -> tuple[str, bool] | None:
    """The active Wi-Fi's name and whether it has a password (`nmcli -t -f ACTIVE,SSID,SECURITY dev wifi`)."""
    for line in text.splitlines():
        fields = re.split(r"(?<!\\):", line)
        if len(fields) >= 3 and fields[0] == "yes":
            ssid = fields[1].replace("\\:", ":")
            return ssid, fields[2].strip() not in ("", "--")
    return None


def parse_netsh(text: str) -> tuple[str, bool] | None:
    """The connected Wi-Fi's name and whether it has a password, from `netsh wlan show interfaces`."""
    ssid = auth = None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key == "ssid":
            ssid = value.strip()
        elif key == "authentication":
            auth = value.strip()
    if not ssid:
        return None
    return ssid, (auth or "").lower() != "open"


def wifi(platform: str, run: Run) -> tuple[str, bool] | str | None:
    """(name, has password), None when not on Wi-Fi or unknown, or a reason it cannot be read."""
    if platform.startswith("linux"):
        out = run(["nmcli", "-t", "-f", "ACTIVE,SSID,SECURITY", "dev", "wifi"])
        return parse_nmcli(out) if out is not None else None
    if platform == "win32":
        out = run(["netsh", "wlan", "show", "interfaces"])
        return parse_netsh(out) if out is not None else None
    return "This system shows the Wi-Fi's name only to apps allowed to use Location Services."


def check(
    platform: str = sys.platform,
    run: Run = _run,
    list_interfaces: Callable[[], list[interfaces.Interface]] | None = None,
) -> list[Finding]:
    found = (list_interfaces or interfaces.list_interfaces)()
    out: list[Finding] = []
    try:
        iface = interfaces.choose(None, found)
    except interfaces.NoNetwork as exc:
        return [
            Finding("computer.network.none", AREA, Severity.INFO, "Not connected to a network", str(exc), {})
        ]
    words = {"wireless": "Wi-Fi", "wired": "a cable"}.get(iface.kind, "a network connection")
    out.append(
        Finding(
            "computer.network.connection",
            AREA,
            Severity.INFO,
            f"Connected through {words} ({iface.name})",
            f"Address {', '.join(str(a) for a in iface.ipv4)}. Others on this network can see this "
            "computer's names and what it shares.",
            {"interface": iface.name},
        )
    )
    vpns = [i.name for i in found if i.kind == "vpn" and i.up]
    if vpns:
        out.append(
            Finding(
                "computer.network.vpn",
                AREA,
                Severity.INFO,
                f"A VPN connection is on ({', '.join(vpns)})",
                "Internet traffic may go through the VPN; devices in the room can still see this "
                "computer on the local network.",
                {"interfaces": vpns},
            )
        )
    if iface.kind == "wireless":
        info = wifi(platform, run)
        if isinstance(info, str):
            out.append(cannot(AREA, "wifi", "whether this Wi-Fi is shared or public", info))
        elif info is not None:
            ssid, secured = info
            if not secured:
                out.append(
                    Finding(
                        "computer.network.open_wifi",
                        AREA,
                        Severity.MEDIUM,
                        f"The Wi-Fi “{ssid}” has no password",
                        "Anyone nearby can join it and see this computer, its name and what it shares. "
                        "Use a network with a password for client work, or your phone's hotspot.",
                        {"ssid": ssid},
                    )
                )
            elif _PUBLIC.search(ssid):
                out.append(
                    Finding(
                        "computer.network.shared_wifi",
                        AREA,
                        Severity.MEDIUM,
                        f"The Wi-Fi “{ssid}” looks shared or public",
                        "Others on it can see this computer, its name and what it shares. Turn off file "
                        "and screen sharing while you are on it.",
                        {"ssid": ssid},
                    )
                )
            else:
                out.append(
                    Finding(
                        "computer.network.wifi",
                        AREA,
                        Severity.OK,
                        f"The Wi-Fi “{ssid}” has a password",
                        "It does not look like a shared or public network.",
                        {"ssid": ssid},
                    )
                )
        else:
            out.append(
                cannot(
                    AREA,
                    "wifi",
                    "whether this Wi-Fi is shared or public",
                    "SafeSpace could not read the Wi-Fi's details on this computer.",
                )
            )
    return out
