"""The devices each room is known to have: part of the store (see checks/store.py), kept apart for size.

A scan's devices are matched to what the room remembers by lasting identifiers (a hardware address, a UPnP
or WS-Discovery id, a Cast id, a host name); an address alone counts only for a device of the same kind.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from checks.model import Finding, Severity
from checks.network.classify import Device

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


class RoomDevices:
    """Mixed into Store: needs its `db` connection and its `_tx` transaction."""

    db: sqlite3.Connection
    _tx: Callable[[], AbstractContextManager[sqlite3.Connection]]

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
