"""What a review can cover, with the latest evidence for each: rooms (their latest check), devices (their
walkthrough progress), this computer (its latest saved check), and image cleaning (counts only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checks.guides import progress
from checks.guides.loader import guide
from checks.reviews.words import STEP_STATES, when
from checks.room_check import summary as check_summary
from checks.store import Store


@dataclass
class Item:
    kind: str  # "room", "device", "computer", "images"
    ref: str  # the room's or device's name; "this computer"; "images"
    label: str
    evidence: dict[str, Any] = field(default_factory=dict)
    outcome: str | None = None  # "fine", "action_needed", "risk_accepted"
    reason: str | None = None  # why a risk was accepted
    comment: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "label": self.label,
            "evidence": self.evidence,
            "outcome": self.outcome,
            "reason": self.reason,
            "comment": self.comment,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Item:
        return cls(
            d["kind"],
            d["ref"],
            d["label"],
            d.get("evidence", {}),
            d.get("outcome"),
            d.get("reason"),
            d.get("comment"),
        )


def room_item(store: Store, name: str) -> Item:
    room = store.room(name, create=False)
    checks = store.checks(room)
    if not checks:
        return Item("room", room.name, f"Room: {room.name}", {"summary": "Never checked"})
    data = checks[0]["data"]
    devices = data.get("devices", [])
    evidence = {
        "summary": check_summary(data) if "checklist" in data else when(checks[0]["time"]),
        "checked": data.get("time", checks[0]["time"]),
        "devices": [
            {
                "label": d.get("label"),
                "name": d.get("name"),
                "status": d.get("status"),
                "severity": d.get("severity"),
                "class": d.get("class"),
            }
            for d in devices
        ],
        "checklist": data.get("checklist", []),
    }
    return Item("room", room.name, f"Room: {room.name}", evidence)


def device_item(store: Store, name: str) -> Item:
    p = progress.profile(store, name)
    g = guide(p.guide)
    marks = progress.marks(store, p)
    s = progress.summary(g, marks)
    evidence = {
        "summary": s.line(),
        "guide": g.title,
        "os_version": p.os_version,
        "role": p.role,
        "steps": [
            {
                "title": st.title,
                "priority": st.priority,
                "status": marks[st.id].status if st.id in marks else None,
            }
            for st in g.steps
        ],
    }
    return Item("device", p.name, f"Device: {p.name} ({g.title})", evidence)


def computer_item(store: Store) -> Item:
    saved = store.computer_checks()
    if not saved:
        return Item("computer", "this computer", "This computer", {"summary": "Never checked"})
    data = saved[0]["data"]
    findings = [f for group in data.get("areas", {}).values() for f in group]
    serious = [f for f in findings if f.get("severity") in ("high", "medium")]
    evidence = {
        "summary": f"Checked {when(data.get('time', saved[0]['time']))}: {len(serious)} to look at",
        "system": data.get("system"),
        "findings": [{"severity": f.get("severity"), "title": f.get("title")} for f in findings],
    }
    return Item("computer", "this computer", "This computer", evidence)


def images_item(store: Store) -> Item:
    totals = store.image_totals()
    evidence = {
        "summary": f"{totals['cleaned']} safe copies made and checked, {totals['failed']} failed "
        f"(no file names are kept)",
        **totals,
    }
    return Item("images", "images", "Image cleaning", evidence)


def available(store: Store) -> list[Item]:
    """Everything a review could cover now, with fresh evidence."""
    items = [room_item(store, r.name) for r in store.rooms()]
    items += [device_item(store, p.name) for p in progress.profiles(store)]
    items += [computer_item(store), images_item(store)]
    return items


def refresh(store: Store, kind: str, ref: str) -> Item | None:
    """The same item with today's evidence, or None when it no longer exists."""
    try:
        if kind == "room":
            return room_item(store, ref)
        if kind == "device":
            return device_item(store, ref)
    except Exception:
        return None
    return computer_item(store) if kind == "computer" else images_item(store)


def device_progress(store: Store, name: str) -> dict[str, Any]:
    """A device's walkthrough progress, step by step, for its own report."""
    p = progress.profile(store, name)
    g = guide(p.guide)
    marks = progress.marks(store, p)
    return {
        "name": p.name,
        "guide": g.title,
        "os_version": p.os_version,
        "role": p.role,
        "summary": progress.summary(g, marks).line(),
        "steps": [
            {
                "title": s.title,
                "priority": s.priority,
                "status": STEP_STATES.get(marks[s.id].status) if s.id in marks else None,
                "note": marks[s.id].note if s.id in marks else None,
                "time": when(marks[s.id].time) if s.id in marks else None,
            }
            for s in g.steps
        ],
    }
