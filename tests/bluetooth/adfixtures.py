"""Advertisements as a Bluetooth stack hands them over: raw advertising data (AD structures, as a radio
receives them) parsed by Home Assistant's bluetooth-data-tools into bleak's own BLEDevice and
AdvertisementData, never from a radio.

RECORDED holds captures published by others; HAND_BUILT holds advertisements made here byte by byte from
the published formats named in resources/bluetooth/rules.json.
"""

from __future__ import annotations

from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bluetooth_data_tools import parse_advertisement_data_tuple


def uuid16(u: int) -> str:
    return f"0000{u:04x}-0000-1000-8000-00805f9b34fb"


def parse_ad(raw: bytes) -> dict:
    """AD structures (length, type, value) into the fields bleak reports, read by an independent parser:
    Home Assistant's bluetooth-data-tools, not SafeSpace's code."""
    name, uuids, services, makers, _tx = parse_advertisement_data_tuple((raw,))
    return {"local_name": name, "manufacturer_data": makers, "service_data": services, "service_uuids": uuids}


def bleak_pair(
    address: str = "7A:11:22:33:44:55",
    raw: bytes | None = None,
    *,
    name: str | None = None,
    manufacturer: dict | None = None,
    service_data: dict | None = None,
    uuids: list | None = None,
    rssi: int = -60,
) -> tuple[BLEDevice, AdvertisementData]:
    fields = (
        parse_ad(raw)
        if raw is not None
        else {
            "local_name": name,
            "manufacturer_data": manufacturer or {},
            "service_data": service_data or {},
            "service_uuids": uuids or [],
        }
    )
    adv = AdvertisementData(
        local_name=fields["local_name"],
        manufacturer_data=fields["manufacturer_data"],
        service_data=fields["service_data"],
        service_uuids=fields["service_uuids"],
        tx_power=None,
        rssi=rssi,
        platform_data=(),
    )
    return BLEDevice(address, fields["local_name"] or address.replace(":", "-"), None), adv


KEY22 = bytes(range(0x30, 0x30 + 22))


def findmy(status: int, separated: bool = True) -> bytes:
    """Raw AD: Apple manufacturer data, Find My type 0x12 (separated: length 25 with the key)."""
    body = (
        bytes([0x12, 0x19, status]) + KEY22 + b"\x01\x00" if separated else bytes([0x12, 0x02, status, 0x01])
    )
    return bytes([len(body) + 3, 0xFF, 0x4C, 0x00]) + body


def service_data(uuid: int, value: bytes) -> bytes:
    return bytes([len(value) + 3, 0x16]) + uuid.to_bytes(2, "little") + value


def service_list(*uuids: int) -> bytes:
    body = b"".join(u.to_bytes(2, "little") for u in uuids)
    return bytes([len(body) + 1, 0x03]) + body


def maker(company: int, value: bytes) -> bytes:
    return bytes([len(value) + 3, 0xFF]) + company.to_bytes(2, "little") + value


FLAGS = bytes([0x02, 0x01, 0x06])

RECORDED = {
    # An AirTag away from its owner, published as a worked example of how its advertisement carries the
    # public key (address FB:6D:08:3D:25:A4; status 0x10).
    "airtag-separated": (
        "FB:6D:08:3D:25:A4",
        bytes.fromhex("1EFF4C001219102807CE0B3C33332ED37B5D9D8291B1D99D0B8615189700E0"),
    ),
    # The same example's AirTag near its owner: the 2-byte Find My message, status 0x54.
    "airtag-near": ("DF:A4:65:1A:52:72", bytes.fromhex("07FF4C0012025402")),
    # Captures in the COVIDSafe/Herald test suite (BLEDeviceFilterTests.java, VMware, MIT licence).
    "iphonex-findmy": (
        "6D:17:25:55:05:DF",
        bytes.fromhex("1eff4c001219006d17255505df2aec6ef580be0ddeba8bb034c996de5b0200"),
    ),
    "iphone7": ("5A:01:02:03:04:05", bytes.fromhex("0bff4c001006061a396363ce")),
    "macbookpro": ("5A:01:02:03:04:06", bytes.fromhex("0201060AFF4C001005421C1E616A")),
    "appletv": ("5A:01:02:03:04:07", bytes.fromhex("02011a020a0c0aff4c00100508141bba69")),
    "iphone-handoff": (
        "5A:01:02:03:04:08",
        bytes.fromhex("1bff4c000c0e00c857ac085510515d52cf3862211006551eee51497a"),
    ),
}
