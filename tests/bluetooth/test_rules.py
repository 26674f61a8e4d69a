"""Every recognition rule, fed recorded and hand-built advertisements through bleak's own types and the
callback the real scanner uses (Collector.seen)."""

from __future__ import annotations

import json

import pytest

from checks.bluetooth import rules
from checks.bluetooth.devices import bluetooth_classes, device_class
from checks.bluetooth.scan import Collector
from checks.model import Severity
from checks.network.classify import Device
from checks.network.signatures import device_classes
from tests.bluetooth.adfixtures import (
    FLAGS,
    RECORDED,
    bleak_pair,
    findmy,
    maker,
    service_data,
    service_list,
)


def heard(raw: bytes, address: str = "7A:11:22:33:44:55") -> list[Device]:
    c = Collector()
    c.seen(*bleak_pair(address, raw))
    return c.result()[0]


def cited(d: Device) -> set[str]:
    return {line.split("“")[1].split("”")[0] for line in d.evidence if line.startswith("Rule “")}


# One advertisement per rule, for the test that every rule has a source and is exercised.
ONE_PER_RULE = [
    RECORDED["airtag-separated"][1],
    RECORDED["iphone7"][1],
    FLAGS + service_list(0xFEED),
    FLAGS + service_data(0xFD5A, b"\x13"),
    service_data(0xFE33, b"\x01"),
    service_list(0xFA25),
    service_data(0xFEAA, b"\x40" + bytes(20)),
    service_data(0xFCB2, b"\x02\x00"),
    maker(0x004C, bytes([0x07, 0x19, 0x01, 0x0E, 0x20]) + bytes(22)),
    maker(0x0006, b"\x01\x09\x20"),
    maker(0x0006, b"\x03\x00\x80Mouse"),
    service_data(0xFE2C, b"\x01\x02\x03"),
    service_list(0x184D),
    maker(0x0087, b"\x01"),
]


def one(raw: bytes, address: str = "7A:11:22:33:44:55") -> Device:
    devices = heard(raw, address)
    assert len(devices) == 1, devices
    return devices[0]


def tracker_finding(d: Device):
    return next(f for f in d.findings if f.id == "room.tracker")


# Apple Find My ------------------------------------------------------------------------------------------


def test_a_recorded_airtag_away_from_its_owner_is_the_strongest_warning() -> None:
    d = one(RECORDED["airtag-separated"][1], RECORDED["airtag-separated"][0])
    assert (d.label, d.device_class, d.severity) == ("AirTag", "tracker", Severity.HIGH)
    t = tracker_finding(d)
    assert t.severity == Severity.HIGH and t.data["separated"] is True
    assert "away from its owner" in t.title
    # the key's first bytes (public key bytes 6-11) are what can be remembered across checks
    assert d.id == "findmy:2807ce0b3c33" and "findmy:2807ce0b3c33" in d.keys
    assert "Scan now" in t.detail and "Tracking Notifications" in t.detail and "play a sound" in t.detail
    assert "visitor" in t.detail
    assert (d.microphone, d.camera, d.addresses, d.mac) == (False, False, [], None)


def test_a_recorded_airtag_near_its_owner_is_worth_checking_not_alarming() -> None:
    d = one(RECORDED["airtag-near"][1], RECORDED["airtag-near"][0])
    assert (d.label, d.severity) == ("AirTag", Severity.MEDIUM)
    assert tracker_finding(d).data["separated"] is False
    assert d.id == "bt:DF:A4:65:1A:52:72"  # no key to remember: the address rotates


@pytest.mark.parametrize(
    ("status", "separated", "label", "cls", "is_tracker"),
    [
        (0x10, True, "AirTag", "tracker", True),
        (
            0x20,
            True,
            "Find My accessory (a tracker made by another company for Apple's network)",
            "tracker",
            True,
        ),
        (
            0x60,
            False,
            "Find My accessory (a tracker made by another company for Apple's network)",
            "tracker",
            True,
        ),
        (0x30, True, "AirPods (on the Find My network)", "headphones", True),
        (0x30, False, "AirPods (on the Find My network)", "headphones", False),
        (0x00, True, "Apple device on the Find My network", "phone", False),
    ],
)
def test_the_find_my_status_byte_tells_the_kind(status, separated, label, cls, is_tracker) -> None:
    d = one(findmy(status, separated))
    assert (d.label, d.device_class) == (label, cls)
    assert any(f.id == "room.tracker" for f in d.findings) is is_tracker
    if is_tracker and separated:
        assert d.severity == Severity.HIGH


