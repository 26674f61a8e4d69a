"""What one advertisement says a device is: trackers first, then phones, computers, earbuds and the rest.

Each rule names its published source in resources/bluetooth/rules.json (a test checks that every rule used
here has one). Every parser reads bytes it was handed by anyone nearby: it checks each length before it
reads, and a payload that does not fit the format is simply not recognised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from checks.bluetooth.advert import Advert

APPLE, MICROSOFT, GOOGLE, SAMSUNG = 0x004C, 0x0006, 0x00E0, 0x0075

UUID_TILE = (0xFEED, 0xFEEC)
UUID_SMARTTAG = 0xFD5A
UUID_CHIPOLO = 0xFE33
UUID_PEBBLEBEE = 0xFA25
UUID_EDDYSTONE = 0xFEAA
UUID_DULT = 0xFCB2
UUID_FASTPAIR = 0xFE2C
UUID_MICROPHONE_CONTROL = 0x184D
UUID_HEARING_ACCESS = 0x1854
UUID_AUDIO_STREAM = 0x184E

# What a person can do about a tracker: who can make it ring, and the checks a phone can make.
SOUND_OWNER = "Its owner can make it play a sound from their app."
PHONE_CHECKS = (
    "On an iPhone, make sure Find My > Me > Tracking Notifications is on: it warns about an unknown "
    "tracker travelling with you and can make it play a sound. On Android, open Settings > Safety & "
    "emergency > Unknown tracker alerts and tap Scan now: it lists trackers away from their owner, and "
    "Play sound rings one without telling its owner."
)

_FINDMY_KINDS = {
    0: ("Apple device on the Find My network", "phone", "findmy.apple"),
    1: ("AirTag", "tracker", "findmy.airtag"),
    2: (
        "Find My accessory (a tracker made by another company for Apple's network)",
        "tracker",
        "findmy.accessory",
    ),
    3: ("AirPods (on the Find My network)", "headphones", "findmy.airpods"),
}
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


@dataclass
class Recognition:
    """What a rule found. rule: the entry in resources/bluetooth/rules.json it rests on; separated: the
    device says it is away from its owner (True), near its owner (False), or does not say (None)."""

    rule: str
    label: str
    device_class: str
    confidence: str
    tracker: bool = False
    separated: bool | None = None
    microphone: bool | None = None
    key: str | None = None  # what can be remembered across checks (addresses rotate)
    sound: str | None = None
    name: str | None = None  # a name carried inside the data (Swift Pair)
    says: str | None = None  # what it is, when the kind's own words would say too much or too little
    facts: list[str] = field(default_factory=list)

    @property
    def rank(self) -> tuple[int, int]:
        return (int(self.tracker), ("low", "medium", "high").index(self.confidence))


@cache
def sources() -> dict[str, dict[str, Any]]:
    """Rule id -> {"what", "sources": [{"url", "title"}], "last_verified"}."""
    text = resources.files("resources").joinpath("bluetooth", "rules.json").read_text("utf-8")
    return dict(json.loads(text)["rules"])


def cite(rule: str) -> str:
    """'title (url); title (url)' for a rule, for the evidence a person can follow up."""
    return "; ".join(f"{s['title']} ({s['url']})" for s in sources()[rule]["sources"])


# Trackers --------------------------------------------------------------------------------------------


def findmy(data: bytes) -> Recognition | None:
    """Apple Find My: type 0x12, then the length, the status byte, and (separated) the public key."""
    if len(data) < 3 or data[0] != 0x12 or data[1] not in (0x02, 0x19) or len(data) < 2 + data[1]:
        return None
    status = data[2]
    label, device_class, _ = _FINDMY_KINDS[(status >> 4) & 0x03]
    separated = data[1] == 0x19
    facts = [f"Apple Find My message, status byte 0x{status:02X} (findmy.status)"]
    key = None
    if separated:
        # The first bytes of the public key stay the same for as long as the key does (about a day
        # while separated), so the same prefix at two checks is very likely the same accessory.
        key = f"findmy:{data[3:9].hex()}"
        facts.append("It sends its full key: it has been away from its owner's devices for a while")
    else:
        facts.append("It sends the short message of a Find My device that is near its owner")
    # AirPods away from their owner are on the Find My network like a tag, and Apple warns about them too.
    tracker = device_class == "tracker" or (separated and device_class == "headphones")
    return Recognition(
        rule="findmy",
        label=label,
        device_class=device_class,
        confidence="high",
        tracker=tracker,
        separated=separated,
        microphone=True if device_class == "headphones" else None,
        key=key,
        sound=SOUND_OWNER if tracker or device_class == "headphones" else None,
        facts=facts,
    )


def tile(a: Advert) -> Recognition | None:
    found = [u for u in UUID_TILE if a.has_service(u)]
    if not found:
        return None
    return Recognition(
        "tile",
        "Tile tracker",
        "tracker",
        "high",
        tracker=True,
        sound=SOUND_OWNER,
        facts=[f"Service 0x{found[0]:04X}, registered to Tile, Inc."],
    )


def smarttag(a: Advert) -> Recognition | None:
    if not a.has_service(UUID_SMARTTAG):
        return None
    data = a.service_data.get(UUID_SMARTTAG, b"")
    separated: bool | None = None
    facts = ["Service 0xFD5A, Samsung's Find network"]
    if data:
        state = data[0] & 0x07
        separated = True if state in (2, 3) else None if state == 1 else False
        words = {
            3: "away from its owner's phone for a long time",
            2: "away from its owner's phone",
            1: "has just lost contact with its owner's phone",
        }.get(state, "connected to its owner's phone")
        facts.append(f"State {state}: {words}")
    return Recognition(
        "smarttag",
        "Samsung SmartTag",
        "tracker",
        "high" if data else "medium",
        tracker=True,
        separated=separated,
        sound=SOUND_OWNER,
        facts=facts,
    )


def chipolo(a: Advert) -> Recognition | None:
    if not a.has_service(UUID_CHIPOLO):
        return None
    return Recognition(
        "chipolo",
        "Chipolo tracker",
        "tracker",
        "high",
        tracker=True,
        sound=SOUND_OWNER,
        facts=["Service 0xFE33, registered to CHIPOLO d.o.o."],
    )


def pebblebee(a: Advert) -> Recognition | None:
    if not a.has_service(UUID_PEBBLEBEE):
        return None
    return Recognition(
        "pebblebee",
        "Pebblebee tracker",
        "tracker",
        "high",
        tracker=True,
        sound=SOUND_OWNER,
        facts=["Service 0xFA25, Pebblebee's"],
    )


def google_fmdn(a: Advert) -> Recognition | None:
    data = a.service_data.get(UUID_EDDYSTONE, b"")
    if not data or data[0] not in (0x40, 0x41):
        return None
    protecting = data[0] == 0x41
    facts = [f"Eddystone frame 0x{data[0]:02X}: Google's Find Hub (Find My Device) network"]
    if protecting:
        facts.append("In unwanted tracking protection mode, which it uses when away from its owner")
    return Recognition(
        "google.fmdn",
        "Tracker on Google's Find Hub network",
        "tracker",
        "high",
        tracker=True,
        separated=True if protecting else None,
        sound=SOUND_OWNER,
        facts=facts,
    )


def dult(a: Advert) -> Recognition | None:
    data = a.service_data.get(UUID_DULT)
    if data is None or len(data) < 2:
        return None
    network = {0x02: "Google's network"}.get(data[0], f"network number {data[0]}")
    near = bool(data[1] & 0x01)
    return Recognition(
        "dult",
        "Tracker (industry unwanted-tracking format)",
        "tracker",
        "high",
        tracker=True,
        separated=not near,
        sound=SOUND_OWNER,
        facts=[
            f"Service 0xFCB2 (IETF DULT), {network}",
            "Near-owner bit set: its owner is nearby"
            if near
            else "Near-owner bit clear: away from its owner",
        ],
    )


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
