"""Bluetooth devices in the room check's shape: a checks.network.classify.Device with its findings.

A Bluetooth device has no network address: `addresses` stays empty and `mac` None (its Bluetooth address
is in `keys` and the evidence; most rotate, so it is not a way to recognise the device again). `keys`
holds what can be remembered across checks: the kind of device, and for a Find My accessory away from
its owner the first bytes of its key, which stay the same for about a day.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from checks.bluetooth import rules
from checks.bluetooth.advert import Advert
from checks.model import Finding, Severity, worst
from checks.network import signatures as sig
from checks.network.classify import Device
from checks.network.names import person_in_name
from checks.network.records import Sighting, bounded_fields

SOURCE = "bluetooth"
# A name that is only an address (BlueZ names a device without one after its address) says nothing.
_ADDRESS_NAME = re.compile(r"^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$", re.I)
_NO_CAMERA = {"tracker", "headphones", "watch", "speaker", "hearing"}

SEEN_ONCE = (
    "A tracker seen once may be a visitor's: clients, their companions and couriers carry tags on keys "
    "and bags. One that is seen at check after check, or one away from its owner, matters more."
)

SEPARATED_ADVICE = (
    "Look for it now, in this room and the waiting room: bags, coats, under chairs and cushions. "
    "If a client may be carrying it, tell them how their phone can check: " + rules.PHONE_CHECKS
)


@cache
def bluetooth_classes() -> dict[str, sig.DeviceClass]:
    text = resources.files("resources").joinpath("bluetooth", "classes.json").read_text("utf-8")
    return sig.validate_classes(json.loads(text))


def device_class(cid: str) -> sig.DeviceClass:
    """A kind of device: the Bluetooth ones (tracker, earbuds…) or one the network check knows."""
    return bluetooth_classes().get(cid) or sig.device_classes()[cid]


def _evidence(a: Advert, found: list[rules.Recognition]) -> list[str]:
    lines = [f"Bluetooth address {a.address}" + (f", signal {a.rssi} dBm" if a.rssi is not None else "")]
    for r in found:
        lines += r.facts
    cited = [r.rule for r in found[:3]]
    if found and found[0].rule == "findmy":
        cited.append("findmy.status")
    if found and found[0].tracker:
        cited.append("phone-checks")
    lines += [f"Rule “{rule}” (source: {rules.cite(rule)})" for rule in dict.fromkeys(cited)]
    return lines


def _tracker_finding(r: rules.Recognition, label: str) -> Finding:
    if r.separated:
        title = f"A tracker away from its owner: {label}"
        detail = (
            "This tracker says it has been away from its owner for a while, so it is not with the person "
            "who owns it. Someone could have put it in a client's bag or coat, or in this room, to see where "
            "they go: it can show when and where sessions happen. Look for it now. "
        )
        severity = Severity.HIGH
    else:
        title = f"A tracker nearby: {label}"
        detail = (
            "A location tracker is close by. Its owner can see on a map where it is. If it is near its "
            "owner, it is probably someone's own tag on their keys or bag. "
        )
        severity = Severity.MEDIUM
    detail += f"{r.sound or ''} {rules.PHONE_CHECKS} {SEEN_ONCE}".strip()
    return Finding(
        "room.tracker",
        "location",
        severity,
        title,
        " ".join(detail.split()),
        {"rule": r.rule, "separated": r.separated, "key": r.key, "source": SOURCE},
    )


def build(a: Advert) -> Device | None:
    """The device one advertisement shows, or None when it says nothing about what it is and no name."""
    found = rules.recognise(a)
    name = a.name if a.name and not _ADDRESS_NAME.match(a.name) else None
    name = name or next((r.name for r in found if r.name), None)
    if not found and not name:
        return None
    best = found[0] if found else rules.Recognition("company", "Bluetooth device", "other", "low")
    dc = device_class(best.device_class)
    label = best.label
    microphone = best.microphone if best.microphone is not None else dc.microphone
    camera = False if best.device_class in _NO_CAMERA else dc.camera
    says = best.says or dc.says
    shown = f"{label}, “{name}”" if name and name.casefold() != label.casefold() else label
    findings = [
        Finding(
            "room.device",
            "room",
            dc.severity,
            f"{shown}: {says}.",
            SEPARATED_ADVICE if best.tracker and best.separated else dc.advice,
            {
                "class": dc.id,
                "microphone": microphone,
                "camera": camera,
                "confidence": best.confidence,
                "source": SOURCE,
            },
        )
    ]
    if best.tracker:
        findings.append(_tracker_finding(best, label))
    person = person_in_name(name)
    if person:
        findings.append(
            Finding(
                "room.names_person",
                "people",
                Severity.HIGH,
                f"Its name points to a person: “{name}”",
                f"This device broadcasts “{name}” over Bluetooth to every phone and computer nearby, "
                "clients in the waiting room included. A name links the room, and its sessions, to a "
                "person. Rename the device to something that does not identify anyone (on an iPhone: "
                "Settings > General > About > Name).",
                {"name": name, "person": person, "source": SOURCE},
            )
        )
    keys = [f"bt-kind:{best.rule}:{label}"] + ([best.key] if best.key else []) + [f"bt:{a.address}"]
    fields = bounded_fields(
        {
            "address": a.address,
            "rssi": a.rssi,
            **{f"manufacturer_0x{k:04x}": v.hex() for k, v in a.manufacturer_data.items()},
            **{
                f"service_{k:04x}" if isinstance(k, int) else f"service_{k}": v.hex()
                for k, v in a.service_data.items()
            },
        }
    )
    evidence = _evidence(a, found)
    sighting = Sighting(
        protocol=SOURCE,
        name=name,
        keys=tuple(keys),
        kind=best.rule,
        fields=fields,
        evidence="; ".join(evidence[:3]),
        ref=f"bt:{a.address}",
    )
    return Device(
        id=best.key or f"bt:{a.address}",
        name=name,
        addresses=[],
        mac=None,
        vendor=None,
        device_class=dc.id,
        label=label,
        microphone=microphone,
        camera=camera,
        confidence=best.confidence,
        severity=worst(findings),
        explanation=findings[0].title,
        advice=SEPARATED_ADVICE if best.tracker and best.separated else dc.advice,
        evidence=evidence,
        findings=findings,
        keys=keys,
        sightings=[sighting],
    )
