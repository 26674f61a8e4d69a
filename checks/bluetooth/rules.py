"""What one advertisement says a device is: trackers first (checks/bluetooth/trackers.py), then phones,
computers, earbuds, watches, speakers and devices that say they have a microphone.

Each rule names its published source in resources/bluetooth/rules.json. Every parser checks each length
before it reads: a payload that does not fit the format is simply not recognised.
"""

from __future__ import annotations

from checks.bluetooth.advert import Advert
from checks.bluetooth.trackers import (
    APPLE,
    GOOGLE,
    MICROSOFT,
    PHONE_CHECKS,
    SAMSUNG,
    SOUND_OWNER,
    UUID_AUDIO_STREAM,
    UUID_FASTPAIR,
    UUID_HEARING_ACCESS,
    UUID_MICROPHONE_CONTROL,
    Recognition,
    chipolo,
    cite,
    dult,
    findmy,
    google_fmdn,
    pebblebee,
    smarttag,
    sources,
    tile,
)

__all__ = ["PHONE_CHECKS", "SOUND_OWNER", "Recognition", "cite", "recognise", "sources"]

_AIRPODS = {
    0x0220: "AirPods",
    0x0F20: "AirPods (2nd generation)",
    0x0E20: "AirPods Pro",
    0x1420: "AirPods Pro 2",
    0x2420: "AirPods Pro 2",
    0x0A20: "AirPods Max",
    0x0320: "Powerbeats3",
    0x0520: "BeatsX",
    0x0620: "Beats Solo3",
}
_CDP_TYPES = {
    1: ("Xbox One", "tv"),
    6: ("iPhone", "phone"),
    7: ("iPad", "tablet"),
    8: ("Android phone or tablet", "phone"),
    9: ("Windows desktop computer", "computer"),
    11: ("Windows phone", "phone"),
    12: ("Linux computer", "computer"),
    13: ("Windows IoT device", "other"),
    14: ("Surface Hub", "computer"),
    15: ("Windows laptop", "computer"),
    16: ("Windows tablet", "tablet"),
}
_COMPANIES = {
    APPLE: ("Apple device", "other"),
    MICROSOFT: ("Microsoft device", "other"),
    GOOGLE: ("Google device", "other"),
    SAMSUNG: ("Samsung device", "other"),
    0x0087: ("Garmin watch or fitness device", "watch"),
    0x0157: ("Amazfit watch or fitness band", "watch"),
    0x009E: ("Bose headphones or speaker", "speaker"),
    0x0057: ("Harman (JBL) speaker or headphones", "speaker"),
    0x012D: ("Sony device", "other"),
    0x038F: ("Xiaomi device", "other"),
    0x027D: ("Huawei device", "other"),
}


# Phones, computers, earbuds ----------------------------------------------------------------------------


def apple_messages(data: bytes) -> list[tuple[int, bytes]]:
    """Apple's manufacturer data as (type, value) pairs; stops at the first one that runs past the end."""
    out: list[tuple[int, bytes]] = []
    i = 0
    while i + 2 <= len(data) and len(out) < 16:
        kind, length = data[i], data[i + 1]
        if i + 2 + length > len(data):
            break
        out.append((kind, data[i + 2 : i + 2 + length]))
        i += 2 + length
    return out


