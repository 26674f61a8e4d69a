"""The guides' schema: resources/guides/<id>.json, one file per guide, checked by `validate`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

KINDS = {"phone": "Phone or tablet", "computer": "Computer", "account": "Online account"}
PRIORITIES = {"essential": "Essential", "recommended": "Recommended", "optional": "Optional"}
MARKERS = {
    "checked": "confirmed in the maker's own documentation",
    "secondary": "taken from a secondary source",
    "unconfirmed": "not yet confirmed on a device: if your menus differ, search the settings for its name",
}
TOPICS = {
    "photo_location": "Location in photos",
    "location_history": "Location history",
    "nearby_sharing": "Nearby sharing",
    "device_name": "Device names",
    "voice_assistant": "Voice assistants",
    "lock_screen": "Lock screen",
    "location_sharing": "Location sharing",
    "cloud_photos": "Photo libraries and cloud upload",
    "app_permissions": "Camera and microphone permissions",
    "sharing": "File and screen sharing",
    "profile_visibility": "Profile visibility",
    "connections": "Friends and connections",
    "findability": "Being found by email or phone",
    "location_tags": "Location tags and check-ins",
    "groups": "Group membership",
    "contact_syncing": "Contact syncing",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class GuideError(ValueError):
    """A guide file does not follow the schema."""


@dataclass(frozen=True)
class How:
    path: tuple[str, ...]
    versions: tuple[str, ...]  # empty: every version
    note: str | None

    def text(self) -> str:
        return " > ".join(self.path) + (f". {self.note}" if self.note else "")


@dataclass(frozen=True)
class Step:
    guide: str
    id: str
    title: str
    topic: str
    why: str
    how: tuple[How, ...]
    recommended: str
    priority: str
    may_alert_others: bool
    probe: str | None
    source: str
    verified_date: str
    verified_os: str
    marker: str

    @property
    def key(self) -> str:
        return f"{self.guide}.{self.id}"

    def how_for(self, version: str | None) -> list[How]:
        """The menu paths for this version (those for every version, and those for it alone)."""
        fitting = [h for h in self.how if not h.versions or version in h.versions]
        return fitting or list(self.how)


@dataclass(frozen=True)
class Guide:
    id: str
    title: str
    kind: str
    versions: tuple[str, ...]
    content_version: str
    intro: str
    steps: tuple[Step, ...]

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)


def _text(d: dict[str, Any], key: str, where: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GuideError(f"{where}: {key} must be a non-empty text")
    return value


def _date(value: Any, where: str) -> str:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        raise GuideError(f"{where}: must be a date (YYYY-MM-DD)") from None
    return value


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?=\s|$)", text.strip()))


def _step(guide: str, versions: tuple[str, ...], s: Any, where: str, probes: set[str]) -> Step:
    if not isinstance(s, dict):
        raise GuideError(f"{where}: must be an object")
    allowed = {
        "id",
        "title",
        "topic",
        "why",
        "how",
        "recommended",
        "priority",
        "may_alert_others",
        "probe",
        "source",
        "last_verified",
    }
    if set(s) - allowed:
        raise GuideError(f"{where}: unknown {sorted(set(s) - allowed)}")
    if not isinstance(s.get("id"), str) or not _ID.match(s["id"]):
        raise GuideError(f"{where}: id must be lower-case letters, digits and dashes")
    for key in ("title", "why", "recommended", "source"):
        _text(s, key, where)
    if not 1 <= sentences(s["why"]) <= 2:
        raise GuideError(f"{where}: why must be one or two sentences")
    if s.get("topic") not in TOPICS:
        raise GuideError(f"{where}: unknown topic {s.get('topic')!r}")
    if s.get("priority") not in PRIORITIES:
        raise GuideError(f"{where}: priority must be one of {sorted(PRIORITIES)}")
    if not isinstance(s.get("may_alert_others"), bool):
        raise GuideError(f"{where}: may_alert_others must be true or false")
    if "probe" in s and s["probe"] not in probes:
        raise GuideError(f"{where}: unknown probe {s['probe']!r}")
    hows = s.get("how")
    if not isinstance(hows, list) or not hows:
        raise GuideError(f"{where}: how must list at least one menu path")
    parsed = []
    for h in hows:
        if not isinstance(h, dict) or set(h) - {"path", "versions", "note"}:
            raise GuideError(f"{where}: each how has a path, and may have versions and a note")
        path = h.get("path")
        if not isinstance(path, list) or not path or not all(isinstance(p, str) and p.strip() for p in path):
            raise GuideError(f"{where}: a how's path must be a list of menu names")
        vs = h.get("versions", [])
        if not isinstance(vs, list) or any(v not in versions for v in vs):
            raise GuideError(f"{where}: a how's versions must be among the guide's versions {list(versions)}")
        if "note" in h:
            _text(h, "note", where)
        parsed.append(How(tuple(path), tuple(vs), h.get("note")))
    lv = s.get("last_verified")
    if not isinstance(lv, dict) or set(lv) != {"date", "os", "marker"}:
        raise GuideError(f"{where}: last_verified needs exactly date, os and marker")
    _date(lv["date"], f"{where}: last_verified date")
    _text(lv, "os", where)
    if lv["marker"] not in MARKERS:
        raise GuideError(f"{where}: last_verified marker must be one of {sorted(MARKERS)}")
    return Step(
        guide,
        s["id"],
        s["title"],
        s["topic"],
        s["why"],
        tuple(parsed),
        s["recommended"],
        s["priority"],
        s["may_alert_others"],
        s.get("probe"),
        s["source"],
        lv["date"],
        lv["os"],
        lv["marker"],
    )


def validate(doc: Any, file_id: str, probes: set[str]) -> Guide:
    where = f"{file_id}.json"
    if not isinstance(doc, dict):
        raise GuideError(f"{where}: must be an object")
    allowed = {"id", "title", "kind", "versions", "content_version", "intro", "steps"}
    if set(doc) != allowed:
        raise GuideError(f"{where}: needs exactly {sorted(allowed)}")
    if doc["id"] != file_id:
        raise GuideError(f"{where}: id must be the file's name ({file_id})")
    for key in ("title", "intro"):
        _text(doc, key, where)
    if doc["kind"] not in KINDS:
        raise GuideError(f"{where}: kind must be one of {sorted(KINDS)}")
    versions = doc["versions"]
    if not isinstance(versions, list) or not versions or not all(isinstance(v, str) and v for v in versions):
        raise GuideError(f"{where}: versions must list the versions it covers")
    _date(doc["content_version"], f"{where}: content_version")
    steps = doc["steps"]
    if not isinstance(steps, list) or len(steps) < 6:
        raise GuideError(f"{where}: a guide needs at least 6 steps")
    parsed = [
        _step(file_id, tuple(versions), s, f"{where}: step {n}", probes) for n, s in enumerate(steps, 1)
    ]
    ids = [s.id for s in parsed]
    if len(set(ids)) != len(ids):
        raise GuideError(f"{where}: step ids used twice: {sorted({i for i in ids if ids.count(i) > 1})}")
    return Guide(
        file_id,
        doc["title"],
        doc["kind"],
        tuple(versions),
        doc["content_version"],
        doc["intro"],
        tuple(parsed),
    )
