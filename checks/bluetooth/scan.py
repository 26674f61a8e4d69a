"""A Bluetooth Low Energy listen for the room check, with bleak: it never connects to or pairs with anything.

Passive where the system allows it: on Linux (BlueZ) a passive scan needs "or patterns" (an advertisement
monitor); on Windows bleak scans passively as asked. macOS (CoreBluetooth) has no passive scan, and a
BlueZ without advertisement monitors cannot do one either: there the scan is active, which means the
adapter asks nearby devices for their scan response (the second half of their announcement). Even then
nothing here ever connects, pairs, reads or writes: bleak's BleakClient is never used.

Every advertisement, from the real scanner or from a test, goes through Collector.seen.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checks.bluetooth import rules
from checks.bluetooth.advert import Advert, from_bleak
from checks.bluetooth.devices import SOURCE, build
from checks.network.classify import Device
from checks.text import one_line

DEFAULT_SECONDS = 10.0
MAX_DEVICES = 500  # distinct addresses kept; a flood of made-up ones stops there
SYS_BLUETOOTH = Path("/sys/class/bluetooth")
NO_RADIO = "SAFESPACE_NO_RADIO"  # set: never listen (the test suite sets it, so no test uses a radio)

NOT_SEEN = (
    "Bluetooth can only show devices that are switched on and announcing themselves. A tracker that is "
    "switched off or out of battery is invisible. A tracker close to its owner's phone says only that it "
    "is near its owner, and to a scan it can look like one more of that person's devices. This check "
    "listens only: it never connects to or pairs with anything."
)

_TURN_ON = {
    "linux": "turn Bluetooth on in Settings > Bluetooth (or run: rfkill unblock bluetooth)",
    "win32": "turn Bluetooth on in Settings > Bluetooth & devices",
    "darwin": "turn Bluetooth on in System Settings > Bluetooth",
}
_PERMISSION = {
    "darwin": "allow SafeSpace in System Settings > Privacy & Security > Bluetooth",
    "win32": "allow apps to use Bluetooth in Settings > Privacy & security > Radios",
    "linux": "make sure your account may use Bluetooth (the bluetooth group on some systems)",
}


def _platform() -> str:
    return "linux" if sys.platform.startswith("linux") else sys.platform


def message(kind: str) -> str:
    """What a person reads when Bluetooth cannot be used, with how to turn it on."""
    plat = _platform()
    turn_on = _TURN_ON.get(plat, "turn Bluetooth on in this computer's settings")
    after = "Then run the check again. Until then, a phone can check for trackers: " + rules.PHONE_CHECKS
    if kind == "no-adapter":
        return (
            "Bluetooth was not checked: this computer has no Bluetooth adapter that SafeSpace can use, so "
            f"trackers and phones nearby could not be seen. If it has Bluetooth, {turn_on}. " + after
        )
    if kind == "off":
        return f"Bluetooth was not checked: Bluetooth is switched off. To check it, {turn_on}. " + after
    if kind == "permission":
        how = _PERMISSION.get(plat, "allow SafeSpace to use Bluetooth in this computer's settings")
        return f"Bluetooth was not checked: SafeSpace is not allowed to use it. To allow it, {how}. " + after
    if kind == "service":
        return (
            "Bluetooth was not checked: the computer's Bluetooth service is not running. Start it (on most "
            "Linux systems: sudo systemctl start bluetooth), or " + turn_on + ". " + after
        )
    return f"Bluetooth was not checked: {kind}. " + after


@dataclass
class BluetoothResult:
    devices: list[Device] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    mode: str | None = None  # "passive" or "active"; None when no scan could run
    cancelled: bool = False
    silent: int = 0  # devices heard that said nothing about what they are and gave no name

    @property
    def scanned(self) -> bool:
        return self.mode is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": SOURCE,
            "scanned": self.scanned,
            "mode": self.mode,
            "cancelled": self.cancelled,
            "problems": list(self.problems),
            "unidentified": self.silent,
            "note": NOT_SEEN,
            "devices": [d.to_dict() | {"source": SOURCE} for d in self.devices],
        }


class Collector:
    """Keeps the latest advertisement of each address; the scanner's callback and the tests call `seen`."""

    def __init__(self, on_device: Callable[[Device], None] | None = None) -> None:
        self._adverts: dict[str, Advert] = {}
        self._shown: dict[str, str] = {}
        self._lock = threading.Lock()
        self._on_device = on_device
        self.dropped = 0

    def seen(self, device: Any, adv: Any) -> None:
        """bleak's detection callback: (BLEDevice, AdvertisementData). Never raises."""
        try:
            a = from_bleak(device, adv)
        except Exception:  # anything a stack hands over that does not fit is dropped, never trusted
            self.dropped += 1
            return
        with self._lock:
            before = self._adverts.get(a.address)
            if before is None and len(self._adverts) >= MAX_DEVICES:
                self.dropped += 1
                return
            if before is not None and a.name is None:
                a.name = before.name  # a scan response carries the name; later packets may not
            self._adverts[a.address] = a
        if self._on_device is not None:
            d = build(a)
            if d is not None and self._shown.get(a.address) != d.explanation:
                self._shown[a.address] = d.explanation
                self._on_device(d)

    def result(self) -> tuple[list[Device], int]:
        """The devices heard, worst first, and how many said nothing about what they are."""
        with self._lock:
            adverts = list(self._adverts.values())
        built = [build(a) for a in adverts]
        devices = [d for d in built if d is not None]
        devices.sort(key=lambda d: (-d.severity.rank, not _away(d), d.label.casefold(), d.id))
        return devices, len(built) - len(devices)


def _away(d: Device) -> bool:
    """A tracker away from its owner: the strongest warning, listed first."""
    return any(f.id == "room.tracker" and f.data.get("separated") for f in d.findings)


