"""Sightings merged into devices, and devices classified with the signatures in resources/signatures/."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from checks.model import Finding, Severity, worst
from checks.network import signatures as sig
from checks.network.names import person_in_name
from checks.network.records import Sighting, is_randomised

_MODEL_KEYS = ("md", "model", "am", "rpmd", "ty", "product", "modelname", "usb_mdl")
_MAKER_KEYS = ("manufacturer", "mf", "usb_mfg")
_MACHINE_NAME = re.compile(r"^[0-9a-f:.\-@]{12,}$|^[0-9a-f]{8}-[0-9a-f]{4}-", re.I)
_NOT_A_MODEL = re.compile(r"^[\d,.\s]*$")
_PROTOCOL_ORDER = {"ssdp": 0, "mdns": 1, "wsd": 2, "neighbours": 3}
_KEY_ORDER = ("udn:", "wsd:", "cast:", "host:")


@dataclass
class Facts:
    """What one sighting offers the signatures, lower-cased."""

    mdns_type: str | None = None
    txt: dict[str, str] = field(default_factory=dict)
    ssdp_types: list[str] = field(default_factory=list)
    server: str | None = None
    wsd_types: list[str] = field(default_factory=list)
    wsd_scopes: list[str] = field(default_factory=list)
    manufacturer: str | None = None
    model: str | None = None
    name: str | None = None
    host: str | None = None
    role: str | None = None


def facts(s: Sighting) -> Facts:
    f = s.fields
    out = Facts(name=s.name, host=(s.host or "").removesuffix(".").removesuffix(".local") or None)
    if s.protocol == "mdns":
        out.mdns_type = (s.kind or "").lower().removesuffix(".local.").rstrip(".")
        out.txt = f
        # RAOP's md is the metadata it accepts ("0,1,2"), not a model; am is its model.
        keys = [k for k in _MODEL_KEYS if not (k == "md" and out.mdns_type == "_raop._tcp")]
        out.model = next((f[k] for k in keys if f.get(k) and not _NOT_A_MODEL.match(f[k])), None)
        out.manufacturer = next((f[k] for k in _MAKER_KEYS if f.get(k)), None)
    elif s.protocol == "ssdp":
        out.ssdp_types = [
            t for t in (f.get("st"), f.get("nt"), f.get("devicetype"), *f.get("types", "").split()) if t
        ]
        out.server = f.get("server")
        out.manufacturer = f.get("manufacturer")
        out.model = f.get("modelname")
    elif s.protocol == "wsd":
        out.wsd_types = f.get("types", "").split()
        out.wsd_scopes = f.get("scopes", "").split()
        out.model = f.get("hardware")
        out.manufacturer = f.get("vendor")
    elif s.protocol == "neighbours":
        out.role = f.get("role")
    return out


def _holds(s: sig.Signature, f: Facts, mac: str | None, vendor: str | None) -> bool:
    for key, want in s.match.items():
        if key == "mdns_type":
            ok = f.mdns_type == want
        elif key == "txt":
            ok = all(sig.glob(g, f.txt.get(k)) for k, g in want.items())
        elif key == "ssdp_type":
            ok = any(sig.glob(want, t) for t in f.ssdp_types)
        elif key == "server":
            ok = sig.glob(want, f.server)
        elif key == "wsd_type":
            ok = any(sig.glob(want, t) for t in f.wsd_types)
        elif key == "wsd_scope":
            ok = any(sig.glob(want, t) for t in f.wsd_scopes)
        elif key in ("manufacturer", "model", "name", "host", "role"):
            ok = sig.glob(want, getattr(f, key))
        elif key == "mac_prefix":
            ok = mac is not None and not is_randomised(mac) and mac.replace(":", "")[:6].upper() in want
        else:  # mac_vendor
            ok = mac is not None and not is_randomised(mac) and sig.glob(want, vendor)
        if not ok:
            return False
    return True


@cache
def _index() -> tuple[dict[str, list[sig.Signature]], dict[str, list[sig.Signature]], list[sig.Signature]]:
    """The signatures by the service type or MAC prefix they need (the rest need neither), in file order."""
    by_type: dict[str, list[sig.Signature]] = {}
    by_oui: dict[str, list[sig.Signature]] = {}
    rest: list[sig.Signature] = []
    for s in sig.all_signatures():
        if "mdns_type" in s.match:
            by_type.setdefault(s.match["mdns_type"], []).append(s)
        elif "mac_prefix" in s.match:
            for oui in s.match["mac_prefix"]:
                by_oui.setdefault(oui, []).append(s)
        else:
            rest.append(s)
    return by_type, by_oui, rest


@cache
def _order() -> dict[str, int]:
    return {s.id: n for n, s in enumerate(sig.all_signatures())}


def _mac_only(s: sig.Signature) -> bool:
    return set(s.match) <= {"mac_prefix", "mac_vendor"}


def matches(sightings: Iterable[Sighting], mac: str | None, vendor: str | None) -> list[sig.Signature]:
    """Every signature that holds for one of the sightings (or for the MAC address), best first. A MAC address
    whose registered maker makes chips for everyone decides nothing on its own."""
    all_facts = [facts(s) for s in sightings] or [Facts()]
    generic = sig.is_generic_maker(vendor)
    by_type, by_oui, rest = _index()
    candidates = list(rest)
    for t in {f.mdns_type for f in all_facts if f.mdns_type}:
        candidates += by_type.get(t, [])
    if mac is not None:
        candidates += by_oui.get(mac.replace(":", "")[:6].upper(), [])
    order = _order()  # file order breaks ties, as before
    unique = sorted({s.id: s for s in candidates}.values(), key=lambda s: order[s.id])
    found = [
        s
        for s in unique
        if not (generic and _mac_only(s) and s.device_class != "other")
        and any(_holds(s, f, mac, vendor) for f in all_facts)
    ]
    return sorted(found, key=lambda s: s.rank, reverse=True)


# Merging -------------------------------------------------------------------------------------------------


def tokens(s: Sighting) -> set[str]:
    out = {f"ip:{a.lower()}" for a in s.addresses}
    if s.mac:
        out.add(f"mac:{s.mac}")
    out.update(s.keys)
    return out


def group(sightings: list[Sighting]) -> list[list[Sighting]]:
    """Sightings that share an address, a MAC address or a stable key belong to one device."""
    parent = list(range(len(sightings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, s in enumerate(sightings):
        for t in tokens(s):
            if t in owner:
                parent[find(i)] = find(owner[t])
            else:
                owner[t] = i
    groups: dict[int, list[Sighting]] = {}
    for i, s in enumerate(sightings):
        groups.setdefault(find(i), []).append(s)
    return list(groups.values())


# Devices -------------------------------------------------------------------------------------------------


@dataclass
class Device:
    id: str
    name: str | None
    addresses: list[str]
    mac: str | None
    vendor: str | None
    device_class: str
    label: str
    microphone: bool | None
    camera: bool | None
    confidence: str
    severity: Severity
    explanation: str
    advice: str
    evidence: list[str]
    findings: list[Finding]
    keys: list[str]
    sightings: list[Sighting] = field(default_factory=list)
    status: str | None = None  # "known", "new", "missing" once compared with a room
    note: str | None = None  # what the room's keeper wrote about it ("reception printer")
    first_seen: str | None = None
    last_seen: str | None = None

    @property
    def randomised_mac(self) -> bool:
        return self.mac is not None and is_randomised(self.mac)

    @property
    def may_listen_or_watch(self) -> bool:
        """True unless it is known to have neither a microphone nor a camera."""
        return not (self.microphone is False and self.camera is False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "addresses": self.addresses,
            "mac": self.mac,
            "vendor": self.vendor,
            "class": self.device_class,
            "label": self.label,
            "microphone": self.microphone,
            "camera": self.camera,
            "confidence": self.confidence,
            "severity": self.severity.value,
            "status": self.status,
            "note": self.note,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "keys": self.keys,
            "findings": [f.to_dict() for f in self.findings],
            "sightings": [s.to_dict() for s in self.sightings],
        }


def _name(sightings: list[Sighting]) -> str | None:
    ordered = sorted(sightings, key=lambda s: _PROTOCOL_ORDER.get(s.protocol, 9))
    for s in ordered:
        for candidate in (s.fields.get("fn"), s.fields.get("friendlyname"), s.name):
            if candidate and not _MACHINE_NAME.match(candidate):
                return (
                    candidate.split("@", 1)[1] if re.match(r"^[0-9a-f]{12}@", candidate, re.I) else candidate
                )
    return next((s.host.removesuffix(".local.").removesuffix(".") for s in ordered if s.host), None)


def _device_id(mac: str | None, keys: list[str], addresses: list[str]) -> str:
    if mac and not is_randomised(mac):
        return f"mac:{mac}"
    for prefix in _KEY_ORDER:
        for k in keys:
            if k.startswith(prefix):
                return k
    if mac:
        return f"mac:{mac}"
    return f"ip:{addresses[0]}" if addresses else "unknown"


def _why(s: sig.Signature) -> str:
    """A line of "why we think so": the published data that says the same, then our signature and source."""
    said = f"Why we think so: {s.published} says the same. " if s.published else ""
    return f"{said}Signature “{s.id}” ({s.confidence} confidence; source: {s.source})"


def build(sightings: list[Sighting], vendor_of: Callable[[str], str | None]) -> Device:
    """One device from the sightings that belong to it."""
    addresses = sorted({a for s in sightings for a in s.addresses}, key=lambda a: (":" in a, a))
    # The neighbour table's MAC is what is on the wire; one a device announces about itself comes second.
    mac = next((s.mac for s in sorted(sightings, key=lambda s: s.protocol != "neighbours") if s.mac), None)
    vendor = vendor_of(mac) if mac and not is_randomised(mac) else None
    keys = sorted({k for s in sightings for k in s.keys})
    found = matches(sightings, mac, vendor)
    classes = sig.device_classes()
    best = found[0] if found else None
    dc = classes[best.device_class if best else "other"]
    model = next((f.model for f in map(facts, sightings) if f.model), None)
    label = (best.label if best and best.label else None) or model or dc.label
    microphone = best.microphone if best and best.sets_microphone else dc.microphone
    camera = best.camera if best and best.sets_camera else dc.camera
    severity = (best.severity if best and best.severity else None) or dc.severity
    says = (best.says if best and best.says else None) or dc.says
    advice = (best.advice if best and best.advice else None) or dc.advice
    name = _name(sightings)
    shown = f"{label}, “{name}”" if name and name.casefold() != label.casefold() else label
    explanation = f"{shown}: {says}."
    if best and best.published:
        explanation += f" Why we think so: {best.published}."
    evidence = [s.evidence for s in sorted(sightings, key=lambda s: _PROTOCOL_ORDER.get(s.protocol, 9))]
    if mac:
        if is_randomised(mac):
            evidence.append(
                f"MAC address {mac}: randomised (phones and laptops do this), so its maker is hidden"
            )
        else:
            evidence.append(f"MAC address {mac}: made by {vendor or 'a maker not in the registry'}")
    evidence += [_why(s) for s in found[:3]]
    findings = [
        Finding(
            "room.device",
            "room",
            severity,
            explanation,
            advice,
            {
                "class": dc.id,
                "microphone": microphone,
                "camera": camera,
                "confidence": best.confidence if best else "low",
            },
        )
    ]
    person = next(
        (p for p in (person_in_name(s.name) or person_in_name(s.host) for s in sightings) if p), None
    )
    if person:
        findings.append(
            Finding(
                "room.names_person",
                "people",
                Severity.HIGH,
                f"Its name points to a person: “{name or person}”",
                f"This device announces “{name or person}” to everyone on this network, clients on the same "
                "Wi-Fi included. A name links the room, and its sessions, to a person. Rename the device to "
                "something that does not identify anyone (on an iPhone: Settings > General > About > Name).",
                {"name": name, "person": person},
            )
        )
    return Device(
        id=_device_id(mac, keys, addresses),
        name=name,
        addresses=addresses,
        mac=mac,
        vendor=vendor,
        device_class=dc.id,
        label=label,
        microphone=microphone,
        camera=camera,
        confidence=best.confidence if best else "low",
        severity=worst(findings),
        explanation=explanation,
        advice=advice,
        evidence=evidence,
        findings=findings,
        keys=keys,
        sightings=list(sightings),
    )


def standing(sightings: list[Sighting]) -> bool:
    """Whether these sightings show a device that is there now. A stale neighbour-table entry alone does not:
    the system keeps them long after a device has left."""
    return any(
        s.protocol != "neighbours" or s.fields.get("stale") != "yes" or s.fields.get("role")
        for s in sightings
    )


def devices(sightings: list[Sighting], vendor_of: Callable[[str], str | None]) -> list[Device]:
    return [build(g, vendor_of) for g in group(sightings) if standing(g)]