def apple(data: bytes) -> list[Recognition]:
    found: list[Recognition] = []
    fm = findmy(data)
    if fm:
        found.append(fm)
    for kind, value in apple_messages(data):
        if kind == 0x07 and len(value) >= 3:
            model = int.from_bytes(value[1:3], "big")
            label = _AIRPODS.get(model, "Apple or Beats earbuds or headphones")
            found.append(
                Recognition(
                    "apple.airpods",
                    label,
                    "headphones",
                    "high" if model in _AIRPODS else "medium",
                    microphone=True,
                    facts=[f"Apple proximity pairing message, model 0x{model:04X}"],
                )
            )
        elif kind == 0x09:
            found.append(
                Recognition(
                    "apple.continuity",
                    "AirPlay receiver (Apple TV, HomePod or a Mac)",
                    "tv",
                    "medium",
                    facts=["Apple AirPlay target message"],
                )
            )
        elif kind == 0x0B:
            found.append(
                Recognition(
                    "apple.continuity",
                    "Apple Watch",
                    "watch",
                    "medium",
                    microphone=True,
                    facts=["Apple Watch message (Magic Switch)"],
                )
            )
        elif kind == 0x0E:
            found.append(
                Recognition(
                    "apple.continuity",
                    "iPhone or cellular iPad",
                    "phone",
                    "medium",
                    microphone=True,
                    facts=["Apple Instant Hotspot message: it has a mobile connection to share"],
                )
            )
        elif kind in (0x0C, 0x0F, 0x10):
            words = {0x0C: "Handoff", 0x0F: "Nearby Action", 0x10: "Nearby Info"}[kind]
            found.append(
                Recognition(
                    "apple.continuity",
                    "Apple device (iPhone, iPad, Mac, Apple Watch or Apple TV)",
                    "other",
                    "low",
                    says="an Apple phone, tablet, computer, watch or TV; all but the TV have a microphone",
                    facts=[
                        f"Apple {words} message, which iPhones, iPads, Macs, Apple Watches and Apple TVs send"
                    ],
                )
            )
    return found


def microsoft(data: bytes) -> Recognition | None:
    if len(data) >= 2 and data[0] == 0x01:
        label, device_class = _CDP_TYPES.get(data[1] & 0x1F, ("Windows device", "computer"))
        return Recognition(
            "microsoft.cdp",
            label,
            device_class,
            "medium",
            microphone=True if device_class in ("phone", "tablet") else None,
            facts=[f"Microsoft Connected Devices beacon, device type {data[1] & 0x1F}"],
        )
    if len(data) >= 3 and data[0] == 0x03:
        name = data[3:].decode("utf-8", "replace") if len(data) > 3 else None
        return Recognition(
            "microsoft.swiftpair",
            "Accessory offering to pair with Windows (Swift Pair)",
            "other",
            "medium",
            name=name,
            facts=["Microsoft Swift Pair message"],
        )
    return None


def services(a: Advert) -> list[Recognition]:
    found = []
    if a.has_service(UUID_HEARING_ACCESS):
        found.append(
            Recognition(
                "le-audio",
                "Hearing aid",
                "hearing",
                "medium",
                microphone=True,
                facts=["It lists the Hearing Access service (0x1854)"],
            )
        )
    if a.has_service(UUID_MICROPHONE_CONTROL):
        found.append(
            Recognition(
                "le-audio",
                "Device with a microphone",
                "listening",
                "medium",
                microphone=True,
                facts=["It lists the Microphone Control service (0x184D): it has a microphone"],
            )
        )
    if a.has_service(UUID_AUDIO_STREAM):
        found.append(
            Recognition(
                "le-audio",
                "Bluetooth audio device (LE Audio)",
                "speaker",
                "low",
                facts=["It lists the Audio Stream Control service (0x184E)"],
            )
        )
    data = a.service_data.get(UUID_FASTPAIR)
    if data is not None and len(data) == 3:  # a model ID alone: the device is ready to pair
        found.append(
            Recognition(
                "google.fastpair",
                "Earbuds, headphones or speaker (Google Fast Pair)",
                "headphones",
                "low",
                facts=[f"Google Fast Pair message, model 0x{data.hex().upper()}"],
            )
        )
    return found


def recognise(a: Advert) -> list[Recognition]:
    """Everything the advertisement's data says, the most telling first (trackers, then confidence)."""
    found: list[Recognition] = []
    for rule in (tile, smarttag, chipolo, pebblebee, google_fmdn, dult):
        r = rule(a)
        if r:
            found.append(r)
    if APPLE in a.manufacturer_data:
        found += apple(a.manufacturer_data[APPLE])
    if MICROSOFT in a.manufacturer_data:
        r = microsoft(a.manufacturer_data[MICROSOFT])
        if r:
            found.append(r)
    found += services(a)
    if not found:
        company = next((c for c in a.manufacturer_data if c in _COMPANIES), None)
        if company is not None:
            label, device_class = _COMPANIES[company]
            found.append(
                Recognition(
                    "company",
                    label,
                    device_class,
                    "low",
                    says=None if device_class != "other" else "a device that did not say what kind it is",
                    facts=[f"Manufacturer data of company 0x{company:04X}"],
                )
            )
    return sorted(found, key=lambda r: r.rank, reverse=True)
