"""The room check's device list as a model: each device put in its place with one bisect (never a sort of
the whole list per device), in the page's order, with the selection kept on its device as others arrive.
The time it takes is measured by tests/bench/bench_gui.py, not here."""

from __future__ import annotations

import dataclasses
import random
import subprocess
import sys

from app.widgets import device_list
from app.widgets.device_list import DeviceList
from checks import room_check
from checks.model import Severity
from checks.network.classify import Device


def fake_device(n: int, severity: Severity = Severity.LOW, status: str = "new") -> Device:
    return Device(
        id=f"dev-{n:04}", name=f"Device {n:04}", addresses=[f"10.0.{n // 250}.{n % 250}"], mac=None,
        vendor=None, device_class="smart_speaker", label="Smart speaker", microphone=n % 2 == 0, camera=False,
        confidence="medium", severity=severity, explanation=f"Device {n:04}: a smart speaker", advice="",
        evidence=[], findings=[], keys=[f"k{n}"], status=status,
    )  # fmt: skip


def test_a_thousand_devices_are_each_put_in_place_once(qtbot, monkeypatch) -> None:
    view = DeviceList()
    qtbot.addWidget(view)
    calls = {"sorts": 0}

    def no_sort(*_a: object) -> None:
        calls["sorts"] += 1

    monkeypatch.setattr(view.model_, "sort", no_sort)
    rng = random.Random(7)
    devices = [fake_device(n, rng.choice(list(Severity)), rng.choice(["new", "known"])) for n in range(1000)]
    for d in devices:
        view.put(d)
    assert calls["sorts"] == 0 and view.model_.inserts == 1000
    shown = view.devices()
    assert shown == sorted(devices, key=device_list._order), "in the page's order, worst and new first"
    assert view.count() == 1000 and view.text(0).split("\n")[0] == room_check.shown_name(shown[0])


def test_an_update_moves_only_its_row_and_the_selection_follows_its_device(qtbot) -> None:
    view = DeviceList()
    qtbot.addWidget(view)
    for n in range(20):
        view.put(fake_device(n))
    view.setCurrentRow(5)
    chosen = view.current_device()
    assert chosen is not None
    seen: list[Device] = []
    view.selected.connect(seen.append)
    worse = dataclasses.replace(chosen, severity=Severity.HIGH)  # what is now known of it: it moves up
    view.put(worse)
    assert view.devices()[0].id == chosen.id and view.current_device() is worse
    assert seen and seen[-1] is worse, "the details shown are brought up to date"
    other = fake_device(99, Severity.HIGH)
    view.put(other)  # another device arriving does not take the selection
    assert view.current_device() is worse
    view.put(fake_device(100), replaced=(other.id,))  # merged rows go
    assert view.model_.device(other.id) is None and view.count() == 21


def test_the_network_stack_is_imported_only_when_a_scan_starts() -> None:
    code = (
        "import sys, os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from app.application import create_app, main_window\n"
        "create_app(); w = main_window()\n"
        "names = ('checks.network.scan', 'aiohttp', 'async_upnp_client', 'zeroconf')\n"
        "print([m for m in names if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_words_and_limits_copied_from_the_scanner_are_the_same() -> None:
    from checks.network import scan

    assert room_check.NOT_PRESENT == scan.NOT_PRESENT
    assert (int(scan.MIN_SECONDS), int(scan.MAX_SECONDS)) == room_check.SCAN_SECONDS
