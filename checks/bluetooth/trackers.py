"""Trackers, from what they broadcast: Apple Find My, Tile, Samsung SmartTag, Chipolo, Pebblebee, Google's
Find Hub network and the IETF DULT format; and the Recognition every rule returns, with its source.

Each rule names its published source in resources/bluetooth/rules.json (a test checks that every rule has
one). Every parser reads bytes it was handed by anyone nearby: it checks each length before it reads, and
a payload that does not fit the format is simply not recognised.
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
    0: ("Apple device on the Find My network", "phone"),
    1: ("AirTag", "tracker"),
    2: (
        "Find My accessory (a tracker made by another company for Apple's network)",
        "tracker",
    ),
    3: ("AirPods (on the Find My network)", "headphones"),
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
    label, device_class = _FINDMY_KINDS[(status >> 4) & 0x03]
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
