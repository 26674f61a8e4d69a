"""The guides' schema: resources/guides/<id>.json, one file per guide, checked by `validate`.

A guide covers either system versions (a phone's or computer's, oldest first: the picker adds "newer than
this guide") or platforms (an account's app and website, which change without version numbers). Every step
has a menu path for every version or platform the guide lists, a public source, and an honest record of how
far that path was checked (see checks/guides/sources.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from checks.guides.sources import KINDS as SOURCE_KINDS
from checks.guides.sources import MAKERS, MARKERS, Source, Verified, internal, on_maker_site, url_problem

KINDS = {"phone": "Phone or tablet", "computer": "Computer", "account": "Online account"}
VERSION_KINDS = {"system": "system version", "platform": "app or website"}
PRIORITIES = {"essential": "Essential", "recommended": "Recommended", "optional": "Optional"}
TOPICS = {
    "access_review": "Who else has access",
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
    "sessions": "Signed-in devices and sessions",
    "recovery": "Recovery email and phone",
    "two_step": "Two-step verification and passkeys",
    "family": "Family and shared access",
    "third_party": "Apps with access to the account",
    "trackers": "Unknown trackers",
    "calendars": "Shared calendars and albums",
    "activity": "Activity and screen history",
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
    source: Source
    verified: Verified
    checklist: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.guide}.{self.id}"

    @property
    def marker(self) -> str:
        return self.verified.marker

    def paths_for(self, version: str) -> list[How]:
        """The menu paths written for exactly this version (those for every version included)."""
        return [h for h in self.how if not h.versions or version in h.versions]

    def how_for(self, version: str | None) -> list[How]:
        """The menu paths to show for this version; every path when the version is not one of the guide's."""
        return (self.paths_for(version) if version else []) or list(self.how)


@dataclass(frozen=True)
class Guide:
    id: str
    title: str
    kind: str
    version_kind: str
    versions: tuple[str, ...]
    older_versions: tuple[str, ...]  # covered once; kept so that devices saved with them still open
    content_version: str  # the day the guide was last checked
    review_by: str  # after this day, the app says menus may have changed since
    intro: str
    steps: tuple[Step, ...]

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    @property
    def newer(self) -> str | None:
        """The picker's choice for a system newer than the guide, for guides of system versions."""
        return f"Newer than {self.versions[-1]}" if self.version_kind == "system" else None

    def choices(self) -> list[str]:
        """What the version picker offers: system versions newest first (after "newer than"), platforms in
        the guide's order."""
        if self.version_kind == "system":
            return [f"Newer than {self.versions[-1]}", *reversed(self.versions)]
        return list(self.versions)

    @property
    def default(self) -> str:
        """The version the picker starts at: the newest system version, or the first platform."""
        return self.versions[-1] if self.version_kind == "system" else self.versions[0]

    def accepts(self, version: str) -> bool:
        return version in self.versions or version == self.newer or version in self.older_versions

    def resolve(self, version: str | None) -> tuple[str | None, str | None]:
        """The guide version whose paths to show for the person's version, and a note when it is not
        theirs."""
        if version is None or version in self.versions:
            return version, None
        if version == self.newer:
            latest = self.versions[-1]
            return latest, (
                f"This guide was written for {latest}, the newest version it knows. On a newer version the "
                "menus may have moved: the paths shown are those for "
                f"{latest}; if one is not there, search the settings for the setting's name."
            )
        if version in self.older_versions:
            oldest = self.versions[0]
            return oldest, (
                f"This guide no longer covers {version}: the paths shown are those for {oldest}, and may "
                "differ on your device. Updating the system, where you can, brings its privacy fixes too."
            )
        return None, None

    def overdue(self, today: date) -> str | None:
        """What to say when the guide's review date has passed, or None."""
        if today <= date.fromisoformat(self.review_by):
            return None
        from checks.guides.sources import month

        return (
            f"This guide was last checked in {month(self.content_version)}; menus may have changed since. "
            "If a path is not where the guide says, search the settings for the setting's name."
        )


