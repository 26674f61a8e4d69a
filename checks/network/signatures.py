"""Device signatures: data in resources/signatures/ that say what an announcement means.

A signature matches announcements (all of its conditions must hold, globs on lower-cased text) and says
what kind of device it is, whether it may have a microphone or a camera, how sure that is, and why it
matters, with the source of each fact. `validate` checks a file against this schema; a test runs it.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from checks.model import Severity

CLASSES_FILE = "classes.json"
SIGNATURE_FILES = ("mdns.json", "ssdp.json", "wsd.json", "mac.json")
CONFIDENCES = ("low", "medium", "high")
# Condition names, and what each is matched against (see classify.facts).
CONDITIONS = {
    "mdns_type": "an mDNS service type, exactly, e.g. _googlecast._tcp",
    "txt": "TXT record keys and value globs",
    "ssdp_type": "a glob on the SSDP search target, notification type or a UPnP device or service type",
    "server": "a glob on the SSDP SERVER header",
    "wsd_type": "a glob on a WS-Discovery type",
    "wsd_scope": "a glob on a WS-Discovery scope",
    "manufacturer": "a glob on the announced manufacturer",
    "model": "a glob on the announced model (md, model, am, rpMd, ty, modelName, ONVIF hardware)",
    "name": "a glob on the announced name",
    "host": "a glob on the host name it announces (mDNS), without .local",
    "mac_prefix": "a list of OUIs (6 hex digits) of a MAC address that is not randomised",
    "mac_vendor": "a glob on the vendor the IEEE registry gives for the MAC address",
    "role": "the part a device plays for this computer: 'gateway' for the default router",
}
_REQUIRED = ("id", "match", "class", "confidence", "source", "last_verified")
_OPTIONAL = ("label", "microphone", "camera", "says", "advice", "severity", "published", "mac_owner")
# Makers of Wi-Fi chips and modules, and the IEEE's shared blocks: their MAC prefixes are in every kind of
# device, so a prefix registered to one of them never decides a class without a second condition (a host).
GENERIC_MAKERS = (
    "texas instruments*", "espressif*", "atheros*", "qualcomm*", "realtek*", "amazon technologies*",
    "ieee registration authority*", "azurewave*", "hon hai*", "cloud network technology*", "taiyo yuden*",
    "murata*", "mediatek*", "wistron neweb*", "ampak*", "universal global scientific*", "broadcom*",
    "silicon laboratories*", "liteon*", "lite-on*", "private*",
)  # fmt: skip


class SignatureError(ValueError):
    """A signature file does not follow the schema."""


@dataclass(frozen=True)
class DeviceClass:
    id: str
    label: str
    microphone: bool | None
    camera: bool | None
    severity: Severity
    says: str
    advice: str


@dataclass(frozen=True)
class Signature:
    id: str
    match: dict[str, Any]
    device_class: str
    confidence: str
    source: str
    last_verified: str
    label: str | None = None
    microphone: bool | None = None
    camera: bool | None = None
    says: str | None = None
    advice: str | None = None
    severity: Severity | None = None
    published: str | None = None  # the published discovery data that says the same ("Home Assistant: sonos")
    mac_owner: str | None = (
        None  # globs, split by |, that the IEEE registry's owner of each mac_prefix matches
    )
    # Whether "microphone"/"camera" were given (None given means "depends on the model").
    sets_microphone: bool = False
    sets_camera: bool = False

    @property
    def rank(self) -> tuple[int, int]:
        """How much a match says: confidence first, then how many conditions it needed."""
        conditions = sum(len(v) if k == "txt" else 1 for k, v in self.match.items())
        return (CONFIDENCES.index(self.confidence), conditions)


def _read(name: str) -> Any:
    return json.loads(resources.files("resources").joinpath("signatures", name).read_text("utf-8"))


def _check_date(value: object, where: str) -> None:
    if not isinstance(value, str):
        raise SignatureError(f"{where}: last_verified must be a date (YYYY-MM-DD)")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise SignatureError(f"{where}: last_verified must be a date (YYYY-MM-DD), not {value!r}") from None


def validate_classes(doc: Any) -> dict[str, DeviceClass]:
    if not isinstance(doc, dict) or not isinstance(doc.get("classes"), dict):
        raise SignatureError(f"{CLASSES_FILE}: expected an object with 'classes'")
    out: dict[str, DeviceClass] = {}
    for cid, c in doc["classes"].items():
        where = f"{CLASSES_FILE}: {cid}"
        needed = {"label", "microphone", "camera", "severity", "says", "advice"}
        if not isinstance(c, dict) or set(c) != needed:
            raise SignatureError(f"{where}: needs exactly {sorted(needed)}")
        for key in ("microphone", "camera"):
            if c[key] not in (True, False, None):
                raise SignatureError(f"{where}: {key} must be true, false or null")
        if c["severity"] not in [s.value for s in Severity]:
            raise SignatureError(f"{where}: unknown severity {c['severity']!r}")
        for key in ("label", "says", "advice"):
            if not isinstance(c[key], str) or not c[key].strip():
                raise SignatureError(f"{where}: {key} must be a non-empty text")
        out[cid] = DeviceClass(
            cid, c["label"], c["microphone"], c["camera"], Severity(c["severity"]), c["says"], c["advice"]
        )
    return out


def validate(doc: Any, file: str, classes: dict[str, DeviceClass]) -> list[Signature]:
    """The signatures of one file, or SignatureError naming the first problem."""
    if not isinstance(doc, dict) or not isinstance(doc.get("signatures"), list):
        raise SignatureError(f"{file}: expected an object with a 'signatures' list")
    out: list[Signature] = []
    for n, s in enumerate(doc["signatures"]):
        where = f"{file}: signature {n + 1} ({s.get('id', '?') if isinstance(s, dict) else '?'})"
        if not isinstance(s, dict):
            raise SignatureError(f"{where}: must be an object")
        missing = [k for k in _REQUIRED if k not in s]
        unknown = [k for k in s if k not in _REQUIRED and k not in _OPTIONAL]
        if missing or unknown:
            raise SignatureError(f"{where}: missing {missing}, unknown {unknown}")
        if not isinstance(s["id"], str) or not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", s["id"]):
            raise SignatureError(f"{where}: id must be lower-case letters, digits, dots and dashes")
        if s["class"] not in classes:
            raise SignatureError(f"{where}: unknown class {s['class']!r}")
        if s["confidence"] not in CONFIDENCES:
            raise SignatureError(f"{where}: confidence must be one of {CONFIDENCES}")
        if not isinstance(s["source"], str) or len(s["source"].strip()) < 8:
            raise SignatureError(f"{where}: source must say where the fact comes from")
        _check_date(s["last_verified"], where)
        for key in ("microphone", "camera"):
            if key in s and s[key] not in (True, False, None):
                raise SignatureError(f"{where}: {key} must be true, false or null")
        for key in ("label", "says", "advice"):
            if key in s and (not isinstance(s[key], str) or not s[key].strip()):
                raise SignatureError(f"{where}: {key} must be a non-empty text")
        if "severity" in s and s["severity"] not in [v.value for v in Severity]:
            raise SignatureError(f"{where}: unknown severity {s['severity']!r}")
        _check_match(s["match"], where)
        for key in ("published", "mac_owner"):
            if key in s and (not isinstance(s[key], str) or len(s[key].strip()) < 4):
                raise SignatureError(f"{where}: {key} must be a text")
        if ("mac_prefix" in s["match"]) != ("mac_owner" in s):
            raise SignatureError(f"{where}: mac_prefix needs mac_owner (the registered owner), and only it")
        alone = len(s["match"]) == 1 and s["class"] != "other"
        if "mac_owner" in s and alone and is_generic_maker(s["mac_owner"]):
            raise SignatureError(
                f"{where}: a chip maker's MAC prefix cannot decide a class alone: add a host name"
            )
        out.append(
            Signature(
                id=s["id"],
                match=s["match"],
                device_class=s["class"],
                confidence=s["confidence"],
                source=s["source"],
                last_verified=s["last_verified"],
                label=s.get("label"),
                microphone=s.get("microphone"),
                camera=s.get("camera"),
                says=s.get("says"),
                advice=s.get("advice"),
                severity=Severity(s["severity"]) if "severity" in s else None,
                published=s.get("published"),
                mac_owner=s.get("mac_owner"),
                sets_microphone="microphone" in s,
                sets_camera="camera" in s,
            )
        )
    return out


def _check_match(match: Any, where: str) -> None:
    if not isinstance(match, dict) or not match:
        raise SignatureError(f"{where}: match must be an object with at least one condition")
    for key, value in match.items():
        if key not in CONDITIONS:
            raise SignatureError(f"{where}: unknown condition {key!r}")
        if key == "txt":
            if not isinstance(value, dict) or not value:
                raise SignatureError(f"{where}: txt must map TXT keys to globs")
            values = list(value.values())
        elif key == "mac_prefix":
            if not isinstance(value, list) or not value:
                raise SignatureError(f"{where}: mac_prefix must be a list of OUIs")
            for oui in value:
                if not isinstance(oui, str) or not re.fullmatch(r"[0-9A-F]{6}", oui):
                    raise SignatureError(f"{where}: OUI {oui!r} must be 6 upper-case hex digits")
            continue
        else:
            values = [value]
        for glob in values:
            if not isinstance(glob, str) or not glob or glob != glob.lower():
                raise SignatureError(f"{where}: {key} must be lower-case text")
        if key == "mdns_type" and not re.fullmatch(r"_[a-z0-9_-]+\._(tcp|udp)", value):
            raise SignatureError(f"{where}: mdns_type must look like _name._tcp")


@cache
def device_classes() -> dict[str, DeviceClass]:
    return validate_classes(_read(CLASSES_FILE))


def device_class(cid: str) -> DeviceClass:
    """A kind of device, whoever found it: the network's kinds, then Bluetooth's (tracker, earbuds...),
    else "other" (a kind from saved data that no table knows any more must not break a list)."""
    found = device_classes().get(cid)
    if found is None:
        from checks.bluetooth.devices import bluetooth_classes  # here: Bluetooth's module imports this one

        found = bluetooth_classes().get(cid) or device_classes()["other"]
    return found


@cache
def all_signatures() -> tuple[Signature, ...]:
    classes = device_classes()
    found: list[Signature] = []
    for file in SIGNATURE_FILES:
        found += validate(_read(file), file, classes)
    from checks.network import published  # reads data only; imported here to keep the schema module first

    found += validate(
        {"signatures": published.signature_docs(is_generic_maker)}, published.PUBLISHED_FILE, classes
    )
    ids = [s.id for s in found]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SignatureError(f"signature ids used twice: {dupes}")
    return tuple(found)


def is_generic_maker(owner: str | None) -> bool:
    """Whether a registered owner (or an owner glob) is a chip maker or a shared block."""
    return owner is not None and any(
        fnmatch.fnmatchcase(o.strip().lower(), g) or fnmatch.fnmatchcase(g, o.strip().lower())
        for o in owner.split("|")
        for g in GENERIC_MAKERS
    )


def glob(pattern: str, value: str | None) -> bool:
    return value is not None and fnmatch.fnmatchcase(value.lower(), pattern)
