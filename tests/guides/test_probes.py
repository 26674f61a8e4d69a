"""Probes of this computer's settings, with fake readers for every system."""

from __future__ import annotations

import sys

import pytest

from checks.guides import probes
from checks.guides.probes import Observation, observe


class FakeReader:
    def __init__(self, registry=None, commands=None, env=None, hostname="office-pc"):  # type: ignore[no-untyped-def]
        self.reg, self.commands, self.environ, self.host = registry or {}, commands or {}, env or {}, hostname

    def registry(self, hive: str, path: str, name: str) -> object | None:
        return self.reg.get((hive, path, name))

    def command(self, argv: list[str]) -> str | None:
        return self.commands.get(tuple(argv))

    def env(self, name: str) -> str | None:
        return self.environ.get(name)

    def hostname(self) -> str:
        return self.host


CDP = r"Software\Microsoft\Windows\CurrentVersion\CDP"
VOICE = probes.VOICE
TOASTS = r"Software\Microsoft\Windows\CurrentVersion\Notifications\Settings"


def test_windows_probes_read_the_registry() -> None:
    reader = FakeReader(
        registry={
            ("HKCU", f"{probes.CONSENT}\\location", "Value"): "Deny",
            ("HKCU", f"{probes.CONSENT}\\webcam", "Value"): "Allow",
            ("HKCU", CDP, "NearShareChannelUserAuthzPolicy"): 2,
            ("HKCU", VOICE, "AgentActivationEnabled"): 0,
            ("HKCU", TOASTS, "NOC_GLOBAL_SETTING_ALLOW_TOASTS_ABOVE_LOCK"): 1,
        },
        env={"COMPUTERNAME": "JANE-SMITHS-LAPTOP"},
    )
    seen = {p: observe(p, reader, "win32") for p in probes.PROBES if p.startswith("windows.")}
    assert seen["windows.location"] == Observation("Off for all apps", True)
    assert seen["windows.camera"] == Observation("On: check the list of apps below it", None)
    assert seen["windows.microphone"] is None, "not readable: the user decides"
    assert seen["windows.nearby_sharing"] == Observation("Everyone nearby", False)
    assert seen["windows.voice_activation"] == Observation("Off", True)
    assert seen["windows.lock_screen_notifications"] == Observation("On", False)
    assert seen["windows.name"] is not None and seen["windows.name"].ok is False


def test_macos_probes_read_defaults_and_scutil() -> None:
    reader = FakeReader(commands={
        ("defaults", "read", "com.apple.assistant.support", "Assistant Enabled"): "1",
        ("defaults", "-currentHost", "read", "com.apple.controlcenter", "AirplayRecieverEnabled"): "0",
        ("scutil", "--get", "ComputerName"): "Studio Mac",
    })  # fmt: skip
    assert observe("macos.airdrop", reader, "darwin") == Observation(
        "Contacts Only (the usual setting)", True
    )
    assert observe("macos.siri", reader, "darwin") == Observation("On", False)
    assert observe("macos.airplay_receiver", reader, "darwin") == Observation("Off", True)
    assert observe("macos.name", reader, "darwin") == Observation("“Studio Mac”", True)
    everyone = FakeReader(
        commands={("defaults", "read", "com.apple.sharingd", "DiscoverableMode"): "Everyone"}
    )
    assert observe("macos.airdrop", everyone, "darwin") == Observation("Everyone", False)


def test_linux_probes_read_gsettings_bluetoothctl_and_the_name() -> None:
    reader = FakeReader(commands={
        ("gsettings", "get", "org.gnome.system.location", "enabled"): "false",
        ("gsettings", "get", "org.gnome.desktop.notifications", "show-in-lock-screen"): "true",
        ("bluetoothctl", "show"): "Controller 00:11:22:33:44:55 (public)\n\tName: box\n\tDiscoverable: yes\n",
        ("hostnamectl", "--pretty"): "Dr Okafor's laptop",
    })  # fmt: skip
    assert observe("linux.location", reader, "linux") == Observation("Off", True)
    assert observe("linux.lock_screen_notifications", reader, "linux") == Observation("Shown", False)
    assert observe("linux.bluetooth", reader, "linux") == Observation("Discoverable", False)
    assert observe("linux.name", reader, "linux") == Observation(
        "“Dr Okafor's laptop” (it points to a person)", False
    )
    none = FakeReader(commands={("bluetoothctl", "show"): "No default controller available"}, hostname="box")
    assert observe("linux.bluetooth", none, "linux") == Observation("No Bluetooth adapter", True)
    assert observe("linux.name", none, "linux") == Observation("“box”", True)
    assert observe("linux.location", none, "linux") is None


def test_a_probe_for_another_system_or_none_says_nothing() -> None:
    assert observe("macos.airdrop", FakeReader(), "linux") is None
    assert observe(None, FakeReader(), "linux") is None

    class Broken(FakeReader):
        def command(self, argv: list[str]) -> str | None:
            raise RuntimeError("broken")

    assert observe("linux.location", Broken(), "linux") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads this Linux machine")
def test_the_real_reader_reads_this_computers_name() -> None:
    seen = observe("linux.name")
    assert seen is not None and seen.value.startswith("“")
