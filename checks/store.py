"""SafeSpace's saved data: sqlite under the data folder (SAFESPACE_HOME/data in tests).

Rooms and the devices each is known to have, and past room checks. Every change is one transaction with
synchronous writes, so a crash mid-write leaves the last complete state. A file that is not a readable
database is moved aside (never deleted) and a fresh one started; `trouble` says so in words.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from checks import paths
from checks.errors import SafeSpaceError
from checks.model import Finding, Severity
from checks.network.classify import Device

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS room_devices(
    room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    keys TEXT NOT NULL,
    name TEXT, label TEXT NOT NULL, class TEXT NOT NULL, microphone INTEGER, camera INTEGER,
    known INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY(room_id, device_id)
);
CREATE TABLE IF NOT EXISTS profiles(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    guide TEXT NOT NULL,
    os_version TEXT,
    role TEXT,
    this_computer INTEGER NOT NULL DEFAULT 0,
    position TEXT,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS progress(
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    time TEXT NOT NULL,
    PRIMARY KEY(profile_id, step)
);
CREATE TABLE IF NOT EXISTS reviews(
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    status TEXT NOT NULL,
    based_on INTEGER,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS image_activity(
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    cleaned INTEGER NOT NULL,
    failed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS computer_checks(
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checks(
    id INTEGER PRIMARY KEY,
    room_id INTEGER REFERENCES rooms(id) ON DELETE SET NULL,
    time TEXT NOT NULL,
    interface TEXT,
    data TEXT NOT NULL
);
"""
# Identifiers that stay with a device; an address alone may pass to another device.
_STRONG = ("mac:", "udn:", "wsd:", "cast:", "host:")


_INSERT = "INSERT INTO room_devices VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"


def _identity(d: Device) -> set[str]:
    """What a room remembers a device by: its lasting identifiers and its addresses."""
    return _strong(set(d.keys), d.mac) | {f"ip:{a}" for a in d.addresses}


def _values(
    room: Room, d: Device, keys: set[str], known: bool, note: str | None, first: str, last: str
) -> tuple[Any, ...]:
    return (room.id, d.id, json.dumps(sorted(keys)), d.name, d.label, d.device_class, d.microphone, d.camera,
            int(known), note, first, last)  # fmt: skip


class StoreError(SafeSpaceError):
    """The saved data cannot be read or written."""


@dataclass(frozen=True)
class Room:
    id: int
    name: str
    created: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _strong(keys: set[str], mac: str | None = None) -> set[str]:
    out = {k for k in keys if k.startswith(_STRONG)}
    if mac:
        out.add(f"mac:{mac}")
    return out


