"""A room check as a practitioner finishes it: the scan's devices, the physical checklist, who and when.

Qt-free: the page and the tests build, save and describe checks through here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from checks.network.classify import Device
from checks.network.signatures import device_class

if TYPE_CHECKING:  # the scanning stack (asyncio, aiohttp, UPnP) is imported only when a scan starts
    from checks.network.scan import ScanResult
    from checks.store import Room, Store

SCREEN_CLASSES = {"smart_display", "tv", "phone", "tablet", "computer"}  # it can show what it is sent
STATUS_WORDS = {"new": "New", "known": "Known", "missing": "Not seen this time", None: ""}
# How long a scan may listen: as checks.network.scan's MIN_SECONDS and MAX_SECONDS (a test keeps them equal).
SCAN_SECONDS = (2, 60)
# The same words as checks.network.scan.NOT_PRESENT (a test keeps them equal), here so that showing or
# describing a check does not import the scanning stack.
NOT_PRESENT = (
    "A scan can only see devices on this network that announce themselves. A phone on mobile data, a "
    "camera on another network or a recorder with a memory card will not show up: not found does not mean "
    "not there. Look around the room too."
)


class ChecklistError(ValueError):
    """The checklist file does not follow its schema."""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    title: str
    why: str
    source: str
    last_verified: str


@dataclass(frozen=True)
class Checklist:
    version: str
    items: tuple[ChecklistItem, ...]


def validate_checklist(doc: Any) -> Checklist:
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list) or not doc["items"]:
        raise ChecklistError("expected an object with a non-empty 'items' list")
    if not isinstance(doc.get("version"), str):
        raise ChecklistError("expected a 'version'")
    items, seen = [], set()
    for n, item in enumerate(doc["items"], start=1):
        fields = ("id", "title", "why", "source", "last_verified")
        if not isinstance(item, dict) or set(item) != set(fields):
            raise ChecklistError(f"item {n}: needs exactly {list(fields)}")
        if not all(isinstance(item[f], str) and item[f].strip() for f in fields):
            raise ChecklistError(f"item {n}: every field must be a non-empty text")
        if item["id"] in seen:
            raise ChecklistError(f"item {n}: id {item['id']!r} is used twice")
        try:
            date.fromisoformat(item["last_verified"])
        except ValueError:
            raise ChecklistError(f"item {n}: last_verified must be a date (YYYY-MM-DD)") from None
        seen.add(item["id"])
        items.append(ChecklistItem(**{f: item[f] for f in fields}))
    return Checklist(doc["version"], tuple(items))


@cache
def room_checklist() -> Checklist:
    text = resources.files("resources").joinpath("checklists", "room.json").read_text("utf-8")
    return validate_checklist(json.loads(text))


def shown_name(d: Device) -> str:
    """ "Google Nest Mini, “Therapy Room”", or the label alone when the name says nothing more."""
    return f"{d.label}, “{d.name}”" if d.name and d.name.casefold() != d.label.casefold() else d.label


def capabilities(d: Device) -> str:
    """What the device could do, in words: never by colour or icon alone."""
    if d.microphone is False and d.camera is False:
        words = ["Cannot listen or watch"]
    else:
        words = []
        if d.microphone is True:
            words.append("Microphone")
        if d.camera is True:
            words.append("Camera")
        unknown = [w for w, v in (("a microphone", d.microphone), ("a camera", d.camera)) if v is None]
        if unknown:
            words.append("May have " + " or ".join(unknown))
    if d.device_class in SCREEN_CLASSES:
        words.append("Screen")
    if any(f.id == "room.names_person" for f in d.findings):
        words.append("Names a person")
    return ", ".join(words)


def one_line(d: Device) -> str:
    """The device's verdict line in the list: status, kind, what it could do."""
    kind = device_class(d.device_class).label
    status = STATUS_WORDS[d.status]
    return " · ".join(p for p in (status, kind, capabilities(d)) if p)


