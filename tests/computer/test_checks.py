"""Each check of this computer, real where this machine allows it, with fakes for other systems."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from checks.computer import devices, names, network, programs, run, services
from checks.model import Finding, Severity
from tests.netfixtures import interface


def test_a_loopback_listener_is_told_apart_from_one_open_to_the_network() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        found = [item for item in services.listeners() if item.port == port]
    assert found and found[0].loopback_only and found[0].pid == os.getpid()
    [finding] = [f for f in services.findings(found)]
    assert finding.severity is Severity.INFO and "only this computer can connect" in finding.title
    open_vnc = services.Listener("0.0.0.0", 5900, "tcp", 42, "x11vnc")
    [vnc] = services.findings([open_vnc])
    assert vnc.severity is Severity.HIGH
    assert vnc.title == "Screen sharing (VNC) (x11vnc) is open to the network"
    assert "every network this computer is on" in vnc.detail


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses a copy of /bin/sleep")
def test_a_running_remote_access_program_is_recognised(tmp_path: Path) -> None:
    fake = tmp_path / "anydesk"
    shutil.copy(shutil.which("sleep") or "/bin/sleep", fake)
    proc = subprocess.Popen([str(fake), "30"])
    try:
        deadline = time.monotonic() + 10
        while not any(p.pid == proc.pid and p.name == "anydesk" for p in programs.running()):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        found = programs.check()
    finally:
        proc.kill()
        proc.wait()
    [anydesk] = [f for f in found if f.id == "computer.program.anydesk"]
    assert anydesk.severity is Severity.HIGH and proc.pid in anydesk.data["pids"]
    assert anydesk.title.startswith("AnyDesk is running: a remote-access program")


def test_programs_are_matched_by_name_or_path() -> None:
    seen = [
        programs.Running(1, "Dropbox.exe", r"C:\Program Files\Dropbox\Client\Dropbox.exe"),
        programs.Running(2, "svc", "/opt/Spyrix Free Keylogger/svc"),
        programs.Running(3, "bash", "/bin/bash"),
        programs.Running(4, "bird", "/usr/sbin/bird"),  # a routing daemon, not iCloud
        programs.Running(
            5, "bird", "/System/Library/PrivateFrameworks/CloudDocsDaemon.framework/Versions/A/Support/bird"
        ),
    ]
    ids = {f.data["program"]: f.severity for f in programs.findings(seen)}
    assert ids == {"dropbox": Severity.MEDIUM, "spyrix": Severity.HIGH, "icloud": Severity.MEDIUM}
    [icloud] = [f for f in programs.findings(seen) if f.data["program"] == "icloud"]
    assert icloud.data["pids"] == [5]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_program_holding_the_camera_and_microphone_open_is_named(tmp_path: Path) -> None:
    dev = tmp_path / "dev"
    (dev / "snd").mkdir(parents=True)
    (dev / "video0").write_bytes(b"")
    (dev / "snd" / "pcmC0D0c").write_bytes(b"")
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import time; a = open({str(dev / 'video0')!r}); "
         f"b = open({str(dev / 'snd' / 'pcmC0D0c')!r}); print('open', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        camera = re.compile(rf"^{re.escape(str(dev))}/video\d+$")
        microphone = re.compile(rf"^{re.escape(str(dev))}/snd/pcmC\d+D\d+c$")
        found = devices.linux_in_use(camera=camera, microphone=microphone)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert holder.pid in found.camera and holder.pid in found.microphone
    said = devices._say("camera", list(found.camera.values()), 0)
    assert said.severity is Severity.MEDIUM and said.title.startswith("The camera is in use now, by python")


class FakeRegistry:
    def __init__(self, tree: dict[str, dict[str, int]]):
        self.tree = tree

    def subkeys(self, path: str) -> list[str]:
        prefix = path + "\\"
        return sorted({k[len(prefix) :].split("\\")[0] for k in self.tree if k.startswith(prefix)})

    def value(self, path: str, name: str) -> int | None:
        return self.tree.get(path, {}).get(name)


def test_windows_says_which_app_uses_the_camera_from_its_privacy_record() -> None:
    base = devices.CONSENT_STORE
    on, off = {"LastUsedTimeStart": 5, "LastUsedTimeStop": 0}, {"LastUsedTimeStart": 5, "LastUsedTimeStop": 9}
    reg = FakeRegistry(
        {
            f"{base}\\webcam\\NonPackaged\\C:#Program Files#Zoom#bin#Zoom.exe": on,
            f"{base}\\webcam\\NonPackaged\\C:#Apps#old.exe": off,
            f"{base}\\webcam\\Microsoft.WindowsCamera_8wekyb3d8bbwe": off,
            f"{base}\\microphone\\Microsoft.SkypeApp_kzf8qxf38zg5c": on,
        }
    )
    assert devices.windows_in_use(reg, "webcam") == [r"C:\Program Files\Zoom\bin\Zoom.exe"]
    camera, microphone = devices.check("win32", registry=lambda: reg)
    assert camera.title == r"The camera is in use now, by C:\Program Files\Zoom\bin\Zoom.exe"
    assert microphone.title == "The microphone is in use now, by Microsoft.SkypeApp_kzf8qxf38zg5c"


def test_macos_says_it_cannot_tell_and_what_to_look_for() -> None:
    [said] = devices.check("darwin")
    assert said.severity is Severity.INFO and said.title.startswith("Not checked:")
    assert "light beside the camera" in said.detail


def test_names_that_point_to_a_person_are_flagged(tmp_path: Path) -> None:
    etc, bt = tmp_path / "etc", tmp_path / "bluetooth" / "AA:BB:CC:DD:EE:FF"
    etc.mkdir()
    bt.mkdir(parents=True)
    (etc / "machine-info").write_text('PRETTY_HOSTNAME="Practice laptop"\n')
    (bt / "settings").write_text("[General]\nAlias=Dr Patel's laptop\n")
    found = names.check("linux", hostname=lambda: "janes-laptop", etc=etc, bluetooth=bt.parent)
    [named] = [f for f in found if f.id == "computer.name.person"]
    assert {n["which"]: n["person"] for n in named.data["names"]} == {
        "host name": "janes",
        "Bluetooth name": "Dr Patel",
    }
    assert named.title == "Its name points to a person: “janes-laptop”, “Dr Patel's laptop”"
    scutil = {"ComputerName": "Jane Smith’s MacBook Air", "LocalHostName": "studio"}
    mac = names.check("darwin", hostname=lambda: "studio.local", run=lambda argv: scutil[argv[2]])
    assert [n["name"] for f in mac if f.id == "computer.name.person" for n in f.data["names"]] == [
        "Jane Smith’s MacBook Air"
    ]
    calm = names.check("win32", hostname=lambda: "DESKTOP-4F2K9")
    assert [f.id for f in calm] == ["computer.name.ok"]


def test_an_unreadable_bluetooth_name_is_said(tmp_path: Path) -> None:
    bt = tmp_path / "bluetooth"
    (bt / "AA:BB" / "settings").mkdir(parents=True)  # a folder where a file should be: it cannot be read
    found = names.check("linux", hostname=lambda: "office", etc=tmp_path, bluetooth=bt)
    assert any(f.id == "computer.bluetooth_name.unavailable" and f.severity is Severity.INFO for f in found)


NMCLI = "no:Neighbours:WPA2\nyes:Cafe Free WiFi:\nno:Hidden\\:Net:WPA3\n"
NETSH = """
There is 1 interface on the system:

    Name                   : Wi-Fi
    State                  : connected
    SSID                   : Practice-Guest
    Authentication         : WPA2-Personal
