"""A practice's stored history, made in code: a room check, a walkthrough, a computer check, image counts,
with hostile names (HTML and control characters) where untrusted text can appear."""

from __future__ import annotations

from checks import room_check
from checks.guides import progress
from checks.network import classify
from checks.store import Store
from tests.netfixtures import load

HOSTILE = "<script>alert('x')</script>\x07\x1b[2J"


def practice(store: Store) -> None:
    room = store.room("Therapy room")
    devices = store.record_scan(
        room, classify.devices(load(), lambda m: None), when="2026-11-20T09:00:00+00:00"
    )
    data = room_check.record("Therapy room", "wlan0", devices, {"speakers": True}, "Sam Okafor", scanned=True,
                             when="2026-11-20T09:05:00+00:00")  # fmt: skip
    store.save_check(room, "wlan0", data)
    store.room("Room 2")  # never checked
    p = progress.add_profile(store, "Practice iPad", "ios", "iOS 18", "Practitioner")
    progress.mark(store, p, "camera-location", "done")
    progress.mark(store, p, "airdrop", "needs_help", f"note {HOSTILE}")
    smb = {
        "id": "computer.listening.smb",
        "category": "sharing",
        "severity": "high",
        "title": f"Windows file sharing (SMB) ({HOSTILE}) is open to the network",
        "detail": "",
        "data": {},
    }
    store.save_computer(
        {"time": "2026-11-21T10:00:00+00:00", "system": "Linux 6", "areas": {"sharing": [smb]}}
    )
    store.record_images(12, 1, when="2026-11-22T10:00:00+00:00")
    store.record_images(3, 0, when="2026-11-23T10:00:00+00:00")
