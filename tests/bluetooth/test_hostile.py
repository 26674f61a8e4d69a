"""What anyone nearby can broadcast: truncated, overlong and malformed payloads, names with control and
bidi characters, floods of made-up devices, and values of the wrong type from a stack. All go through the
scanner's own callback (Collector.seen) with bleak's types."""

from __future__ import annotations

import json
import random

from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData

from checks.bluetooth import advert, scan
from checks.bluetooth.scan import Collector
from checks.model import Severity
from tests.bluetooth.adfixtures import FLAGS, bleak_pair, maker, uuid16


def result(*pairs) -> tuple[list, int, Collector]:
    c = Collector()
    for pair in pairs:
        c.seen(*pair)
    devices, silent = c.result()
    return devices, silent, c


def test_truncated_find_my_messages_are_not_trackers() -> None:
    for body in (b"\x12", b"\x12\x19", b"\x12\x19\x10" + bytes(10), b"\x12\x02\x10", b"\x12\x07\x10\x00"):
        devices, _, _ = result(bleak_pair("7A:00:00:00:00:01", maker(0x004C, body)))
        assert all(d.device_class != "tracker" for d in devices), body
        assert all(not any(f.id == "room.tracker" for f in d.findings) for d in devices)


def test_truncated_or_empty_service_data_does_not_crash_or_claim_a_state() -> None:
    devices, _, _ = result(
        bleak_pair("7A:00:00:00:00:02", service_data=({uuid16(0xFD5A): b""})),
        bleak_pair("7A:00:00:00:00:03", service_data=({uuid16(0xFCB2): b"\x02"})),
        bleak_pair("7A:00:00:00:00:04", service_data=({uuid16(0xFEAA): b""})),
        bleak_pair("7A:00:00:00:00:05", manufacturer={0x0006: b"\x01"}),
    )
    smarttag = next(d for d in devices if d.label == "Samsung SmartTag")
    assert smarttag.confidence == "medium" and smarttag.severity == Severity.MEDIUM
    assert not any(d.label.startswith("Tracker (industry") for d in devices)  # one byte is not DULT


def test_overlong_payloads_are_cut_and_counted_entries_are_bounded() -> None:
    huge = {c: bytes([0x12, 0x19]) + bytes(100_000) for c in range(1000)}
    services = {uuid16(u): bytes(5000) for u in range(0x1000, 0x1400)}
    devices, _, c = result(
        bleak_pair(
            "7A:00:00:00:00:06",
            manufacturer=huge,
            service_data=services,
            uuids=[uuid16(u) for u in range(2000)],
        )
    )
    a = next(iter(c._adverts.values()))
    assert len(a.manufacturer_data) == advert.MAX_ENTRIES and len(a.service_data) == advert.MAX_ENTRIES
    assert max(len(v) for v in a.manufacturer_data.values()) == advert.MAX_BYTES
    assert len(a.service_uuids) == advert.MAX_ENTRIES
    assert len(json.dumps([d.to_dict() for d in devices])) < 50_000


def test_names_with_control_and_bidi_characters_are_made_plain_and_short() -> None:
    hostile = "\u202eenohPi s'enaJ\x1b[2J\x07\r\nRebecca's iPhone\u0000" + "x" * 10_000
    devices, _, _ = result(
        bleak_pair("7A:00:00:00:00:07", name=hostile, manufacturer={0x004C: b"\x10\x02\x00\x00"})
    )
    (d,) = devices
    assert d.name is not None and d.name.isprintable() and len(d.name) <= advert.MAX_NAME
    assert "\x1b" not in d.name and "\u202e" not in d.name and "\n" not in d.name
    text = json.dumps(d.to_dict(), ensure_ascii=False)
    assert "\x1b" not in text and "\u202e" not in text


def test_a_name_of_only_control_characters_is_no_name() -> None:
    devices, silent, _ = result(bleak_pair("7A:00:00:00:00:08", name="\x00\x01\x1b\u200f"))
    assert devices == [] and silent == 1


def test_the_address_bluez_uses_as_a_name_is_not_a_name() -> None:
    pair = bleak_pair("7A:00:00:00:00:09", FLAGS)
    assert pair[0].name == "7A-00-00-00-00-09"
    assert result(pair)[:2] == ([], 1)


def test_values_of_the_wrong_type_are_dropped_not_trusted() -> None:
    adv = AdvertisementData(
        local_name=b"\xff\xfeJane's iPad",  # type: ignore[arg-type]
        manufacturer_data={"0x004C": b"\x10", -1: b"\x10", 0x10000: b"x", 0x004C: "not bytes"},  # type: ignore[dict-item]
        service_data={"feed": b"\x00", "not-a-uuid": b"\x00", 5: b"\x00"},  # type: ignore[dict-item]
        service_uuids=["garbage", None, 0xFEED, "0000fa25-0000-1000-8000-00805f9b34fb"],  # type: ignore[list-item]
        tx_power=None,
        rssi=10**9,
        platform_data=(),
    )
    devices, _, _ = result((BLEDevice("7A:00:00:00:00:0A", None, None), adv))
    labels = {d.label for d in devices}
    assert labels == {"Tile tracker"}  # 0xFEED as service data key "feed"; the rest is dropped
    (d,) = devices
    assert d.name == "\ufffd\ufffdJane's iPad" and d.sightings[0].fields.get("rssi") == ""


def test_objects_without_an_address_are_counted_and_dropped() -> None:
    c = Collector()
    c.seen(None, None)
    c.seen(BLEDevice("", None, None), None)
    assert c.dropped == 2 and c.result() == ([], 0)


def test_random_bytes_never_crash_and_always_give_plain_json() -> None:
    rng = random.Random(18)
    c = Collector()
    for n in range(3000):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
        company = rng.choice([0x004C, 0x0006, 0x0075, 0x00E0, rng.randrange(0x10000)])
        uuid = rng.choice([0xFEED, 0xFD5A, 0xFEAA, 0xFCB2, 0xFE2C, 0xFE33, rng.randrange(0x10000)])
        c.seen(
            *bleak_pair(
                f"7B:00:00:00:{n >> 8:02X}:{n & 255:02X}",
                manufacturer={company: raw},
                service_data={uuid16(uuid): raw[::-1]},
                name=raw.decode("latin-1"),
            )
        )
    devices, _ = c.result()
    assert c.dropped == 3000 - scan.MAX_DEVICES  # only the flood limit drops: nothing failed to parse
    assert len(devices) <= scan.MAX_DEVICES
    json.dumps([d.to_dict() for d in devices])
    assert all(d.name is None or d.name.isprintable() for d in devices)


def test_a_flood_of_made_up_devices_stops_at_the_limit() -> None:
    c = Collector()
    for n in range(scan.MAX_DEVICES + 100):
        c.seen(*bleak_pair(f"7C:00:00:00:{n >> 8:02X}:{n & 255:02X}", service_data={uuid16(0xFEED): b"\x00"}))
    devices, _ = c.result()
    assert len(devices) == scan.MAX_DEVICES and c.dropped == 100