"""


def test_wifi_details_are_read_from_each_system() -> None:
    assert network.parse_nmcli(NMCLI) == ("Cafe Free WiFi", False)
    assert network.parse_nmcli("yes:Home\\:Net:WPA2\n") == ("Home:Net", True)
    assert network.parse_netsh(NETSH) == ("Practice-Guest", True)
    assert network.parse_netsh("Name : Wi-Fi\n") is None


def _network(platform: str, output: str | None, kind: str = "wireless", vpn: bool = False) -> list[Finding]:
    ifaces = [interface("wlan0", "192.168.1.10/24", kind=kind, default_route=True)]
    if vpn:
        ifaces.append(interface("wg0", "10.8.0.2/24", kind="vpn"))
    return network.check(platform, run=lambda argv: output, list_interfaces=lambda: ifaces)


def test_the_network_is_described_and_shared_or_public_wifi_flagged() -> None:
    ids = lambda found: {f.id: f.severity.value for f in found}  # noqa: E731
    assert ids(_network("linux", NMCLI)) == {
        "computer.network.connection": "info",
        "computer.network.open_wifi": "medium",
    }
    assert ids(_network("win32", NETSH))["computer.network.shared_wifi"] == "medium"
    assert ids(_network("linux", "yes:Smith Family:WPA2\n"))["computer.network.wifi"] == "ok"
    assert ids(_network("darwin", None))["computer.wifi.unavailable"] == "info"
    assert "computer.network.vpn" in ids(_network("linux", None, kind="wired", vpn=True))
    none = network.check("linux", run=lambda argv: None, list_interfaces=lambda: [])
    assert [f.id for f in none] == ["computer.network.none"]


def test_a_check_that_fails_is_reported_and_the_others_run(monkeypatch) -> None:
    def broken() -> list[Finding]:
        raise RuntimeError("no luck")

    monkeypatch.setattr(run, "CHECKS", [("sharing", "what this computer shares", broken), *run.CHECKS[1:2]])
    report = run.check_computer()
    failed = [f for f in report.findings if f.category == "sharing"]
    assert failed[0].severity is Severity.INFO and "no luck" in failed[0].detail
    assert any(f.category == "programs" for f in report.findings)
    stop = threading.Event()
    stop.set()
    assert run.check_computer(cancel=stop).cancelled


def test_where_only_an_administrator_may_see_listeners_it_is_said() -> None:
    import psutil

    def hidden() -> list:  # type: ignore[type-arg]
        raise psutil.AccessDenied()

    [said] = services.check(hidden)
    assert said.id == "computer.listening.unavailable" and said.severity is Severity.INFO
    assert "administrator" in said.detail
    calm = services.check(lambda: [])
    assert [f.id for f in calm] == ["computer.listening.none"]


def test_a_computer_without_a_camera_or_microphone_says_so(tmp_path: Path) -> None:
    camera, microphone = devices.check("linux", dev=tmp_path)
    assert camera.id == "computer.camera.none" and camera.title == "No camera was found on this computer"
    assert microphone.id == "computer.microphone.none"
    (tmp_path / "video0").write_bytes(b"")
    (tmp_path / "snd").mkdir()
    (tmp_path / "snd" / "pcmC0D0c").write_bytes(b"")
    camera, microphone = devices.check("linux", dev=tmp_path)
    assert (camera.id, microphone.id) == ("computer.camera.idle", "computer.microphone.idle")