def test_a_recorded_iphone_on_the_find_my_network_is_a_phone_not_a_tracker() -> None:
    d = one(RECORDED["iphonex-findmy"][1])
    assert d.device_class == "phone" and not any(f.id == "room.tracker" for f in d.findings)


@pytest.mark.parametrize("name", ["iphone7", "macbookpro", "appletv", "iphone-handoff"])
def test_recorded_apple_continuity_messages_show_an_apple_device(name: str) -> None:
    d = one(RECORDED[name][1])
    assert d.label == "Apple device (iPhone, iPad, Mac, Apple Watch or Apple TV)"
    assert d.severity == Severity.LOW and d.microphone is None


@pytest.mark.parametrize(
    ("model", "label"),
    [
        (0x0220, "AirPods"),
        (0x0E20, "AirPods Pro"),
        (0x2420, "AirPods Pro 2"),
        (0x0A20, "AirPods Max"),
        (0x0620, "Beats Solo3"),
        (0x9999, "Apple or Beats earbuds or headphones"),
    ],
)
def test_apple_proximity_pairing_names_the_earbuds(model: int, label: str) -> None:
    body = bytes([0x07, 0x19, 0x01]) + model.to_bytes(2, "big") + bytes(22)
    d = one(FLAGS + maker(0x004C, body))
    assert (d.label, d.device_class, d.microphone, d.camera) == (label, "headphones", True, False)


@pytest.mark.parametrize(
    ("kind", "label", "cls"),
    [
        (0x0B, "Apple Watch", "watch"),
        (0x0E, "iPhone or cellular iPad", "phone"),
        (0x09, "AirPlay receiver (Apple TV, HomePod or a Mac)", "tv"),
    ],
)
def test_other_apple_messages(kind: int, label: str, cls: str) -> None:
    d = one(maker(0x004C, bytes([kind, 0x04, 1, 2, 3, 4])))
    assert (d.label, d.device_class) == (label, cls)


# Other trackers -----------------------------------------------------------------------------------------


def test_tile_by_its_service() -> None:
    for raw in (
        FLAGS + service_list(0xFEED),
        FLAGS + service_data(0xFEEC, b"\x02\x00\x01\x02\x03\x04\x05\x06"),
    ):
        d = one(raw)
        assert (d.label, d.device_class, d.severity) == ("Tile tracker", "tracker", Severity.MEDIUM)
        assert tracker_finding(d).data["separated"] is None


@pytest.mark.parametrize(
    ("first", "separated", "severity"),
    [
        (0x13, True, Severity.HIGH),
        (0x12, True, Severity.HIGH),
        (0x11, None, Severity.MEDIUM),
        (0x15, False, Severity.MEDIUM),
    ],
)
def test_samsung_smarttag_state_from_its_service_data(first: int, separated, severity) -> None:
    d = one(FLAGS + service_data(0xFD5A, bytes([first]) + bytes(range(1, 13))))
    assert (d.label, d.severity) == ("Samsung SmartTag", severity)
    assert tracker_finding(d).data["separated"] is separated


def test_chipolo_and_pebblebee() -> None:
    assert one(FLAGS + service_data(0xFE33, b"\x01\x02\x03")).label == "Chipolo tracker"
    assert one(FLAGS + service_list(0xFA25)).label == "Pebblebee tracker"


def test_google_find_hub_tags_and_their_protection_mode() -> None:
    eid = bytes(range(20)) + b"\x00"
    normal = one(FLAGS + service_list(0xFEAA) + service_data(0xFEAA, b"\x40" + eid))
    assert (normal.label, normal.severity) == ("Tracker on Google's Find Hub network", Severity.MEDIUM)
    protecting = one(service_data(0xFEAA, b"\x41" + eid))
    assert protecting.severity == Severity.HIGH and tracker_finding(protecting).data["separated"] is True
    # an ordinary Eddystone beacon (UID frame) is not a tracker, and says nothing else
    assert heard(service_data(0xFEAA, b"\x00" + bytes(17))) == []


def test_dult_trackers_and_their_near_owner_bit() -> None:
    away = one(service_data(0xFCB2, b"\x02\x00" + bytes(8)))
    assert away.severity == Severity.HIGH and "Google's network" in " ".join(away.evidence)
    near = one(service_data(0xFCB2, b"\x07\x01"))
    assert near.severity == Severity.MEDIUM and tracker_finding(near).data["separated"] is False


# Phones, computers, earbuds, listening devices ---------------------------------------------------------


