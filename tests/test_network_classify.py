"""Sightings merged into one record per device, classified, and their names checked for people."""

from __future__ import annotations

import pytest

from checks.network import classify
from checks.network.names import person_in_name
from checks.network.records import Sighting
from tests.netfixtures import load

VENDORS = {"00:40:8c:12:34:56": "Axis Communications AB", "f0:27:2d:00:00:01": "Amazon Technologies Inc."}


def vendor(mac: str) -> str | None:
    return VENDORS.get(mac)


def test_recorded_room_gives_one_classified_record_per_device() -> None:
    devices = {d.name: d for d in classify.devices(load(), vendor)}
    assert devices["Therapy Room"].device_class == "smart_speaker"
    assert (
        devices["Therapy Room"].mac and len(devices["Therapy Room"].sightings) == 2
    )  # mDNS + neighbour table
    assert devices["Jane Smith's iPhone"].device_class == "phone"
    assert devices["Living Room TV"].label == "Samsung TV"
    assert devices["HIKVISION"].camera is True
    assert devices["Reception Printer"].microphone is False


def test_protocols_merge_by_address_mac_and_identifier() -> None:
    seen = [
        Sighting(
            "ssdp",
            ("192.168.1.40",),
            name="TV",
            keys=("udn:uuid:1",),
            fields={"st": "upnp:rootdevice"},
            ref="a",
        ),
        Sighting("neighbours", ("192.168.1.40",), mac="00:40:8c:12:34:56", ref="b"),
        Sighting("neighbours", ("fe80::2",), mac="00:40:8c:12:34:56", ref="c"),
        Sighting("mdns", ("fe80::2",), name="Cam", kind="_axis-video._tcp", ref="d"),
        Sighting("ssdp", ("192.168.1.99",), keys=("udn:uuid:1",), ref="e"),  # the same UPnP device, moved
        Sighting("mdns", ("192.168.1.7",), name="Other", kind="_ipp._tcp", ref="f"),
    ]
    groups = classify.group(seen)
    assert sorted(len(g) for g in groups) == [1, 5]
    camera = next(d for d in classify.devices(seen, vendor) if d.name != "Other")
    assert camera.id == "mac:00:40:8c:12:34:56" and camera.vendor == "Axis Communications AB"
    assert camera.device_class == "camera" and camera.addresses == ["192.168.1.40", "192.168.1.99", "fe80::2"]


def test_a_device_with_only_a_stale_neighbour_entry_is_not_counted() -> None:
    stale = Sighting(
        "neighbours", ("192.168.1.5",), mac="00:11:22:33:44:55", fields={"stale": "yes"}, ref="x"
    )
    router = Sighting(
        "neighbours", ("192.168.1.1",), mac="00:11:22:33:44:66", fields={"role": "gateway", "stale": "yes"}
    )
    found = classify.devices([stale, router], vendor)
    assert [(d.device_class, d.label) for d in found] == [("network", "Router")]


def test_an_unrecognised_device_says_so_and_what_to_do() -> None:
    [d] = classify.devices(
        [Sighting("neighbours", ("192.168.1.77",), mac="aa:bb:cc:00:11:22", ref="z")], vendor
    )
    assert d.device_class == "other" and d.microphone is None and d.camera is None
    assert d.findings[0].title == "Unrecognised device: a device that SafeSpace cannot identify."
    assert "Unplug anything you cannot account for" in d.findings[0].detail
    [amazon] = classify.devices(
        [Sighting("neighbours", ("192.168.1.78",), mac="f0:27:2d:00:00:01", ref="y")], vendor
    )
    assert amazon.label == "Amazon device" and "Echo" in amazon.explanation


def test_specific_signatures_win_over_general_ones() -> None:
    homepod = Sighting(
        "mdns", ("192.168.1.8",), name="Kitchen", kind="_airplay._tcp", fields={"model": "AudioAccessory5,1"}
    )
    [d] = classify.devices([homepod], vendor)
    assert (d.label, d.device_class, d.microphone) == ("HomePod", "smart_speaker", True)
    assert d.explanation.startswith("HomePod, “Kitchen”: a HomePod")
    assert d.severity.value == "high"
    hub_max = Sighting(
        "mdns", ("192.168.1.9",), kind="_googlecast._tcp", fields={"md": "Google Nest Hub Max", "fn": "Hall"}
    )
    [h] = classify.devices([hub_max], vendor)
    assert (h.device_class, h.camera, h.name) == ("smart_display", True, "Hall")


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Jane Smith's iPhone", "Jane Smith"),
        ("Jane Smith’s MacBook Pro", "Jane Smith"),
        ("iPhone de Marie", "Marie"),
        ("Dr Patel", "Dr Patel"),
        ("Janes-MacBook-Pro.local.", "Janes"),
        ("Bob's Galaxy S21", "Bob"),
        ("Living Room TV", None),
        ("Therapy Room", None),
        ("Kitchen's Echo", None),
        ("Living-Room-iPad", None),
        ("HP LaserJet 400", None),
        ("Google-Nest-Mini-1a2b3c", None),
        ("", None),
    ],
)
def test_names_that_point_to_a_person(name: str, person: str | None) -> None:
    assert person_in_name(name) == person


def test_a_named_phone_gets_its_own_finding() -> None:
    phone = Sighting(
        "mdns",
        ("192.168.1.31",),
        name="Dr Jane Smith's iPhone",
        kind="_companion-link._tcp",
        fields={"rpmd": "iPhone15,2"},
    )
    [d] = classify.devices([phone], vendor)
    named = [f for f in d.findings if f.id == "room.names_person"]
    assert named and named[0].severity.value == "high" and "Rename" in named[0].detail
    assert d.severity.value == "high", "the device's severity is its worst finding"
