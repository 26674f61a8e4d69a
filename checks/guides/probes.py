"""Settings this computer can read for itself, shown beside a guide's step on the computer SafeSpace runs on.

Every probe reads locally (the registry, `defaults`, `scutil`, `gsettings`, `bluetoothctl`, `hostnamectl`)
and changes nothing. When a value cannot be read, the probe returns None and the user decides.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from checks.network.names import person_in_name


@dataclass(frozen=True)
class Observation:
    value: str  # what was read, in words
    ok: bool | None  # True: as recommended; False: not; None: the user has to judge


class Reader(Protocol):
    def registry(self, hive: str, path: str, name: str) -> object | None: ...

    def command(self, argv: list[str]) -> str | None: ...

    def env(self, name: str) -> str | None: ...

    def hostname(self) -> str: ...


class SystemReader:
    def registry(self, hive: str, path: str, name: str) -> object | None:
        if sys.platform != "win32":
            return None
        import winreg

        root = {"HKCU": winreg.HKEY_CURRENT_USER, "HKLM": winreg.HKEY_LOCAL_MACHINE}[hive]
        try:
            with winreg.OpenKey(root, path) as key:
                return winreg.QueryValueEx(key, name)[0]
        except OSError:
            return None

    def command(self, argv: list[str]) -> str | None:
        if shutil.which(argv[0]) is None:
            return None
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=3, check=False, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    def env(self, name: str) -> str | None:
        return os.environ.get(name)

    def hostname(self) -> str:
        return socket.gethostname()


@dataclass(frozen=True)
class Probe:
    id: str
    system: str  # sys.platform it runs on
    read: Callable[[Reader], Observation | None]


CONSENT = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"


def _consent(capability: str) -> Callable[[Reader], Observation | None]:
    def read(r: Reader) -> Observation | None:
        value = r.registry("HKCU", f"{CONSENT}\\{capability}", "Value")
        if value == "Deny":
            return Observation("Off for all apps", True)
        if value == "Allow":
            return Observation("On: check the list of apps below it", None)
        return None

    return read


def _choice(
    hive: str, path: str, name: str, words: dict[int, tuple[str, bool]]
) -> Callable[[Reader], Observation | None]:
    def read(r: Reader) -> Observation | None:
        value = r.registry(hive, path, name)
        try:
            said = words.get(int(str(value)))
        except (TypeError, ValueError):
            return None
        return Observation(*said) if said else None

    return read


def _name(value: str | None) -> Observation | None:
    if not value:
        return None
    person = person_in_name(value) or person_in_name(value.split(".", 1)[0])
    return Observation(f"“{value}”" + (" (it points to a person)" if person else ""), person is None)


def _defaults(
    argv: list[str], words: dict[str, tuple[str, bool]], absent: Observation | None = None
) -> Callable[[Reader], Observation | None]:
    def read(r: Reader) -> Observation | None:
        value = r.command(["defaults", *argv])
        if value is None:
            return absent
        said = words.get(value.strip())
        return Observation(*said) if said else Observation(value.strip(), None)

    return read


def _gsettings(
    schema: str, key: str, on: tuple[str, bool], off: tuple[str, bool]
) -> Callable[[Reader], Observation | None]:
    def read(r: Reader) -> Observation | None:
        value = r.command(["gsettings", "get", schema, key])
        return {"true": Observation(*on), "false": Observation(*off)}.get((value or "").strip())

    return read


def _bluetooth(r: Reader) -> Observation | None:
    out = r.command(["bluetoothctl", "show"])
    if out is None:
        return None
    for line in out.splitlines():
        key, _, value = line.strip().partition(":")
        if key == "Discoverable":
            return Observation(
                "Discoverable" if value.strip() == "yes" else "Not discoverable", value.strip() != "yes"
            )
    if "No default controller" in out:
        return Observation("No Bluetooth adapter", True)
    return None


def _linux_name(r: Reader) -> Observation | None:
    return _name(r.command(["hostnamectl", "--pretty"]) or r.hostname())


VOICE = r"Software\Microsoft\Speech_OneCore\Settings\VoiceActivation\UserPreferenceForAllApps"
PROBES: dict[str, Probe] = {
    p.id: p
    for p in [
        Probe("windows.location", "win32", _consent("location")),
        Probe("windows.camera", "win32", _consent("webcam")),
        Probe("windows.microphone", "win32", _consent("microphone")),
        Probe(
            "windows.nearby_sharing",
            "win32",
            _choice(
                "HKCU",
                r"Software\Microsoft\Windows\CurrentVersion\CDP",
                "NearShareChannelUserAuthzPolicy",
                {0: ("Off", True), 1: ("My devices only", True), 2: ("Everyone nearby", False)},
            ),
        ),
        Probe(
            "windows.voice_activation",
            "win32",
            _choice("HKCU", VOICE, "AgentActivationEnabled", {0: ("Off", True), 1: ("On", False)}),
        ),
        Probe(
            "windows.lock_screen_notifications",
            "win32",
            _choice(
                "HKCU",
                r"Software\Microsoft\Windows\CurrentVersion\Notifications\Settings",
                "NOC_GLOBAL_SETTING_ALLOW_TOASTS_ABOVE_LOCK",
                {0: ("Off", True), 1: ("On", False)},
            ),
        ),
        Probe("windows.name", "win32", lambda r: _name(r.env("COMPUTERNAME"))),
        Probe(
            "macos.airdrop",
            "darwin",
            _defaults(
                ["read", "com.apple.sharingd", "DiscoverableMode"],
                {
                    "Everyone": ("Everyone", False),
                    "Contacts Only": ("Contacts Only", True),
                    "Off": ("Off", True),
                },
                absent=Observation("Contacts Only (the usual setting)", True),
            ),
        ),
        Probe(
            "macos.siri",
            "darwin",
            _defaults(
                ["read", "com.apple.assistant.support", "Assistant Enabled"],
                {"1": ("On", False), "0": ("Off", True)},
            ),
        ),
        Probe(
            "macos.airplay_receiver",
            "darwin",
            _defaults(
                ["-currentHost", "read", "com.apple.controlcenter", "AirplayRecieverEnabled"],
                {"1": ("On", False), "0": ("Off", True)},
            ),
        ),
        Probe("macos.name", "darwin", lambda r: _name(r.command(["scutil", "--get", "ComputerName"]))),
        Probe("linux.name", "linux", _linux_name),
        Probe("linux.bluetooth", "linux", _bluetooth),
        Probe(
            "linux.location",
            "linux",
            _gsettings("org.gnome.system.location", "enabled", ("On", False), ("Off", True)),
        ),
        Probe(
            "linux.lock_screen_notifications",
            "linux",
            _gsettings(
                "org.gnome.desktop.notifications", "show-in-lock-screen", ("Shown", False), ("Hidden", True)
            ),
        ),
    ]
}


def observe(
    probe_id: str | None, reader: Reader | None = None, platform: str = sys.platform
) -> Observation | None:
    """What this computer says for a step, or None (no probe, another system, or it could not be read)."""
    probe = PROBES.get(probe_id or "")
    if probe is None or not platform.startswith(probe.system):
        return None
    try:
        return probe.read(reader or SystemReader())
    except Exception:  # a probe is a help, never a reason to fail
        return None