@pytest.mark.parametrize(
    ("dtype", "label", "cls"),
    [
        (9, "Windows desktop computer", "computer"),
        (15, "Windows laptop", "computer"),
        (8, "Android phone or tablet", "phone"),
        (7, "iPad", "tablet"),
        (1, "Xbox One", "tv"),
        (0x20 | 15, "Windows laptop", "computer"),
    ],
)
def test_microsoft_connected_devices_beacon(dtype: int, label: str, cls: str) -> None:
    d = one(maker(0x0006, bytes([0x01, dtype, 0x20]) + bytes(24)))
    assert (d.label, d.device_class) == (label, cls)


def test_swift_pair_carries_a_name_and_the_name_check_is_the_network_scans() -> None:
    d = one(maker(0x0006, b"\x03\x00\x80" + b"Jane Smith's Surface Headphones"))
    assert d.name == "Jane Smith's Surface Headphones"
    person = next(f for f in d.findings if f.id == "room.names_person")
    assert person.severity == Severity.HIGH and person.data["person"] == "Jane Smith"
    assert d.severity == Severity.HIGH


def test_a_broadcast_name_that_names_a_person() -> None:
    d = one(FLAGS + maker(0x004C, bytes.fromhex("1006061a396363ce")) + b"\x14\x09" + b"Jane Smith's iPhone")
    assert d.name == "Jane Smith's iPhone" and any(f.id == "room.names_person" for f in d.findings)
    room = one(FLAGS + maker(0x0057, b"\x01\x02") + b"\x0f\x09" + b"Therapy Room 2")
    assert room.name == "Therapy Room 2" and not any(f.id == "room.names_person" for f in room.findings)
    assert room.label == "Harman (JBL) speaker or headphones" and room.device_class == "speaker"


def test_fast_pair_hearing_aids_and_microphones() -> None:
    assert one(FLAGS + service_data(0xFE2C, b"\x2c\x00\x11")).device_class == "headphones"
    hearing = one(FLAGS + service_list(0x1854))
    assert (hearing.device_class, hearing.severity, hearing.microphone) == ("hearing", Severity.INFO, True)
    mic = one(FLAGS + service_list(0x184D))
    assert (mic.device_class, mic.severity, mic.microphone) == ("listening", Severity.MEDIUM, True)
    assert one(FLAGS + service_list(0x184E)).device_class == "speaker"


def test_makers_alone() -> None:
    garmin = one(FLAGS + maker(0x0087, b"\x00\x01\x02"))
    assert (garmin.label, garmin.device_class) == ("Garmin watch or fitness device", "watch")
    samsung = one(FLAGS + maker(0x0075, b"\x42\x04\x01"))
    assert samsung.label == "Samsung device" and "did not say what kind" in samsung.explanation


def test_a_device_that_says_nothing_is_counted_not_listed() -> None:
    c = Collector()
    c.seen(*bleak_pair("11:22:33:44:55:66", FLAGS + maker(0x0999, b"\x01")))
    assert c.result() == ([], 1)


def test_trackers_come_first_when_a_device_matches_several_rules() -> None:
    d = one(
        FLAGS
        + service_list(0xFE2C)
        + service_data(0xFCB2, b"\x02\x00")
        + service_data(0xFE2C, b"\x01\x02\x03")
    )
    assert d.device_class == "tracker" and d.findings[1].id == "room.tracker"


# Sources and kinds ---------------------------------------------------------------------------------------


def test_every_rule_has_a_public_source_and_every_source_a_rule_and_a_test() -> None:
    known = rules.sources()
    for rule, entry in known.items():
        assert entry["what"] and entry["last_verified"]
        assert entry["sources"] and all(
            s["url"].startswith("https://") and len(s["title"]) > 10 for s in entry["sources"]
        ), rule
    seen = set().union(*(cited(one(raw)) for raw in ONE_PER_RULE))
    assert seen == set(known), "every rule is cited by a device, and every cited rule has a source"


def test_the_bluetooth_kinds_are_valid_and_do_not_clash_with_the_network_ones() -> None:
    ours = bluetooth_classes()
    assert set(ours) == {"tracker", "headphones", "watch", "speaker", "hearing", "listening"}
    assert not set(ours) & set(device_classes())
    assert device_class("phone").label == "Phone"


def test_a_device_is_plain_json() -> None:
    d = one(RECORDED["airtag-separated"][1])
    doc = json.loads(json.dumps(d.to_dict()))
    assert doc["sightings"][0]["protocol"] == "bluetooth"
    assert all(f["data"]["source"] == "bluetooth" for f in doc["findings"])
