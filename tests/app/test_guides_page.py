"""The "Privacy walkthroughs" page, driven as a user would, offscreen: walk, close, reopen, resume."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QLabel

from app.application import main_window
from app.dialogs.add_device import AddDevice
from app.pages import guides as guides_page
from app.widgets.step_view import CAUTION
from app.window import MainWindow
from checks.guides.probes import Observation
from tests.app.areas import area_row

WAIT = 20_000


def labels(page) -> list[str]:
    return [label.text() for label in page.view.widget().findChildren(QLabel)]


def test_walk_close_reopen_and_resume(qtbot, window: MainWindow) -> None:
    page = window.guides
    window.sidebar.setCurrentRow(area_row("guides"))
    assert page.empty.isVisible() and not page.walk.isVisible()
    dialog = AddDevice(page)
    dialog.name.setText("Practice iPhone")
    dialog.guide.setCurrentIndex(dialog.guide.findData("ios"))
    dialog.version.setCurrentText("iOS 17")
    assert [dialog.version.itemText(i) for i in range(dialog.version.count())] == ["iOS 17", "iOS 18"]
    page.add_device(*dialog.values())
    assert (
        page.walk.isVisible()
        and page.heading.text() == "Practice iPhone: iPhone and iPad (iOS 17), practitioner"
    )
    assert "Stop the camera recording where photos are taken" in labels(page)
    page.view.buttons["done"].click()  # marks, then moves on
    assert page.steps.currentRow() == 1
    page.view.note.setText("asked Sam how")
    page.view.buttons["needs_help"].click()  # stays, so the user can read it again
    assert page.steps.currentRow() == 1
    page.next_button.click()
    page.next_button.click()
    assert page.bar.value() == 1 and page.bar.maximum() == 12
    assert "1 of 12 steps finished, 1 need help" in page.left_text.text()
    assert page.steps.item(1).text().endswith("Needs help")
    window.close()

    again = main_window()
    qtbot.addWidget(again)
    page = again.guides
    assert (
        page.devices.count() == 1
        and page.devices.item(0).text() == "Practice iPhone\niPhone and iPad · 1 of 12 done"
    )
    assert page.steps.currentRow() == 3, "it resumes at the step the user was on"
    page.go(1)
    assert page.view.note.text() == "asked Sam how" and page.view.buttons["needs_help"].isChecked()
    again.close()


def test_a_step_that_may_be_noticed_comes_with_a_caution_first(qtbot, window: MainWindow) -> None:
    page = window.guides
    page.add_device("My Facebook", "facebook", "facebook.com", "Practitioner", False)
    row = next(i for i, s in enumerate(page.guide.steps) if s.id == "friends-list")
    page.go(row)
    texts = labels(page)
    assert CAUTION in texts and texts.index(CAUTION) < texts.index("Why it matters")
    page.go(0)
    assert CAUTION not in labels(page)


def test_this_computer_fills_in_what_it_can_read(qtbot, window: MainWindow, monkeypatch) -> None:
    seen = {"linux.name": Observation("“vm”", True), "linux.location": None}
    monkeypatch.setattr(guides_page, "observe", lambda probe: seen.get(probe or ""))
    page = window.guides
    page.add_device("This laptop", "linux", "Ubuntu 24.04 (GNOME 46)", "Practitioner", True)
    qtbot.waitUntil(lambda: not page.probing, timeout=WAIT)
    assert "“vm” (as recommended)" in labels(page)
    page.go(next(i for i, s in enumerate(page.guide.steps) if s.probe == "linux.location"))
    assert "On this computer" not in labels(page), "what cannot be read is left to the user"
    assert QThreadPool.globalInstance().waitForDone(5_000)


def test_the_page_is_plain_text_and_keyboard_reachable(qtbot, window: MainWindow) -> None:
    page = window.guides
    page.add_device("<b>Phone</b>", "android", None, None, False)
    assert page.devices.item(0).text().startswith("<b>Phone</b>\n")
    shown = [label for label in page.findChildren(QLabel) if label.text()]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in shown)
    for widget in (page.devices, page.add_button, page.steps, page.next_button, page.previous_button,
                   page.view.note, *page.view.buttons.values()):  # fmt: skip
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.accessibleName()


def test_a_device_can_be_removed(qtbot, window: MainWindow) -> None:
    page = window.guides
    page.add_device("Old phone", "android", None, None, False)
    page.add_device("New phone", "android", None, None, False)
    page.devices.setCurrentRow(1)  # "Old phone", in name order
    assert page.profile.name == "Old phone"
    page.remove_device()
    assert [page.devices.item(i).text().split("\n")[0] for i in range(page.devices.count())] == ["New phone"]
    page.remove_device()
    assert page.devices.count() == 0 and not page.empty.isHidden() and not page.remove_button.isEnabled()
