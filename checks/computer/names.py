"""The names this computer shows to others: its host name on the network, its "pretty" name, its Bluetooth
name. A name like "Jane Smith's MacBook" tells everyone nearby whose computer it is."""

from __future__ import annotations

import configparser
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from checks.computer.common import cannot
from checks.model import Finding, Severity
from checks.network.names import person_in_name

AREA = "names"

Run = Callable[[list[str]], str | None]


def _run(argv: list[str]) -> str | None:
    """A local command's output (nothing is sent anywhere), or None."""
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def linux_names(
    etc: Path = Path("/etc"), bluetooth: Path = Path("/var/lib/bluetooth")
) -> tuple[dict[str, str], list[Finding]]:
    names, notes = {}, []
    try:
        for line in (etc / "machine-info").read_text().splitlines():
            if line.startswith("PRETTY_HOSTNAME="):
                names["name shown to people"] = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    if bluetooth.is_dir():
        try:
            for settings in sorted(bluetooth.glob("*/settings")):
                parser = configparser.ConfigParser(interpolation=None)
                parser.read_string(settings.read_text())
                alias = parser.get("General", "Alias", fallback="")
                if alias:
                    names["Bluetooth name"] = alias
        except (PermissionError, configparser.Error, OSError):
            notes.append(
                cannot(
                    AREA,
                    "bluetooth_name",
                    "the Bluetooth name",
                    "Only an administrator may read it here. Check it in the Bluetooth settings.",
                )
            )
    return names, notes


def mac_names(run: Run = _run) -> dict[str, str]:
    names = {}
    for key, label in (
        ("ComputerName", "computer name (also its Bluetooth and AirDrop name)"),
        ("LocalHostName", "local network name"),
    ):
        value = run(["scutil", "--get", key])
        if value:
            names[label] = value
    return names


def check(
    platform: str = sys.platform,
    hostname: Callable[[], str] = socket.gethostname,
    run: Run = _run,
    etc: Path = Path("/etc"),
    bluetooth: Path = Path("/var/lib/bluetooth"),
) -> list[Finding]:
    names: dict[str, str] = {"host name": hostname()}
    notes: list[Finding] = []
    if platform.startswith("linux"):
        more, notes = linux_names(etc, bluetooth)
        names.update(more)
    elif platform == "darwin":
        names.update(mac_names(run))
    elif platform == "win32":
        names["computer name (also its Bluetooth name)"] = os.environ.get("COMPUTERNAME", names["host name"])
    out = []
    flagged = [
        {"which": label, "name": value, "person": person}
        for label, value in names.items()
        if (person := person_in_name(value) or person_in_name(value.split(".", 1)[0]))
    ]
    if flagged:
        shown = ", ".join(dict.fromkeys(f"“{f['name']}”" for f in flagged))
        which = ", ".join(f["which"] for f in flagged)
        out.append(
            Finding(
                "computer.name.person",
                AREA,
                Severity.HIGH,
                f"Its name points to a person: {shown}",
                f"This computer shows {shown} ({which}) to others on the network or nearby. A client on the "
                "same Wi-Fi, or in the waiting room, could see it and link it to you. Rename it to "
                "something that does not identify anyone (Windows: Settings > System > About > Rename "
                "this PC; Mac: System Settings > General > Sharing > Local hostname and Computer name).",
                {"names": flagged},
            )
        )
    if not out:
        shown = "; ".join(f"{label}: “{value}”" for label, value in names.items())
        out.append(
            Finding(
                "computer.name.ok",
                AREA,
                Severity.OK,
                "Its names do not point to a person",
                f"This computer is known as {shown}.",
                {"names": names},
            )
        )
    return out + notes