def record(
    room: str,
    interface: str | None,
    devices: list[Device],
    answers: dict[str, bool] | None,
    practitioner: str,
    *,
    scanned: bool,
    cancelled: bool = False,
    problems: list[str] | None = None,
    when: str | None = None,
) -> dict[str, Any]:
    """What is saved for a finished check (no client data: a check is about the room and its devices).
    answers None: the checklist was not offered (a scan from the command line)."""
    checklist = room_checklist()
    ticked = [] if answers is None else [
        {"id": i.id, "title": i.title, "done": bool(answers.get(i.id))} for i in checklist.items
    ]  # fmt: skip
    return {
        "room": room,
        "time": when or datetime.now().astimezone().isoformat(timespec="seconds"),
        "practitioner": practitioner.strip(),
        "interface": interface,
        "scanned": scanned,
        "cancelled": cancelled,
        "problems": list(problems or []),
        "note": NOT_PRESENT,
        "devices": [{k: v for k, v in d.to_dict().items() if k != "sightings"} for d in devices],
        "checklist_version": checklist.version,
        "checklist": ticked,
    }


def summary(data: dict[str, Any]) -> str:
    """One line for a past check in the history."""
    devices = data.get("devices", [])
    new = sum(d.get("status") == "new" for d in devices)
    missing = sum(d.get("status") == "missing" for d in devices)
    done = sum(bool(i.get("done")) for i in data.get("checklist", []))
    parts = [_when(data.get("time", ""))]
    if data.get("practitioner"):
        parts.append(f"by {data['practitioner']}")
    if data.get("scanned"):
        seen = len(devices) - missing
        scan = f"{seen} device{'s' if seen != 1 else ''} ({new} new, {missing} not seen)"
        parts.append(scan + (" (scan stopped early)" if data.get("cancelled") else ""))
    else:
        parts.append("no scan")
    total = len(data.get("checklist", []))
    parts.append(f"checklist {done} of {total}" if total else "no checklist (a scan from the command line)")
    return " · ".join(parts)


def _when(iso: str) -> str:
    try:
        t = datetime.fromisoformat(iso)
        return f"{t.day} {t:%b %Y, %H:%M}"  # "1 Dec 2026, 21:11"
    except ValueError:
        return iso


def describe(data: dict[str, Any]) -> str:
    """A past check in full, as plain text (never rich text: device names came from the network)."""
    lines = [f"Room check of “{data.get('room', '')}”", summary(data), ""]
    if data.get("scanned"):
        lines.append("Devices")
        for d in data.get("devices", []):
            status = STATUS_WORDS.get(d.get("status"), "")
            said = d.get(
                "explanation", ""
            )  # "Name: what it is", or for a missing one "Not seen this time: …"
            lines.append(f"  {status}: {said}" if status and d.get("status") != "missing" else f"  {said}")
            if d.get("note"):
                lines.append(f"    Note: {d['note']}")
        if not data.get("devices"):
            lines.append("  None found.")
        for problem in data.get("problems", []):
            lines.append(f"  {problem}")
    else:
        lines.append("No network scan was made with this check.")
    if data.get("checklist"):
        lines += ["", "Checklist"]
        for item in data["checklist"]:
            lines.append(f"  [{'x' if item.get('done') else ' '}] {item.get('title', '')}")
    lines += ["", data.get("note", NOT_PRESENT)]
    return "\n".join(lines)


def finish_scan(store: Store, room: Room, result: ScanResult, accept_new: bool = False) -> list[Device]:
    """A scan applied to its room, the same from the command line and from the app. A whole scan updates
    what the room is known to have (marking each device known, new or missing) and, with `accept_new`,
    remembers the new devices as the room's; a stopped scan says nothing of what is missing, so the room is
    not updated and each device is only marked known or new. Returns the devices in the order to show."""
    from checks.network import scan

    if result.cancelled:
        devices = list(result.devices)
        baseline = store.baseline(room)
        for d in devices:
            d.status, d.note = store.status_in(baseline, d)
    else:
        devices = store.record_scan(room, result.devices)
        if accept_new:
            store.accept(room, [d for d in devices if d.status == "new"])
    return scan.order(devices)
