"""The "Room check" page, driven as a user would, offscreen, with recorded devices in place of the network."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton

from app.widgets.plain_label import ZWSP
from app.window import MainWindow
from checks import settings as settings_store
from checks.network import interfaces, scan
from checks.store import Store
from tests import netfixtures
from tests.app.areas import area_row

WAIT = 30_000


@pytest.fixture
def seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A room that knows its printer and camera; today the camera is unplugged. No network is touched."""
    today = netfixtures.seeded_room("Therapy room")
    monkeypatch.setattr(scan, "SOURCES", netfixtures.by_protocol(today))
    monkeypatch.setattr(
        interfaces, "list_interfaces", lambda: [netfixtures.interface("wlan0", default_route=True)]
    )


@pytest.fixture
def page(seeded, window: MainWindow) -> Iterator:
    window.sidebar.setCurrentRow(area_row("room"))
    room = window.room
    room.options.seconds.setValue(2)
    yield room


def check(qtbot, page) -> None:
    page.check_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)


def rows(page) -> dict[str, str]:
    out = {}
    for i in range(page.list.count()):
        name, line = page.list.text(i).split("\n", 1)
        out[name] = line
    return out


def view_texts(page) -> list[str]:
    return [label.text().replace(ZWSP, "") for label in page.view.widget().findChildren(QLabel)]


def test_a_check_shows_the_known_printer_a_new_speaker_and_the_missing_camera(qtbot, page) -> None:
    assert page.room_box.currentText() == "Therapy room"
    check(qtbot, page)
    listed = rows(page)
    assert listed["Google Nest Mini, “Therapy Room”"] == "New · Smart speaker · Microphone"
    assert (
        listed["Brother HL-L2350DW series, “Reception Printer”"] == "Known · Printer · Cannot listen or watch"
    )
    assert listed["ONVIF camera, “HIKVISION”"].startswith("Not seen this time · Camera · Camera")
    # New devices that may listen or watch stand at the top; the known printer at the bottom.
    order = list(listed)
    assert order[0] == "Google Nest Mini, “Therapy Room”" and order[-1].startswith("Brother")
    assert "1 known to this room not seen" in page.notice.text()
    # A device is selected as soon as one is found; the top one explains itself, with what to do.
    assert page.list.current_device() is not None
    page.list.setCurrentRow(0)
    texts = view_texts(page)
    advice = (
        "Unplug it or move it out of the room before sessions. Muting it helps, but unplugging is the only"
    )
    assert any(t.startswith(advice) for t in texts)
    assert any("What it said on the network:" in t and "_googlecast._tcp" in t for t in texts)


def test_marking_the_speaker_known_then_checking_again_shows_it_known(qtbot, page) -> None:
    check(qtbot, page)
    page.list.setCurrentRow(0)
    assert page.view.accept_button.isEnabled()
    page.view.note.setText("the practice's music speaker")
    page.view.accept_button.click()
    assert rows(page)["Google Nest Mini, “Therapy Room”"].startswith("Known · ")
    check(qtbot, page)
    assert rows(page)["Google Nest Mini, “Therapy Room”"].startswith("Known · ")
    assert page.list.select_starting("Google Nest Mini")
    assert "Your note: the practice's music speaker" in view_texts(page)
    # Forgotten, it is new again.
    page.view.forget_button.click()
    assert rows(page)["Google Nest Mini, “Therapy Room”"].startswith("New · ")


def test_a_finished_check_is_in_the_history_with_its_checklist(qtbot, page, window: MainWindow) -> None:
    check(qtbot, page)
    page.checklist.boxes["speakers"].setChecked(True)
    qtbot.mouseClick(page.checklist.findChildren(QLabel)[2], Qt.MouseButton.LeftButton)  # the words tick too
    assert page.checklist.boxes["phones"].isChecked()
    page.name.setText("Sam Okafor")
    page.finish_button.click()
    assert page.saved.text().startswith("Saved: ") and not page.checklist.any_ticked()
    saved, _ = settings_store.load()
    assert saved.practitioner_name == "Sam Okafor"
    history = page.history()
    assert history.list.count() == 1
    line = history.list.item(0).text()
    assert "by Sam Okafor" in line and "5 devices (4 new, 1 not seen)" in line and "checklist 2 of 8" in line
    text = history.text.toPlainText()
    assert "[x] Smart speakers and displays are unplugged or out of the room" in text
    assert "[ ] Windows and blinds: no one outside can see in" in text
    assert "Not seen this time: ONVIF camera, “HIKVISION”" in text
    history.close()


