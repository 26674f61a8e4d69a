"""The scanner: bleak's scanner replaced by a stand-in that hands bleak's own types to the same callback
the real one gets; the failures bleak reports; and, on this machine, the real path without an adapter."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from bleak.args.bluez import OrPattern
from bleak.exc import BleakBluetoothNotAvailableError, BleakError
from bleak.exc import BleakBluetoothNotAvailableReason as R

from checks.bluetooth import scan
from tests.bluetooth.adfixtures import RECORDED, bleak_pair

HAS_ADAPTER = Path("/sys/class/bluetooth").is_dir() and any(
    p.name.startswith("hci") for p in Path("/sys/class/bluetooth").iterdir()
)


class FakeScanner:
    """Stands in for bleak.BleakScanner: the same constructor, start and stop, and nothing else (no way to
    connect). Delivers its advertisements to the detection callback when started."""

    made: ClassVar[list[dict]] = []
    adverts: ClassVar[list] = []
    fail: ClassVar[dict[str, BaseException]] = {}

    def __init__(self, detection_callback, **kwargs) -> None:
        self.callback = detection_callback
        self.kwargs = kwargs
        self.stopped = False
        FakeScanner.made.append({"kwargs": kwargs, "scanner": self})

    async def start(self) -> None:
        error = FakeScanner.fail.get(self.kwargs["scanning_mode"])
        if error:
            raise error
        for pair in FakeScanner.adverts:
            self.callback(*pair)

    async def stop(self) -> None:
        self.stopped = True


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite sets SAFESPACE_NO_RADIO; here the scanner is the stand-in (or, below, there is no adapter).
    monkeypatch.delenv(scan.NO_RADIO)
    FakeScanner.made, FakeScanner.fail = [], {}
    FakeScanner.adverts = [bleak_pair(addr, raw) for addr, raw in RECORDED.values()]


def test_the_test_suite_never_listens(monkeypatch) -> None:
    monkeypatch.setenv(scan.NO_RADIO, "1")
    out = scan.scan(0.01, factory=FakeScanner, check_adapter=False)
    assert FakeScanner.made == [] and "turned off" in out.problems[0]


def test_a_scan_feeds_the_callback_and_finds_the_recorded_devices() -> None:
    streamed = []
    out = scan.scan(0.05, on_device=streamed.append, factory=FakeScanner, check_adapter=False)
    assert out.problems == [] and not out.cancelled
    labels = sorted(d.label for d in out.devices)
    assert labels.count("AirTag") == 2 and len(out.devices) == len(RECORDED)
    assert out.devices[0].severity.value == "high"  # worst first: the separated AirTag
    assert {d.id for d in streamed} == {d.id for d in out.devices}
    (made,) = FakeScanner.made
    assert made["scanner"].stopped
    doc = out.to_dict()
    assert doc["source"] == "bluetooth" and all(d["source"] == "bluetooth" for d in doc["devices"])
    assert "never connects" in doc["note"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="BlueZ passive scanning")
def test_on_linux_it_asks_for_a_passive_scan_with_valid_patterns() -> None:
    scan.scan(0.01, factory=FakeScanner, check_adapter=False)
    kwargs = FakeScanner.made[0]["kwargs"]
    assert kwargs["scanning_mode"] == "passive"
    patterns = [OrPattern(*p) for p in kwargs["bluez"]["or_patterns"]]
    assert (0, 0xFF, b"\x4c\x00") in patterns and (0, 0x16, b"\xed\xfe") in patterns
    assert all(p.content_of_pattern for p in patterns)


def test_without_passive_support_it_scans_actively_and_says_so() -> None:
    FakeScanner.fail = {"passive": BleakError("passive scanning mode requires bluez or_patterns")}
    out = scan.scan(0.01, factory=FakeScanner, check_adapter=False)
    assert out.mode == "active" and out.devices
    assert [m["kwargs"]["scanning_mode"] for m in FakeScanner.made] == ["passive", "active"]
    assert "never connected to or paired" in out.problems[0]


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (BleakBluetoothNotAvailableError("off", R.POWERED_OFF), "Bluetooth is switched off"),
        (BleakBluetoothNotAvailableError("no", R.NO_BLUETOOTH), "no Bluetooth adapter"),
        (BleakBluetoothNotAvailableError("denied", R.DENIED_BY_USER), "not allowed to use it"),
        (FileNotFoundError(2, "No such file or directory"), "Bluetooth service is not running"),
        (
            BleakError("[org.freedesktop.DBus.Error.ServiceUnknown] The name org.bluez was not provided"),
            "Bluetooth service is not running",
        ),
        (BleakError("something else \x1b[2J"), "Bluetooth could not be used"),
    ],
)
def test_bluetooth_that_cannot_be_used_is_said_in_words_with_how_to_turn_it_on(error, words) -> None:
    FakeScanner.fail = {"passive": error, "active": error}
    out = scan.scan(0.01, factory=FakeScanner, check_adapter=False)
    assert out.devices == [] and out.mode is None and not out.to_dict()["scanned"]
    (problem,) = out.problems
    assert words in problem and "Scan now" in problem and "\x1b" not in problem
    if "adapter" not in words and "could not" not in words:
        assert "Settings" in problem or "systemctl" in problem


def test_a_cancelled_scan_stops_at_once_and_says_so() -> None:
    cancel = threading.Event()
    cancel.set()
    out = scan.scan(600, cancel=cancel, factory=FakeScanner, check_adapter=False)
    assert out.cancelled and FakeScanner.made[0]["scanner"].stopped and out.devices


def test_the_scanner_never_connects() -> None:
    """No module of the Bluetooth check uses bleak's client (the only way bleak connects or pairs)."""
    for path in Path(scan.__file__).parent.glob("*.py"):
        code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
        assert "BleakClient(" not in code and "import BleakClient" not in code
        assert ".connect(" not in code and ".pair(" not in code


@pytest.mark.skipif(HAS_ADAPTER, reason="this computer has a Bluetooth adapter: the tests never use a radio")
def test_on_this_computer_without_an_adapter_the_real_scan_says_so() -> None:
    out = scan.scan(0.5)
    (problem,) = out.problems
    assert "no Bluetooth adapter" in problem and out.mode is None and out.devices == []


@pytest.mark.skipif(HAS_ADAPTER, reason="this computer has a Bluetooth adapter: the tests never use a radio")
def test_on_this_computer_the_real_bleak_fails_in_words_not_a_traceback() -> None:
    out = scan.scan(0.5, check_adapter=False)  # through bleak and the system for real
    (problem,) = out.problems
    assert problem.startswith("Bluetooth was not checked:") and out.mode is None