class Store:
    MEMORY = Path(":memory:")

    def __init__(self, path: Path | None = None):
        """Opens the saved data. StoreError when it cannot be opened at all (for example a folder that may
        not be written): the caller can then work with Store(Store.MEMORY) and say that nothing is saved."""
        self.path = path or paths.data_dir() / "safespace.db"
        self.trouble: str | None = None
        try:
            if self.path != self.MEMORY:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = self._open()
        except (OSError, sqlite3.OperationalError) as exc:
            raise StoreError(
                f"SafeSpace cannot open its saved rooms and checks in {self.path.parent}: {exc}."
            ) from exc
        except sqlite3.DatabaseError:
            aside = self.path.with_name(f"{self.path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.trouble = (
                f"SafeSpace's saved rooms and checks could not be read, so it started afresh. The old file "
                f"was kept as {aside.name} in {aside.parent}."
            )
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            db.executescript(_SCHEMA)
            version = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if version is None:
                db.execute("INSERT INTO meta VALUES('schema', ?)", (str(SCHEMA_VERSION),))
            elif int(version[0]) > SCHEMA_VERSION:
                raise StoreError(
                    "The saved data was written by a newer SafeSpace. Update SafeSpace to open it."
                )
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing change, for the modules that keep their own tables here (guides' progress)."""
        with self._tx() as db:
            yield db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # Rooms ---------------------------------------------------------------------------------------------

    def rooms(self) -> list[Room]:
        rows = self.db.execute("SELECT id, name, created FROM rooms ORDER BY name COLLATE NOCASE")
        return [Room(r["id"], r["name"], r["created"]) for r in rows]

    def room(self, name: str, create: bool = True) -> Room:
        clean = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
        if not clean:
            raise StoreError("A room needs a name.")
        if len(clean) > 80:
            raise StoreError("A room's name can be at most 80 characters long.")
        row = self.db.execute("SELECT id, name, created FROM rooms WHERE name = ?", (clean,)).fetchone()
        if row is None:
            if not create:
                raise StoreError(f"There is no room called “{clean}”.")
            with self._tx() as db:
                cur = db.execute("INSERT INTO rooms(name, created) VALUES(?, ?)", (clean, now()))
            return Room(int(cur.lastrowid or 0), clean, now())
        return Room(row["id"], row["name"], row["created"])

    # Devices of a room -----------------------------------------------------------------------------------

    def _rows(self, room: Room) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM room_devices WHERE room_id = ?", (room.id,)))

    @staticmethod
    def _match(device: Device, rows: list[sqlite3.Row], taken: set[str]) -> sqlite3.Row | None:
        mine = _strong(set(device.keys), device.mac)
        for row in rows:
            same_id = row["device_id"] == device.id and device.id.startswith(_STRONG)
            if row["device_id"] not in taken and (same_id or mine & set(json.loads(row["keys"]))):
                return row
        addresses = {f"ip:{a}" for a in device.addresses}
        for row in rows:  # an address alone counts only for a device of the same kind
            keys = set(json.loads(row["keys"]))
            if row["device_id"] not in taken and row["class"] == device.device_class and addresses & keys:
                return row
        return None

    def record_scan(self, room: Room, devices: list[Device], when: str | None = None) -> list[Device]:
        """Mark each device known or new for this room and remember when it was seen; add the known devices
        not seen this time as "missing". Returns the devices with status, note and times filled in."""
        when = when or now()
        out: list[Device] = []
        with self._tx() as db:
            rows = self._rows(room)
            taken: set[str] = set()
            for d in devices:
                row = self._match(d, rows, taken)
                keys = _identity(d)
                if row is None:
                    used = {r["device_id"] for r in rows} | taken
                    base, n = d.id, 1
                    while d.id in used:  # an address-only id that an earlier device of this room had
                        n += 1
                        d.id = f"{base}#{n}"
                    db.execute(_INSERT, _values(room, d, keys, False, None, when, when))
                    d.status, d.first_seen, d.last_seen = "new", when, when
                else:
                    d.id = row["device_id"]
                    merged = sorted(_strong(set(json.loads(row["keys"]))) | keys)
                    db.execute(
                        "UPDATE room_devices SET keys=?, name=?, label=?, class=?, microphone=?, camera=?, "
                        "last_seen=?"
                        " WHERE room_id=? AND device_id=?",
                        (
                            json.dumps(merged),
                            d.name,
                            d.label,
                            d.device_class,
                            d.microphone,
                            d.camera,
                            when,
                            room.id,
                            d.id,
                        ),
                    )
                    d.status = "known" if row["known"] else "new"
                    d.note, d.first_seen, d.last_seen = row["note"], row["first_seen"], when
                taken.add(d.id)
                out.append(d)
            for row in rows:
                if row["known"] and row["device_id"] not in taken:
                    out.append(self._missing(row))
        return out

    @staticmethod
    def _missing(row: sqlite3.Row) -> Device:
        label, name = row["label"], row["name"]
        shown = f"{label}, “{name}”" if name and name.casefold() != label.casefold() else label
        finding = Finding(
            "room.missing",
            "room",
            Severity.MEDIUM if (row["microphone"] or row["camera"]) else Severity.INFO,
            f"Not seen this time: {shown}",
            "This room is known to have it, but it did not answer. It may be switched off, asleep, or on "
            "another network, where it could still record. Check that it is where you expect it to be.",
            {"device_id": row["device_id"]},
        )
        return Device(
            id=row["device_id"],
            name=name,
            addresses=[k[3:] for k in json.loads(row["keys"]) if k.startswith("ip:")],
            mac=next((k[4:] for k in json.loads(row["keys"]) if k.startswith("mac:")), None),
            vendor=None,
            device_class=row["class"],
            label=label,
            microphone=_bool(row["microphone"]),
            camera=_bool(row["camera"]),
            confidence="low",
            severity=finding.severity,
            explanation=finding.title,
            advice=finding.detail,
            evidence=["Remembered for this room; not heard in this scan"],
            findings=[finding],
            keys=json.loads(row["keys"]),
            status="missing",
            note=row["note"],
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
        )

    def baseline(self, room: Room) -> list[sqlite3.Row]:
        """What the room remembers, for telling known from new while a scan runs (read only)."""
        return self._rows(room)

    @classmethod
    def status_in(cls, baseline: list[sqlite3.Row], device: Device) -> tuple[str, str | None]:
        """ "known" or "new" for a device, against a baseline, and the note kept for it."""
        row = cls._match(device, baseline, set())
        return ("known" if row is not None and row["known"] else "new"), (
            row["note"] if row is not None else None
        )

    def accept(self, room: Room, devices: list[Device], note: str | None = None) -> None:
        """Remember these devices as belonging to the room. Their status in this check stays as it was
        (a device accepted now was still new when this check found it)."""
        with self._tx() as db:
            for d in devices:
                when = d.last_seen or now()
                db.execute(
                    _INSERT + " ON CONFLICT(room_id, device_id) DO UPDATE SET known=1, "
                    "note=COALESCE(excluded.note, note)",
                    _values(room, d, _identity(d), True, note, d.first_seen or when, when),
                )

    def set_note(self, room: Room, device_id: str, note: str | None) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE room_devices SET note=? WHERE room_id=? AND device_id=?",
                ((note or "").strip()[:200] or None, room.id, device_id),
            )

    def forget(self, room: Room, device_id: str) -> None:
        """No longer known for this room: next time it is seen it counts as new."""
        with self._tx() as db:
            db.execute("DELETE FROM room_devices WHERE room_id=? AND device_id=?", (room.id, device_id))

    def known_devices(self, room: Room) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT device_id, name, label, class, note, first_seen, last_seen FROM room_devices "
            "WHERE room_id=? AND known=1 ORDER BY label, name",
            (room.id,),
        )
        return [dict(r) for r in rows]

    # Checks --------------------------------------------------------------------------------------------

    def save_check(
        self, room: Room | None, interface: str | None, data: dict[str, Any], when: str | None = None
    ) -> int:
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO checks(room_id, time, interface, data) VALUES(?,?,?,?)",
                (room.id if room else None, when or now(), interface, json.dumps(data, ensure_ascii=False)),
            )
        return int(cur.lastrowid or 0)

    def checks(self, room: Room | None = None) -> list[dict[str, Any]]:
        """Past checks, newest first: id, room, time, interface and the saved data."""
        sql = (
            "SELECT c.id, r.name AS room, c.time, c.interface, c.data "
            "FROM checks c LEFT JOIN rooms r ON r.id = c.room_id"
        )
        args: tuple[Any, ...] = ()
        if room is not None:
            sql += " WHERE c.room_id = ?"
            args = (room.id,)
        rows = self.db.execute(sql + " ORDER BY c.time DESC, c.id DESC", args)
        return [{**dict(r), "data": json.loads(r["data"])} for r in rows]

    # This computer -------------------------------------------------------------------------------------

    def save_computer(self, data: dict[str, Any], when: str | None = None) -> int:
        """Keep a "This computer" result for reviews."""
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO computer_checks(time, data) VALUES(?, ?)",
                (when or data.get("time") or now(), json.dumps(data, ensure_ascii=False)),
            )
        return int(cur.lastrowid or 0)

    def computer_checks(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT id, time, data FROM computer_checks ORDER BY time DESC, id DESC")
        return [{"id": r["id"], "time": r["time"], "data": json.loads(r["data"])} for r in rows]

    # Image cleaning: counts only, never file names ---------------------------------------------------------

    def record_images(self, cleaned: int, failed: int, when: str | None = None) -> None:
        if cleaned or failed:
            with self._tx() as db:
                db.execute(
                    "INSERT INTO image_activity(time, cleaned, failed) VALUES(?,?,?)",
                    (when or now(), cleaned, failed),
                )

    def image_totals(self) -> dict[str, Any]:
        row = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(cleaned), 0), COALESCE(SUM(failed), 0), MAX(time) "
            "FROM image_activity"
        ).fetchone()
        return {"batches": row[0], "cleaned": row[1], "failed": row[2], "last": row[3]}
