"""Whether the camera or the microphone is in use now, and by which program.

Linux: the programs holding a camera (/dev/video*) or a sound-capture device (/dev/snd/pcm*c) open, read from
/proc/<pid>/fd. Windows: the privacy settings' record of use (CapabilityAccessManager's consent store: a
LastUsedTimeStop of 0 means in use now). macOS does not tell other programs, which is said plainly.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from checks.computer.common import cannot
from checks.model import Finding, Severity

AREA = "camera"
CAMERA = re.compile(r"^/dev/video\d+$")
MICROPHONE = re.compile(r"^/dev/snd/pcmC\d+D\d+c$")
CONSENT_STORE = r"SOFTWARE\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"


@dataclass
class InUse:
    camera: dict[int, str] = field(default_factory=dict)  # pid -> program name
    microphone: dict[int, str] = field(default_factory=dict)
    hidden: int = 0  # processes whose open files this user may not see


def _name(pid_dir: Path) -> str:
    try:
        return (pid_dir / "comm").read_text().strip() or pid_dir.name
    except OSError:
        return pid_dir.name


def linux_in_use(
    proc: Path = Path("/proc"), camera: re.Pattern[str] = CAMERA, microphone: re.Pattern[str] = MICROPHONE
) -> InUse:
    """Programs with a camera or capture device open. Processes can end mid-walk: they are skipped."""
    found = InUse()
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            fds = list((pid_dir / "fd").iterdir())
        except PermissionError:
            found.hidden += 1
            continue
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            for pattern, users in ((camera, found.camera), (microphone, found.microphone)):
                if pattern.match(target):
                    users[int(pid_dir.name)] = _name(pid_dir)
    return found


class Registry(Protocol):
    """The part of the Windows registry (HKEY_CURRENT_USER) the check reads."""

    def subkeys(self, path: str) -> list[str]: ...

    def value(self, path: str, name: str) -> int | None: ...


class WinRegistry:
    def __init__(self) -> None:
        import winreg

        self.winreg: Any = winreg  # typed as Any: its stubs exist only for Windows

    def subkeys(self, path: str) -> list[str]:
        try:
            with self.winreg.OpenKey(self.winreg.HKEY_CURRENT_USER, path) as key:
                count = self.winreg.QueryInfoKey(key)[0]
                return [self.winreg.EnumKey(key, i) for i in range(count)]
        except OSError:
            return []

    def value(self, path: str, name: str) -> int | None:
        try:
            with self.winreg.OpenKey(self.winreg.HKEY_CURRENT_USER, path) as key:
                return int(self.winreg.QueryValueEx(key, name)[0])
        except (OSError, ValueError, TypeError):
            return None


def windows_in_use(registry: Registry, capability: str) -> list[str]:
    """The apps using `capability` ("webcam" or "microphone") now: started, and not yet stopped."""
    base = f"{CONSENT_STORE}\\{capability}"
    users = []
    for app in registry.subkeys(base):
        paths = (
            [f"{base}\\NonPackaged\\{sub}" for sub in registry.subkeys(f"{base}\\NonPackaged")]
            if app == "NonPackaged"
            else [f"{base}\\{app}"]
        )
        for path in paths:
            start, stop = registry.value(path, "LastUsedTimeStart"), registry.value(path, "LastUsedTimeStop")
            if start and stop == 0:
                users.append(path.rsplit("\\", 1)[1].replace("#", "\\"))
    return users


def _say(device: str, users: list[str], hidden: int, present: bool = True) -> Finding:
    what = {"camera": "camera", "microphone": "microphone"}[device]
    if not present:
        return Finding(
            f"computer.{device}.none",
            AREA,
            Severity.OK,
            f"No {what} was found on this computer",
            f"If one is plugged in later (for example a USB {what}), check again.",
            {},
        )
    if users:
        names = ", ".join(sorted(set(users)))
        return Finding(
            f"computer.{device}.in_use",
            AREA,
            Severity.MEDIUM,
            f"The {what} is in use now, by {names}",
            f"Check that you expect {names} to be using the {what}. If not, quit it; if you do not know the "
            "program, find out what it is before a session.",
            {"programs": sorted(set(users))},
        )
    note = (
        f" {hidden} programs of other users could not be looked at; run as an administrator to include them."
        if hidden
        else ""
    )
    return Finding(
        f"computer.{device}.idle",
        AREA,
        Severity.OK,
        f"The {what} is not in use now",
        f"No program this computer shows has the {what} open.{note}",
        {"hidden": hidden},
    )


def check(
    platform: str = sys.platform,
    registry: Callable[[], Registry] = WinRegistry,
    proc: Path = Path("/proc"),
    dev: Path = Path("/dev"),
) -> list[Finding]:
    if platform.startswith("linux"):
        if not proc.is_dir():
            return [
                cannot(AREA, "camera", "the camera and microphone", "This system does not show its programs.")
            ]
        found = linux_in_use(proc)
        cameras = any(CAMERA.match(f"/dev/{p.name}") for p in dev.glob("video*"))
        microphones = any(MICROPHONE.match(f"/dev/snd/{p.name}") for p in (dev / "snd").glob("pcm*c"))
        return [
            _say("camera", list(found.camera.values()), found.hidden, cameras or bool(found.camera)),
            _say(
                "microphone",
                list(found.microphone.values()),
                found.hidden,
                microphones or bool(found.microphone),
            ),
        ]
    if platform == "win32":
        reg = registry()
        return [
            _say("camera", windows_in_use(reg, "webcam"), 0),
            _say("microphone", windows_in_use(reg, "microphone"), 0),
        ]
    return [
        cannot(
            AREA,
            "camera",
            "whether the camera or microphone is in use",
            "This system does not let other programs see which app uses the camera or microphone. Look for "
            "the light beside the camera, and for the green or orange dot at the top of the screen.",
        )
    ]
