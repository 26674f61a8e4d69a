"""`safespace scan` with Bluetooth: recorded network sources, and the stand-in Bluetooth scanner."""

from __future__ import annotations

import json

import pytest

from checks import cli
from checks.bluetooth import scan as bt
from checks.network import interfaces, scan
from tests.bluetooth.adfixtures import RECORDED, bleak_pair
from tests.bluetooth.test_scan import FakeScanner
from tests.netfixtures import by_protocol, interface, load

REAL_SCAN = bt.scan


@pytest.fixture(autouse=True)
def recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "SOURCES", by_protocol(load()))
    monkeypatch.setattr(interfaces, "list_interfaces", lambda: [interface("lab0", "10.99.0.2/24")])
    FakeScanner.made, FakeScanner.fail = [], {}
    FakeScanner.adverts = [bleak_pair(*RECORDED["airtag-separated"]), bleak_pair(*RECORDED["iphone7"])]


def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(bt.NO_RADIO)
    monkeypatch.setattr(bt, "scan", lambda s, c: REAL_SCAN(s, c, factory=FakeScanner, check_adapter=False))


def test_json_gives_the_bluetooth_devices_with_their_source(capsys, monkeypatch) -> None:
    fake(monkeypatch)
    assert cli.main(["scan", "--seconds", "2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["devices"]) == 6  # the network devices are unchanged
    b = doc["bluetooth"]
    assert b["source"] == "bluetooth" and b["scanned"] and b["problems"] == []
    assert b["devices"][0]["label"] == "AirTag"
    assert all(d["source"] == "bluetooth" for d in b["devices"])


def test_the_summary_shows_trackers_and_what_bluetooth_cannot_see(capsys, monkeypatch) -> None:
    fake(monkeypatch)
    assert cli.main(["scan", "--seconds", "2"]) == 0
    out = capsys.readouterr().out
    assert "Bluetooth (" in out and "A tracker away from its owner: AirTag" in out
    assert "Room check on lab0: 6 devices found." in out and bt.NOT_SEEN in out


def test_no_bluetooth_leaves_it_out(capsys, monkeypatch) -> None:
    fake(monkeypatch)
    assert cli.main(["scan", "--seconds", "2", "--json", "--no-bluetooth"]) == 0
    assert json.loads(capsys.readouterr().out)["bluetooth"] is None and FakeScanner.made == []


@pytest.mark.skipif(
    not bt.no_adapter_here(), reason="this computer has Bluetooth: the tests never use a radio"
)
def test_without_an_adapter_the_scan_says_so_and_the_rest_goes_on(capsys, monkeypatch) -> None:
    monkeypatch.delenv(bt.NO_RADIO)
    assert cli.main(["scan", "--seconds", "2"]) == 0
    out = capsys.readouterr().out
    assert "Room check on lab0: 6 devices found." in out
    assert "Bluetooth was not checked: this computer has no Bluetooth adapter" in out
