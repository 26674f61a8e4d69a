"""A room check's record, its checklist data, and how a past check reads."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest

from checks import room_check
from checks.network import classify
from checks.store import Store, StoreError
from tests.netfixtures import load


def test_the_checklist_file_is_valid() -> None:
    checklist = room_check.room_checklist()
    assert len(checklist.items) >= 6
    ids = {i.id for i in checklist.items}
    assert {"speakers", "phones", "webcams", "unexpected", "door", "windows", "recording"} <= ids


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][0].pop("why"), "needs exactly"),
        (lambda d: d["items"][0].update(title=" "), "non-empty text"),
        (lambda d: d["items"][1].update(id=d["items"][0]["id"]), "used twice"),
        (lambda d: d["items"][0].update(last_verified="soon"), "last_verified must be a date"),
        (lambda d: d.update(items=[]), "non-empty 'items'"),
    ],
)
def test_mistakes_in_the_checklist_are_named(change, message: str) -> None:
    doc = json.loads(resources.files("resources").joinpath("checklists", "room.json").read_text("utf-8"))
    doc = copy.deepcopy(doc)
    change(doc)
    with pytest.raises(room_check.ChecklistError, match=message):
        room_check.validate_checklist(doc)


def devices() -> list[classify.Device]:
    return classify.devices(load(), lambda mac: None)


def test_what_a_device_could_do_is_said_in_words() -> None:
    said = {d.name: room_check.capabilities(d) for d in devices()}
    assert said["Therapy Room"] == "Microphone"
    assert said["Jane Smith's iPhone"] == "Microphone, Camera, Screen, Names a person"
    assert said["Living Room TV"] == "May have a microphone or a camera, Screen"
    assert said["Reception Printer"] == "Cannot listen or watch"


def test_a_record_reads_back_as_plain_text() -> None:
    found = devices()
    for d in found:
        d.status = "new"
    data = room_check.record(
        "Therapy room", "wlan0", found, {"speakers": True}, "  Sam  ", scanned=True,
        when="2026-11-25T09:05:00+00:00",
    )  # fmt: skip
    assert data["practitioner"] == "Sam" and data["interface"] == "wlan0"
    assert all("sightings" not in d for d in data["devices"])
    assert [i["done"] for i in data["checklist"]][:2] == [True, False]
    assert room_check.summary(data) == (
        "25 Nov 2026, 09:05 · by Sam · 6 devices (6 new, 0 not seen) · checklist 1 of 8"
    )
    text = room_check.describe(data)
    assert "New: TV or streaming box, “<b>Bold</b><script>alert(1)</script>”" in text
    assert "[x] Smart speakers" in text and "not found does not mean not there" in text
    json.dumps(data)  # what is saved is plain JSON


def test_a_check_without_a_scan_says_so() -> None:
    data = room_check.record("Room 2", None, [], {}, "", scanned=False, when="2026-11-25T09:05:00+00:00")
    assert room_check.summary(data) == "25 Nov 2026, 09:05 · no scan · checklist 0 of 8"
    assert "No network scan was made with this check." in room_check.describe(data)


def test_a_store_that_cannot_be_opened_says_why(tmp_path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where a folder should be")
    with pytest.raises(StoreError, match="cannot open its saved rooms"):
        Store(blocked / "data" / "safespace.db")
    with Store(Store.MEMORY) as memory:
        assert memory.room("Room").name == "Room"
