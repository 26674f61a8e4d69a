"""Rooms remember their devices; checks are kept; the saved data survives crashes and damage."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from checks import paths
from checks.network import classify
from checks.network.records import Sighting
from checks.store import Store, StoreError
from tests.netfixtures import load


def room_devices() -> list[classify.Device]:
    return classify.devices(load(), lambda mac: None)


def test_a_room_learns_its_devices_then_tells_new_known_and_missing() -> None:
    with Store() as store:
        room = store.room("Therapy room")
        first = store.record_scan(room, room_devices(), when="2026-11-01T09:00:00+00:00")
        assert {d.status for d in first} == {"new"}
        store.accept(room, [d for d in first if d.name != "HIKVISION"], note=None)
        store.set_note(room, next(d.id for d in first if d.name == "Reception Printer"), "reception printer")
        later = [d for d in room_devices() if d.name != "Therapy Room"]  # the speaker is unplugged
        again = {d.name: d for d in store.record_scan(room, later, when="2026-11-02T09:00:00+00:00")}
    assert again["Living Room TV"].status == "known"
    assert again["HIKVISION"].status == "new", "seen before, never accepted: still new"
    assert again["Reception Printer"].note == "reception printer"
    assert again["Living Room TV"].first_seen == "2026-11-01T09:00:00+00:00"
    assert again["Living Room TV"].last_seen == "2026-11-02T09:00:00+00:00"
    missing = again["Therapy Room"]
    assert missing.status == "missing" and missing.device_class == "smart_speaker"
    assert missing.findings[0].id == "room.missing" and missing.findings[0].severity.value == "medium"
    assert missing.last_seen == "2026-11-01T09:00:00+00:00"


def test_a_device_is_recognised_by_its_identifiers_when_its_address_changes() -> None:
    tv = Sighting(
        "ssdp",
        ("192.168.1.40",),
        name="TV",
        keys=("udn:uuid:1",),
        fields={"devicetype": "urn:schemas-upnp-org:device:mediarenderer:1"},
    )
    moved = Sighting(
        "ssdp",
        ("192.168.1.99",),
        name="TV",
        keys=("udn:uuid:1",),
        fields={"devicetype": "urn:schemas-upnp-org:device:mediarenderer:1"},
    )
    with Store() as store:
        room = store.room("Room 2")
        store.accept(room, store.record_scan(room, classify.devices([tv], lambda m: None)))
        [seen] = store.record_scan(room, classify.devices([moved], lambda m: None))
    assert seen.status == "known"


def test_an_address_alone_matches_only_a_device_of_the_same_kind() -> None:
    printer = Sighting("mdns", ("192.168.1.7",), name="P", kind="_ipp._tcp")
    speaker = Sighting(
        "mdns", ("192.168.1.7",), name="S", kind="_googlecast._tcp", fields={"md": "Google Nest Mini"}
    )
    with Store() as store:
        room = store.room("Room 3")
        store.accept(room, store.record_scan(room, classify.devices([printer], lambda m: None)))
        statuses = {
            d.name: d.status for d in store.record_scan(room, classify.devices([speaker], lambda m: None))
        }
    assert statuses == {"S": "new", "P": "missing"}


def test_forgetting_a_device_makes_it_new_again_and_checks_are_kept() -> None:
    with Store() as store:
        room = store.room("Room 4")
        devices = store.record_scan(room, room_devices())
        store.accept(room, devices)
        store.forget(room, devices[0].id)
        assert {d.status for d in store.record_scan(room, room_devices()) if d.id == devices[0].id} == {"new"}
        store.save_check(room, "wlan0", {"devices": 6}, when="2026-11-03T10:00:00+00:00")
        store.save_check(room, "wlan0", {"devices": 5}, when="2026-11-04T10:00:00+00:00")
        history = store.checks(room)
    assert [c["data"]["devices"] for c in history] == [5, 6]
    assert history[0]["room"] == "Room 4"


def test_room_names_are_tidied_and_checked() -> None:
    with Store() as store:
        assert store.room("  Therapy   room ").name == "Therapy room"
        assert store.room("THERAPY ROOM").id == store.room("Therapy room").id
        with pytest.raises(StoreError, match="needs a name"):
            store.room("   ")
        with pytest.raises(StoreError, match="no room called"):
            store.room("Attic", create=False)


def test_a_damaged_database_is_kept_aside_and_a_fresh_one_started() -> None:
    path = paths.data_dir() / "safespace.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    with Store() as store:
        assert store.trouble and "could not be read" in store.trouble
        assert store.rooms() == []
    aside = list(path.parent.glob("safespace.db.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")


WRITER = textwrap.dedent(
    """
    import sys
    from checks.network import classify
    from checks.store import Store
    from tests.netfixtures import load
    devices = classify.devices(load(), lambda m: None)
    with Store() as store:
        room = store.room("Crash room")
        print("ready", flush=True)
        while True:
            for d in store.record_scan(room, devices):
                pass
            store.save_check(room, "lab0", {"devices": [d.to_dict() for d in devices]})
    """
)


def test_saved_data_survives_a_crash_mid_write(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER], cwd=root, stdout=subprocess.PIPE, text=True, env=os.environ
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.5)  # let it be mid-way through some write
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    db = sqlite3.connect(paths.data_dir() / "safespace.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with Store() as store:
        room = store.room("Crash room", create=False)
        checks = store.checks(room)
        assert checks and all(len(c["data"]["devices"]) == 6 for c in checks), "every saved check is whole"
        assert len(store.record_scan(room, room_devices())) == 6


def test_finish_scan_is_one_way_to_apply_a_scan_to_a_room() -> None:
    """The command line and the app both finish a scan through room_check.finish_scan."""
    from checks import room_check
    from checks.network.scan import ScanResult

    with Store() as store:
        room = store.room("Therapy room")
        stopped = ScanResult("lab0", "2026-11-01T09:00:00Z", 5, room_devices(), cancelled=True)
        shown = room_check.finish_scan(store, room, stopped, accept_new=True)
        assert {d.status for d in shown} == {"new"}
        assert store.baseline(room) == [], "a stopped scan does not update the room, nor accept anything"
        whole = ScanResult("lab0", "2026-11-01T09:00:00Z", 5, room_devices())
        shown = room_check.finish_scan(store, room, whole, accept_new=True)
        assert {d.status for d in shown} == {"new"}, "accepted now; still new in this check"
        ranks = [d.severity.rank for d in shown]
        assert ranks == sorted(ranks, reverse=True), "in the order to show: the worst first"
        again = room_check.finish_scan(store, room, ScanResult("lab0", "x", 5, room_devices()))
        assert {d.status for d in again} == {"known"}


def test_an_empty_database_file_is_set_aside_and_said_never_silently_empty(capsys) -> None:
    from app.__main__ import main

    with Store() as store:
        store.room("Therapy room")
    db = paths.data_dir() / "safespace.db"
    db.write_bytes(b"")  # cut short to nothing
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    assert main(["review", "list"]) == 0
    out, err = capsys.readouterr()
    assert "could not be read" in err and ".unreadable-" in err
    assert "No reviews yet" not in out and "set aside" in out
    assert main(["review", "list"]) == 0  # and on the next run too: the fresh file remembers
    assert "No reviews yet" not in capsys.readouterr().out
    assert [p for p in db.parent.iterdir() if ".unreadable-" in p.name]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_database_gives_a_clear_message(tmp_path: Path) -> None:
    with Store() as store:
        store.room("Therapy room")
    db = paths.data_dir() / "safespace.db"
    db.chmod(0o444)
    db.parent.chmod(0o555)
    try:
        with pytest.raises(StoreError, match=r"may not write|cannot open"), Store() as store:
            store.record_images(3, 0)
    finally:
        db.parent.chmod(0o755)
        db.chmod(0o644)


def test_a_database_that_may_not_be_written_says_so_in_words() -> None:
    """As a read-only file does (made here with SQLite's own read-only switch, which holds even for root)."""
    with Store() as store:
        store.db.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreError, match="may not write its saved data") as caught:
            store.record_images(3, 0)
        assert "Nothing was saved" in str(caught.value)
        with pytest.raises(StoreError, match="may not write"):
            store.room("A new room")


