"""SafeSpace's saved data: sqlite under the data folder (SAFESPACE_HOME/data in tests).

Rooms and the devices each is known to have, and past room checks. Every change is one transaction with
synchronous writes, so a crash mid-write leaves the last complete state. A file that is not a readable
database (or is empty: a real one never is) is moved aside, never deleted, and a fresh one started;
`trouble` says so in words, and the fresh file remembers it (`set_aside`), so an empty list is never shown
as if nothing had ever been saved. A database that may not be written, or that another program holds
locked, raises StoreError with words a person can act on, never a bare sqlite3 error.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from checks import paths
from checks.errors import SafeSpaceError
from checks.room_store import Room, RoomDevices, now
from checks.text import one_line

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


class StoreError(SafeSpaceError):
    """The saved data cannot be read or written."""


class Store(RoomDevices):
    MEMORY = Path(":memory:")

    def __init__(self, path: Path | None = None):
        """Opens the saved data. StoreError when it cannot be opened at all (for example a folder that may
        not be written): the caller can then work with Store(Store.MEMORY) and say that nothing is saved
        (`open_store` does both)."""
        self.path = path or paths.data_dir() / "safespace.db"
        self.trouble: str | None = None
        try:
            if self.path != self.MEMORY:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                if self.path.is_file() and self.path.stat().st_size == 0:
                    raise sqlite3.DatabaseError("the file is empty")  # cut short: SafeSpace never leaves one
            self.db = self._open()
        except sqlite3.OperationalError as exc:
            raise StoreError(self._cannot(exc, "open")) from exc
        except OSError as exc:
            why = exc.strerror or exc
            raise StoreError(
                f"SafeSpace cannot open its saved rooms and checks in {self.path.parent}: {why}."
            ) from exc
        except sqlite3.DatabaseError:
            aside = self._set_aside()
            self.trouble = (
                f"SafeSpace's saved data (rooms, checks, progress and reviews) could not be read, so it "
                f"started a new, empty file. The old file was kept as {aside.name} in {aside.parent}: "
                "nothing in it was deleted."
            )
            try:
                self.db = self._open()
                with self._tx() as db:
                    db.execute(
                        "INSERT OR REPLACE INTO meta VALUES('set_aside', ?)", (f"{now()} {aside.name}",)
                    )
            except sqlite3.Error as exc:
                raise StoreError(self._cannot(exc, "open")) from exc

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(100):
            aside = self.path.with_name(f"{self.path.name}.unreadable-{stamp}" + (f"-{n}" if n else ""))
            if not aside.exists():
                break
        self.path.rename(aside)
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return aside

    def _cannot(self, exc: sqlite3.Error, doing: str) -> str:
        """A sqlite error in words a person can act on."""
        text = str(exc).lower()
        where = self.path.parent
        if "readonly" in text or "read-only" in text or "permission" in text:
            return (
                f"SafeSpace may not write its saved data in {where} (the file or folder is read-only). "
                "Nothing was saved. Ask whoever looks after this computer to let you write there."
            )
        if "locked" in text or "busy" in text:
            return (
                "SafeSpace's saved data is in use by another program (perhaps a second SafeSpace) and stayed "
                "locked. Nothing was saved. Close the other one and try again."
            )
        if "disk" in text and "full" in text:
            return f"The disk holding SafeSpace's saved data ({where}) is full. Nothing was saved."
        return f"SafeSpace could not {doing} its saved data in {where}: {exc}."

    @property
    def set_aside(self) -> str | None:
        """When an unreadable file was set aside for this one, and its name ("2026-12-01T09:00 name")."""
        row = self.db.execute("SELECT value FROM meta WHERE key='set_aside'").fetchone()
        return row[0] if row else None

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
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(self._cannot(exc, "write")) from exc
        try:
            yield self.db
        except sqlite3.OperationalError as exc:
            self.db.execute("ROLLBACK")
            raise StoreError(self._cannot(exc, "write")) from exc
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.db.execute("ROLLBACK")
            raise StoreError(self._cannot(exc, "write")) from exc

    # Rooms ---------------------------------------------------------------------------------------------

    def rooms(self) -> list[Room]:
        rows = self.db.execute("SELECT id, name, created FROM rooms ORDER BY name COLLATE NOCASE")
        return [Room(r["id"], r["name"], r["created"]) for r in rows]

    @staticmethod
    def _room_name(name: str) -> str:
        clean = one_line(name)
        if not clean:
            raise StoreError("A room needs a name.")
        if len(clean) > 80:
            raise StoreError("A room's name can be at most 80 characters long.")
        return clean

    def rename_room(self, room: Room, name: str) -> Room:
        clean = self._room_name(name)
        try:
            with self._tx() as db:
                db.execute("UPDATE rooms SET name = ? WHERE id = ?", (clean, room.id))
        except sqlite3.IntegrityError:
            raise StoreError(f"There is already a room called “{clean}”.") from None
        return Room(room.id, clean, room.created)

    def remove_room(self, room: Room) -> None:
        """The room and what it is known to have go; its past checks are kept, without a room."""
        with self._tx() as db:
            db.execute("DELETE FROM rooms WHERE id = ?", (room.id,))

    def room(self, name: str, create: bool = True) -> Room:
        clean = self._room_name(name)
        select = "SELECT id, name, created FROM rooms WHERE name = ?"
        row = self.db.execute(select, (clean,)).fetchone()
        if row is None:
            if not create:
                raise StoreError(f"There is no room called “{clean}”.")
            # One transaction, and no error when another SafeSpace made the same room a moment before.
            with self._tx() as db:
                db.execute(
                    "INSERT INTO rooms(name, created) VALUES(?, ?) ON CONFLICT DO NOTHING", (clean, now())
                )
                row = db.execute(select, (clean,)).fetchone()
        return Room(row["id"], row["name"], row["created"])

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


def open_store(path: Path | None = None) -> tuple[Store, str | None]:
    """The saved data, and what to tell the user about it, once: that an unreadable file was set aside,
    or that it could not be opened at all, so what is done now is kept only until SafeSpace closes."""
    try:
        store = Store(path)
    except StoreError as exc:
        memory = Store(Store.MEMORY)
        return memory, f"{exc} What you do now is kept only until SafeSpace closes."
    return store, store.trouble