def test_cancelling_a_scan_keeps_what_was_found_and_leaves_no_thread(qtbot, page, monkeypatch) -> None:
    monkeypatch.setattr(scan, "SOURCES", {"slow": netfixtures.replay(netfixtures.load(), gap=0.3)})
    page.options.seconds.setValue(30)
    page.check_button.click()
    qtbot.waitUntil(lambda: page.list.count() >= 2, timeout=WAIT)
    assert not page.check_button.isEnabled() and not page.room_box.isEnabled()
    page.progress.cancel_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    assert page.notice.text().startswith("The scan was stopped early.")
    assert "Not seen" not in "".join(rows(page).values()), "a part of a scan says nothing of what is missing"
    assert QThreadPool.globalInstance().waitForDone(5_000)


def test_closing_the_window_during_a_scan_is_clean(qtbot, page, window: MainWindow, monkeypatch) -> None:
    monkeypatch.setattr(scan, "SOURCES", {"slow": netfixtures.replay(netfixtures.load(), gap=0.3)})
    page.options.seconds.setValue(30)
    page.check_button.click()
    qtbot.waitUntil(lambda: page.list.count() >= 1, timeout=WAIT)
    window.close()
    assert QThreadPool.globalInstance().waitForDone(5_000), "the scan stopped with the window"


def test_without_a_network_the_page_says_so_and_the_checklist_can_still_be_saved(
    qtbot, page, monkeypatch
) -> None:
    monkeypatch.setattr(
        interfaces, "list_interfaces", lambda: [netfixtures.interface("lo", "127.0.0.1/8", kind="loopback")]
    )
    page.check_button.click()
    assert not page.busy and page.list.count() == 0
    assert page.notice.text().startswith("This computer is not connected to a network")
    assert "There is no network to scan from here." in view_texts(page)
    assert "you can save the check without a scan" in page.notice.text()
    assert page.finish_button.isEnabled(), "the notice says the check can be saved: so it can"
    page.checklist.boxes["door"].setChecked(True)
    page.finish_button.click()
    assert "no scan" in page.history().list.item(0).text()
    assert not page.saved.isHidden() and page.saved.text().startswith("Saved: ")
    assert not page.finish_button.visibleRegion().isEmpty(), "saving is in sight, not below the checklist"
    page.check_button.click()  # a new check: the old "Saved" line goes
    assert page.saved.isHidden()


def test_rooms_can_be_added_and_are_remembered(qtbot, page) -> None:
    page.add_room("  Room   2 ")
    assert page.room_box.currentText() == "Room 2"
    assert [page.room_box.itemText(i) for i in range(page.room_box.count())] == ["Room 2", "Therapy room"]
    saved, _ = settings_store.load()
    assert saved.last_room == "Room 2"
    page.add_room("   ")
    assert page.notice.text() == "A room needs a name."


def test_device_names_are_plain_text_everywhere(qtbot, page) -> None:
    check(qtbot, page)
    assert page.list.select_starting("TV or streaming box, “<b>Bold</b>")
    labels = [label for label in page.view.widget().findChildren(QLabel) if label.text()]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    assert "TV or streaming box, “<b>Bold</b><script>alert(1)</script>”" in view_texts(page)
    doc = QTextDocument()
    doc.setHtml(page.list.currentIndex().data(Qt.ItemDataRole.ToolTipRole))
    assert "<script>" in doc.toPlainText(), "the tooltip shows the name literally"


def test_every_control_has_an_accessible_name(qtbot, page) -> None:
    check(qtbot, page)
    for kind in (QPushButton, QCheckBox, QLineEdit, QComboBox):
        for widget in page.findChildren(kind):
            if widget.isVisibleTo(page) and not isinstance(widget.parent(), QComboBox):
                assert widget.accessibleName(), (
                    f"{kind.__name__} {widget.text() if hasattr(widget, 'text') else ''}"
                )


def test_the_keyboard_reaches_every_step(qtbot, page) -> None:
    check(qtbot, page)
    page.list.setCurrentRow(0)
    steps = [page.room_box, page.new_room_button, page.history_button, page.check_button, page.options.toggle,
             page.list, page.view.note, page.view.accept_button, *page.checklist.boxes.values(), page.name,
             page.finish_button]  # fmt: skip
    for widget in steps:
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget.accessibleName()


def test_a_room_can_be_renamed_and_removed(qtbot, page) -> None:
    check(qtbot, page)
    page.finish_button.click()  # a saved check, to see what becomes of it
    page.rename_room("Therapy room 1")
    assert page.room_box.currentText() == "Therapy room 1"
    check(qtbot, page)
    assert rows(page)["Brother HL-L2350DW series, “Reception Printer”"].startswith("Known"), (
        "it keeps its devices"
    )
    page.add_room("Room 2")
    page.rename_room("therapy ROOM 1")
    assert page.notice.text() == "There is already a room called “therapy ROOM 1”."
    page.room_box.setCurrentText("Therapy room 1")
    page.remove_room()
    assert [page.room_box.itemText(i) for i in range(page.room_box.count())] == ["Room 2"]
    with Store() as store:
        assert store.checks()[0]["room"] is None, "its past checks are kept, without a room"