def _text(d: dict[str, Any], key: str, where: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GuideError(f"{where}: {key} must be a non-empty text")
    leak = internal(value)
    if leak:
        raise GuideError(f"{where}: {key} names an internal file or note ({leak!r}); users cannot open it")
    return value


def _date(value: Any, where: str) -> str:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        raise GuideError(f"{where}: must be a date (YYYY-MM-DD)") from None
    return str(value)


def _strings(value: Any, where: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GuideError(f"{where}: must be a list of texts")
    if allowed is not None and any(v not in allowed for v in value):
        raise GuideError(f"{where}: must be among the guide's versions {list(allowed)}")
    for v in value:
        if internal(v):
            raise GuideError(f"{where}: names an internal file or note ({internal(v)!r})")
    return tuple(value)


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?=\s|$)", text.strip()))


def _source(s: Any, where: str) -> Source:
    if not isinstance(s, dict) or set(s) != {"url", "title", "publisher", "kind"}:
        raise GuideError(f"{where}: source needs exactly url, title, publisher and kind")
    problem = url_problem(s["url"])
    if problem:
        raise GuideError(f"{where}: source url {problem}")
    _text(s, "title", where)
    _text(s, "publisher", where)
    if s["kind"] not in SOURCE_KINDS:
        raise GuideError(f"{where}: source kind must be one of {sorted(SOURCE_KINDS)}")
    if s["kind"] == "maker":
        if s["publisher"] not in MAKERS:
            raise GuideError(f"{where}: a maker's source needs a maker's name, one of {sorted(MAKERS)}")
        if not on_maker_site(s["url"], s["publisher"]):
            raise GuideError(f"{where}: source url is not on {s['publisher']}'s own help site")
    elif s["publisher"] in MAKERS and on_maker_site(s["url"], s["publisher"]):
        raise GuideError(f"{where}: a page on the maker's own site is a maker's source")
    return Source(s["url"], s["title"], s["publisher"], s["kind"])


def _verified(lv: Any, source: Source, versions: tuple[str, ...], where: str) -> Verified:
    if not isinstance(lv, dict) or lv.get("marker") not in MARKERS:
        raise GuideError(f"{where}: last_verified marker must be one of {sorted(MARKERS)}")
    if lv["marker"] == "unconfirmed":
        if set(lv) != {"marker"}:
            raise GuideError(f"{where}: an unconfirmed step has no last_verified date or versions")
        return Verified("unconfirmed", None, ())
    if set(lv) != {"marker", "date", "versions"}:
        raise GuideError(f"{where}: last_verified needs exactly marker, date and versions")
    expected = "maker" if lv["marker"] == "checked" else "secondary"
    if source.kind != expected:
        raise GuideError(
            f"{where}: a step marked {lv['marker']} needs {SOURCE_KINDS[expected]} as its source"
        )
    checked_for = _strings(lv["versions"], f"{where}: last_verified versions", versions)
    if not checked_for:
        raise GuideError(f"{where}: last_verified versions must name what the page speaks for")
    return Verified(lv["marker"], _date(lv["date"], f"{where}: last_verified date"), checked_for)


_STEP_KEYS = {"id", "title", "topic", "why", "how", "recommended", "priority", "may_alert_others", "probe",
              "source", "last_verified", "checklist"}  # fmt: skip


def _step(guide: str, versions: tuple[str, ...], s: Any, where: str, probes: set[str]) -> Step:
    if not isinstance(s, dict):
        raise GuideError(f"{where}: must be an object")
    if set(s) - _STEP_KEYS:
        raise GuideError(f"{where}: unknown {sorted(set(s) - _STEP_KEYS)}")
    if not isinstance(s.get("id"), str) or not _ID.match(s["id"]):
        raise GuideError(f"{where}: id must be lower-case letters, digits and dashes")
    for key in ("title", "why", "recommended"):
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
    checklist = _strings(s.get("checklist", []), f"{where}: checklist")
    hows = s.get("how")
    if not isinstance(hows, list) or not hows:
        raise GuideError(f"{where}: how must list at least one menu path")
    parsed = []
    for h in hows:
        if not isinstance(h, dict) or "path" not in h or set(h) - {"path", "versions", "note"}:
            raise GuideError(f"{where}: each how has a path, and may have versions and a note")
        path = h["path"]
        if not isinstance(path, list) or not path or not all(isinstance(p, str) and p.strip() for p in path):
            raise GuideError(f"{where}: a how's path must be a list of menu names")
        _strings(path, f"{where}: a how's path")
        vs = _strings(h.get("versions", []), f"{where}: a how's versions", versions)
        if "note" in h:
            _text(h, "note", where)
        parsed.append(How(tuple(path), vs, h.get("note")))
    missing = [v for v in versions if not any(not h.versions or v in h.versions for h in parsed)]
    if missing:
        raise GuideError(f"{where}: no menu path for {missing}; give one, or say it is the same for all")
    source = _source(s.get("source"), where)
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
        source,
        _verified(s.get("last_verified"), source, versions, where),
        checklist,
    )


_GUIDE_KEYS = {"id", "title", "kind", "version_kind", "versions", "older_versions", "content_version",
               "review_by", "intro", "steps"}  # fmt: skip


def validate(doc: Any, file_id: str, probes: set[str]) -> Guide:
    where = f"{file_id}.json"
    if not isinstance(doc, dict):
        raise GuideError(f"{where}: must be an object")
    if set(doc) - _GUIDE_KEYS or _GUIDE_KEYS - set(doc) - {"older_versions"}:
        raise GuideError(f"{where}: needs exactly {sorted(_GUIDE_KEYS)} (older_versions may be left out)")
    if doc["id"] != file_id:
        raise GuideError(f"{where}: id must be the file's name ({file_id})")
    for key in ("title", "intro"):
        _text(doc, key, where)
    if doc["kind"] not in KINDS:
        raise GuideError(f"{where}: kind must be one of {sorted(KINDS)}")
    if doc["version_kind"] not in VERSION_KINDS:
        raise GuideError(f"{where}: version_kind must be one of {sorted(VERSION_KINDS)}")
    versions = _strings(doc["versions"], f"{where}: versions")
    older = _strings(doc.get("older_versions", []), f"{where}: older_versions")
    if not versions or len(set(versions + older)) != len(versions + older):
        raise GuideError(f"{where}: versions must list the versions it covers, each once")
    checked = _date(doc["content_version"], f"{where}: content_version")
    if _date(doc["review_by"], f"{where}: review_by") <= checked:
        raise GuideError(f"{where}: review_by must come after content_version")
    steps = doc["steps"]
    if not isinstance(steps, list) or len(steps) < 6:
        raise GuideError(f"{where}: a guide needs at least 6 steps")
    parsed = [_step(file_id, versions, s, f"{where}: step {n}", probes) for n, s in enumerate(steps, 1)]
    if parsed[0].topic != "access_review":
        raise GuideError(f"{where}: the first step must be the review of who else has access")
    ids = [s.id for s in parsed]
    if len(set(ids)) != len(ids):
        raise GuideError(f"{where}: step ids used twice: {sorted({i for i in ids if ids.count(i) > 1})}")
    late = [s.id for s in parsed if s.verified.date and s.verified.date > checked]
    if late:
        raise GuideError(f"{where}: steps checked after the guide's content_version: {late}")
    return Guide(file_id, doc["title"], doc["kind"], doc["version_kind"], versions, older, checked,
                 doc["review_by"], doc["intro"], tuple(parsed))  # fmt: skip
