"""Devices (and accounts) as profiles, and how far each has got through its guide, kept in the store.

A profile is what the user calls it ("Practice iPad"), the guide it follows, its system version and whose it
is. Each step can be done, not applicable, skipped for now, or in need of help, with a note and the time;
the step the user was on is kept, so coming back resumes there.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime

from checks.errors import SafeSpaceError
from checks.guides.loader import guide as find_guide
from checks.guides.schema import Guide, Step
from checks.store import Store
from checks.text import one_line

STATUSES = {
    "done": "Done",
    "not_applicable": "Not applicable",
    "skipped": "Skipped for now",
    "needs_help": "Needs help",
}
ROLES = ["Practitioner", "Practice manager", "Reception or admin", "Shared by several people"]


class ProfileError(SafeSpaceError):
    """A device profile cannot be made or found as asked."""


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    guide: str
    os_version: str | None
    role: str | None
    this_computer: bool
    position: str | None  # the step the user was on
    created: str


@dataclass(frozen=True)
class Mark:
    status: str
    note: str | None
    time: str


@dataclass
class Summary:
    total: int
    counted: dict[str, int] = field(default_factory=dict)  # status -> how many
    left: list[Step] = field(default_factory=list)  # not done, not n/a (skipped and needing help included)

    @property
    def finished(self) -> int:
        return self.counted.get("done", 0) + self.counted.get("not_applicable", 0)

    @property
    def essential_left(self) -> list[Step]:
        return [s for s in self.left if s.priority == "essential"]

    def line(self) -> str:
        parts = [f"{self.finished} of {self.total} steps finished"]
        if self.counted.get("needs_help"):
            parts.append(f"{self.counted['needs_help']} need help")
        if self.essential_left:
            parts.append(f"{len(self.essential_left)} essential left")
        return ", ".join(parts)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _profile(row: sqlite3.Row) -> Profile:
    return Profile(
        row["id"],
        row["name"],
        row["guide"],
        row["os_version"],
        row["role"],
        bool(row["this_computer"]),
        row["position"],
        row["created"],
    )


def add_profile(
    store: Store,
    name: str,
    guide_id: str,
    os_version: str | None = None,
    role: str | None = None,
    this_computer: bool = False,
) -> Profile:
    clean = one_line(name)
    if not clean:
        raise ProfileError("A device needs a name, for example “Practice iPad”.")
    if len(clean) > 80:
        raise ProfileError("A device's name can be at most 80 characters long.")
    guide = find_guide(guide_id)
    if os_version is not None and not guide.accepts(os_version):
        raise ProfileError(f"The guide for {guide.title} covers {', '.join(guide.choices())}.")
    try:
        with store.transaction() as db:
            db.execute(
                "INSERT INTO profiles(name, guide, os_version, role, this_computer, position, created) "
                "VALUES(?,?,?,?,?,NULL,?)",
                (clean, guide_id, os_version, role, int(this_computer), _now()),
            )
    except sqlite3.IntegrityError:
        raise ProfileError(f"There is already a device called “{clean}”.") from None
    return profile(store, clean)


def profiles(store: Store) -> list[Profile]:
    return [_profile(r) for r in store.db.execute("SELECT * FROM profiles ORDER BY name COLLATE NOCASE")]


def profile(store: Store, name: str) -> Profile:
    row = store.db.execute("SELECT * FROM profiles WHERE name = ?", (one_line(name),)).fetchone()
    if row is None:
        raise ProfileError(f"There is no device called “{name}”.")
    return _profile(row)


def remove_profile(store: Store, p: Profile) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM profiles WHERE id = ?", (p.id,))


def marks(store: Store, p: Profile) -> dict[str, Mark]:
    rows = store.db.execute("SELECT step, status, note, time FROM progress WHERE profile_id = ?", (p.id,))
    return {r["step"]: Mark(r["status"], r["note"], r["time"]) for r in rows}


def mark(
    store: Store, p: Profile, step_id: str, status: str, note: str | None = None, when: str | None = None
) -> None:
    if status not in STATUSES:
        raise ProfileError(f"Unknown status {status!r}.")
    try:
        find_guide(p.guide).step(step_id)
    except KeyError:
        raise ProfileError(f"The guide has no step “{step_id}”.") from None
    with store.transaction() as db:
        db.execute(
            "INSERT INTO progress VALUES(?,?,?,?,?) ON CONFLICT(profile_id, step) "
            "DO UPDATE SET status=excluded.status, note=excluded.note, time=excluded.time",
            (p.id, step_id, status, (note or "").strip()[:500] or None, when or _now()),
        )


def unmark(store: Store, p: Profile, step_id: str) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM progress WHERE profile_id = ? AND step = ?", (p.id, step_id))


def set_position(store: Store, p: Profile, step_id: str) -> None:
    with store.transaction() as db:
        db.execute("UPDATE profiles SET position = ? WHERE id = ?", (step_id, p.id))


def resume_at(guide: Guide, p: Profile, done: dict[str, Mark]) -> Step:
    """The step to show when the user comes back: where they were, else the first one not finished."""
    if p.position:
        try:
            return guide.step(p.position)
        except KeyError:
            pass
    return next((s for s in guide.steps if s.id not in done), guide.steps[0])


def summary(guide: Guide, done: dict[str, Mark]) -> Summary:
    result = Summary(len(guide.steps))
    for s in guide.steps:
        status = done[s.id].status if s.id in done else None
        if status:
            result.counted[status] = result.counted.get(status, 0) + 1
        if status not in ("done", "not_applicable"):
            result.left.append(s)
    return result
