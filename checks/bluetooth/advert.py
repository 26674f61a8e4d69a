"""One Bluetooth advertisement, as bounded plain data: what a nearby device broadcast about itself.

Everything here came over the air from anyone nearby and is untrusted: the sizes are bounded, the name is
one line of printable text (control and bidi characters replaced), and nothing here ever connects back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from checks.text import one_line

MAX_NAME = 64  # characters kept of a broadcast name (a Bluetooth name is at most 248 bytes)
MAX_ENTRIES = 16  # manufacturer-data, service-data and service-UUID entries kept per advertisement
MAX_BYTES = 255  # bytes kept of one entry (an extended advertisement carries at most 255 per structure)

_BASE = "-0000-1000-8000-00805f9b34fb"  # the Bluetooth base UUID a 16-bit UUID sits in
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def short_uuid(value: object) -> int | str | None:
    """A 16-bit UUID as an int (0xFEED), another UUID as lower-case text, or None when it is not a UUID."""
    if isinstance(value, int):
        return value if 0 <= value <= 0xFFFF else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if re.fullmatch(r"(0x)?[0-9a-f]{4}", text):
        return int(text.removeprefix("0x"), 16)
    if not _UUID.match(text):
        return None
    if text.startswith("0000") and text.endswith(_BASE):
        return int(text[4:8], 16)
    return text


@dataclass
class Advert:
    """What one device broadcast. service_data and service_uuids use short_uuid keys."""

    address: str
    name: str | None = None
    manufacturer_data: dict[int, bytes] = field(default_factory=dict)
    service_data: dict[int | str, bytes] = field(default_factory=dict)
    service_uuids: list[int | str] = field(default_factory=list)
    rssi: int | None = None

    def has_service(self, uuid: int) -> bool:
        return uuid in self.service_data or uuid in self.service_uuids

    def to_dict(self) -> dict[str, Any]:
        def key(k: int | str) -> str:
            return f"0x{k:04X}" if isinstance(k, int) else k

        return {
            "address": self.address,
            "name": self.name,
            "manufacturer_data": {f"0x{k:04X}": v.hex() for k, v in self.manufacturer_data.items()},
            "service_data": {key(k): v.hex() for k, v in self.service_data.items()},
            "service_uuids": [key(u) for u in self.service_uuids],
            "rssi": self.rssi,
        }


def clean_name(value: object) -> str | None:
    """A broadcast name as one bounded line of printable text, or None when nothing printable is left."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = one_line(value, MAX_NAME)
    return text or None


def _bytes(value: object) -> bytes | None:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value[:MAX_BYTES])
    return None


def make(
    address: object,
    name: object = None,
    manufacturer_data: object = None,
    service_data: object = None,
    service_uuids: object = None,
    rssi: object = None,
) -> Advert:
    """An Advert from whatever a Bluetooth stack handed over: wrong types and oversize values are dropped
    or cut, never trusted."""
    makers: dict[int, bytes] = {}
    if isinstance(manufacturer_data, dict):
        for k, v in manufacturer_data.items():
            data = _bytes(v)
            if isinstance(k, int) and 0 <= k <= 0xFFFF and data is not None and len(makers) < MAX_ENTRIES:
                makers[k] = data
    services: dict[int | str, bytes] = {}
    if isinstance(service_data, dict):
        for k, v in service_data.items():
            u, data = short_uuid(k), _bytes(v)
            if u is not None and data is not None and len(services) < MAX_ENTRIES:
                services[u] = data
    uuids: list[int | str] = []
    if isinstance(service_uuids, list | tuple):
        for item in service_uuids:
            u = short_uuid(item)
            if u is not None and u not in uuids and len(uuids) < MAX_ENTRIES:
                uuids.append(u)
    return Advert(
        address=one_line(address, 64) if address is not None else "",
        name=clean_name(name),
        manufacturer_data=makers,
        service_data=services,
        service_uuids=uuids,
        rssi=rssi if isinstance(rssi, int) and not isinstance(rssi, bool) and -127 <= rssi <= 20 else None,
    )


def from_bleak(device: Any, adv: Any) -> Advert:
    """The Advert of one bleak callback (bleak.backends.device.BLEDevice, .scanner.AdvertisementData).
    ValueError when the device has no address to tell it by."""
    if not isinstance(getattr(device, "address", None), str) or not device.address.strip():
        raise ValueError("an advertisement without an address")
    return make(
        getattr(device, "address", ""),
        getattr(adv, "local_name", None) or getattr(device, "name", None),
        getattr(adv, "manufacturer_data", None),
        getattr(adv, "service_data", None),
        getattr(adv, "service_uuids", None),
        getattr(adv, "rssi", None),
    )