def no_adapter_here() -> bool:
    """True when this Linux computer shows no Bluetooth adapter at all (no /sys/class/bluetooth/hci*)."""
    if _platform() != "linux":
        return False
    try:
        return not any(p.name.startswith("hci") for p in SYS_BLUETOOTH.iterdir())
    except OSError:
        return True


def passive_patterns() -> list[tuple[int, int, bytes]]:
    """The BlueZ advertisement-monitor patterns: the makers and services the rules know, and the
    Flags values most devices send (BlueZ reports only advertisements that match one)."""
    from bleak.assigned_numbers import AdvertisementDataType as T

    companies = [0x004C, 0x0006, 0x00E0, 0x0075, 0x0087, 0x0157, 0x009E, 0x0057, 0x012D, 0x038F, 0x027D]
    uuids = [0xFEED, 0xFEEC, 0xFD5A, 0xFE33, 0xFA25, 0xFEAA, 0xFCB2, 0xFE2C, 0x184D, 0x1854, 0x184E]
    out = [(0, int(T.MANUFACTURER_SPECIFIC_DATA), c.to_bytes(2, "little")) for c in companies]
    for u in uuids:
        le = u.to_bytes(2, "little")
        out += [
            (0, int(T.SERVICE_DATA_UUID16), le),
            (0, int(T.COMPLETE_LIST_SERVICE_UUID16), le),
            (0, int(T.INCOMPLETE_LIST_SERVICE_UUID16), le),
        ]
    out += [(0, int(T.FLAGS), bytes([f])) for f in (0x02, 0x04, 0x05, 0x06, 0x0A, 0x18, 0x1A, 0x1B, 0x1E)]
    return out


def _kind_of(error: BaseException) -> str:
    """Which message an error from bleak or the system means."""
    from bleak.exc import BleakBluetoothNotAvailableError, BleakError
    from bleak.exc import BleakBluetoothNotAvailableReason as R

    if isinstance(error, BleakBluetoothNotAvailableError):
        reason = error.reason
        if reason in (R.NO_BLUETOOTH, R.NO_BLE_CENTRAL_ROLE):
            return "no-adapter"
        if reason == R.POWERED_OFF:
            return "off"
        if reason in (R.DENIED_BY_USER, R.DENIED_BY_SYSTEM, R.DENIED_BY_UNKNOWN):
            return "permission"
    text = str(error)
    if isinstance(error, FileNotFoundError | ConnectionRefusedError) or "ServiceUnknown" in text:
        return "service"  # no system D-Bus socket, or no bluetoothd on it
    if isinstance(error, PermissionError) or "AccessDenied" in text or "NotPermitted" in text:
        return "permission"
    if "No Bluetooth adapters" in text or ("adapter" in text and "not found" in text):
        return "no-adapter"
    if "NotReady" in text or "powered" in text.lower():
        return "off"
    if isinstance(error, BleakError | OSError):
        return f"Bluetooth could not be used ({one_line(text, 120) or type(error).__name__})"
    raise error


def _passive_unsupported(error: BaseException) -> bool:
    text = str(error)
    return any(w in text for w in ("passive", "AdvertisementMonitor", "UnknownMethod", "NotSupported"))


Factory = Callable[..., Any]


async def _listen(
    seconds: float, cancel: threading.Event, collector: Collector, factory: Factory, out: BluetoothResult
) -> None:
    plat = _platform()
    modes = ["active"] if plat == "darwin" else ["passive", "active"]
    for mode in modes:
        kwargs: dict[str, Any] = {"scanning_mode": mode}
        if mode == "passive" and plat == "linux":
            kwargs["bluez"] = {"or_patterns": passive_patterns()}
        try:
            scanner = factory(collector.seen, **kwargs)
            await scanner.start()
        except Exception as e:
            if mode == "passive" and _passive_unsupported(e):
                out.problems.append(
                    "This computer's Bluetooth cannot listen passively, so the check asked nearby devices "
                    "for the rest of their announcement (an active scan). It still never connected to or "
                    "paired with anything."
                )
                continue
            raise
        out.mode = mode
        try:
            loop = asyncio.get_running_loop()
            end = loop.time() + seconds
            while loop.time() < end and not cancel.is_set():
                await asyncio.sleep(min(0.1, max(0.0, end - loop.time())))
            out.cancelled = cancel.is_set()
        finally:
            await scanner.stop()
        return


def scan(
    seconds: float = DEFAULT_SECONDS,
    cancel: threading.Event | None = None,
    on_device: Callable[[Device], None] | None = None,
    *,
    factory: Factory | None = None,
    check_adapter: bool = True,
) -> BluetoothResult:
    """Listen for `seconds` (or until `cancel` is set). Never raises for a missing, switched-off or
    forbidden Bluetooth: the result then has no devices and a problem that says how to turn it on.
    factory: what makes the scanner (bleak.BleakScanner unless a test gives another)."""
    out = BluetoothResult()
    if os.environ.get(NO_RADIO):
        out.problems.append(f"Bluetooth was not checked: it is turned off for SafeSpace ({NO_RADIO} is set).")
        return out
    if check_adapter and no_adapter_here():
        out.problems.append(message("no-adapter"))
        return out
    collector = Collector(on_device)
    if factory is None:
        from bleak import BleakScanner

        factory = BleakScanner
    try:
        asyncio.run(_listen(seconds, cancel or threading.Event(), collector, factory, out))
    except Exception as e:
        out.problems.append(message(_kind_of(e)))
    out.devices, out.silent = collector.result()
    if collector.dropped:
        out.problems.append(
            f"{collector.dropped} Bluetooth announcements did not fit any format and were left out."
        )
    return out