def test_a_locked_database_gives_a_clear_message_not_a_traceback() -> None:
    with Store() as store:
        store.room("Therapy room")
    holder = sqlite3.connect(str(paths.data_dir() / "safespace.db"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store.__new__(Store)
        store.path, store.trouble = paths.data_dir() / "safespace.db", None
        store.db = sqlite3.connect(str(store.path), timeout=0.2, isolation_level=None)
        store.db.row_factory = sqlite3.Row
        with pytest.raises(StoreError, match="in use by another program"):
            store.record_images(3, 0)
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_same_room_made_by_two_processes_at_once_is_one_room() -> None:
    code = textwrap.dedent(
        """
        import sys
        from checks.store import Store
        with Store() as store:
            for n in range(40):
                store.room(f"Room {n}")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE) for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    assert not any("IntegrityError" in e for e in errors)
    with Store() as store:
        assert len(store.rooms()) == 40


def test_computer_save_with_an_unwritable_store_shows_the_result_then_says_why(capsys, monkeypatch) -> None:
    from app.__main__ import main

    def refuse(self: Store, data: dict, when: str | None = None) -> int:
        raise StoreError("SafeSpace may not write its saved data in /x (the file or folder is read-only).")

    monkeypatch.setattr(Store, "save_computer", refuse)
    assert main(["computer", "--save"]) == 1
    out, err = capsys.readouterr()
    assert "This computer (" in out, "the result is shown before the saving fails"
    assert "the result was not saved" in err and "read-only" in err and "Traceback" not in err
