"""The "Privacy walkthroughs" page, driven as a user would, offscreen: walk, close, reopen, resume; what
"I need help" offers; the guide guessed from a name; versions newer than a guide; an overdue review."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from app.application import main_window
from app.dialogs import add_device
from app.dialogs.add_device import AddDevice
from app.pages import guides as guides_page
from app.widgets.step_view import CAUTION
from app.window import MainWindow
from checks.guides.loader import guide
from checks.guides.probes import Observation
from checks.guides.sources import internal
from tests.app.areas import area_row

WAIT = 20_000


def labels(page) -> list[str]:
    return [label.text() for label in page.view.widget().findChildren(QLabel)]


def row_of(page, step_id: str) -> int:
    return next(i for i, s in enumerate(page.guide.steps) if s.id == step_id)


def test_walk_close_reopen_and_resume(qtbot, window: MainWindow) -> None:
    total = len(guide("ios").steps)
    page = window.guides
    window.sidebar.setCurrentRow(area_row("guides"))
    assert page.empty.isVisible() and not page.walk.isVisible()
    dialog = AddDevice(page)
    dialog.name.setText("Practice iPhone")
    assert dialog.guide.currentData() == "ios", "the guide comes from the name"
    assert [dialog.version.itemText(i) for i in range(dialog.version.count())] == [
        "Newer than iOS 27",
        "iOS 27",
        "iOS 26",
    ]
    assert dialog.version.currentText() == "iOS 27", "the newest version the guide knows, not “newer”"
    dialog.version.setCurrentText("iOS 26")
    page.add_device(*dialog.values())
    assert (
        page.walk.isVisible()
        and page.heading.text() == "Practice iPhone: iPhone and iPad (iOS 26), practitioner"
    )
    assert "Check who else has access to this iPhone" in labels(page)
    page.view.buttons["done"].click()  # marks, then moves on
    assert page.steps.currentRow() == 1
    page.view.note.setText("asked Sam how")
    page.view.buttons["needs_help"].click()  # marks, says what help means, and moves on too
    assert page.steps.currentRow() == 2
    assert page.help_note.isVisible()
    page.next_button.click()
    assert page.bar.value() == 1 and page.bar.maximum() == total
    assert f"1 of {total} steps finished, 1 need help" in page.left_text.text()
    assert page.steps.item(1).text().endswith("Needs help")
    window.close()

    again = main_window()
    qtbot.addWidget(again)
    page = again.guides
    assert page.devices.count() == 1
    assert page.devices.item(0).text() == f"Practice iPhone\niPhone and iPad · 1 of {total} done"
    assert page.steps.currentRow() == 3, "it resumes at the step the user was on"
    page.go(1)
    assert page.view.note.text() == "asked Sam how" and page.view.buttons["needs_help"].isChecked()
    again.close()


def test_i_need_help_says_whom_to_ask_and_what_to_note(qtbot, window: MainWindow) -> None:
    page = window.guides
    window.sidebar.setCurrentRow(area_row("guides"))
    page.add_device("Reception PC", "windows", "Windows 11 25H2", "Reception or admin", False)
    page.go(row_of(page, "camera"))
    assert not page.help_note.isVisible()
    page.view.buttons["needs_help"].click()
    assert page.help_note.isVisible()
    text = page.help_note.text()
    step = page.guide.step("camera")
    assert text.startswith(f"“{step.title}” needs help: it stays on the list of what is left")
    assert "here is the next step" in text and page.guide.steps[page.steps.currentRow()].id == "microphone"
    for words in ("practice manager", "Microsoft Support (https://support.microsoft.com/windows)",
                  "support service first", "emergency number", "Note what you see", "version"):  # fmt: skip
        assert words in text, words
    page.view.buttons["done"].click()  # another mark puts the help away
    assert not page.help_note.isVisible()
    page.go(row_of(page, "camera"))
    page.view.buttons["needs_help"].click()
    page.go(row_of(page, "pc-name"))  # going elsewhere puts it away too
    assert not page.help_note.isVisible()
    page.go(len(page.guide.steps) - 1)
    page.view.buttons["needs_help"].click()  # the last step: nothing to move on to, and it says so
    assert page.help_note.isVisible() and "next step" not in page.help_note.text()
    page.go(row_of(page, "recall"))
    page.view.buttons["needs_help"].click()  # a secondary source: not passed off as the maker's help
    assert "the page this step came from (https://www.windowscentral.com/" in page.help_note.text()


def test_the_guide_is_guessed_from_the_name_until_chosen_by_hand(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(add_device, "THIS_SYSTEM", "linux")
    dialog = AddDevice()
    qtbot.addWidget(dialog)
    for name, expected in [("Practice iPhone", "ios"), ("Galaxy S24", "android"), ("My laptop", "linux"),
                           ("Clinic WhatsApp", "whatsapp"), ("Practice MacBook", "macos")]:  # fmt: skip
        dialog.name.setText(name)
        assert dialog.guide.currentData() == expected, name
        assert dialog.guessed.text().startswith("Chosen from the name")
    dialog.name.setText("\u202e\x1b[2JiPhone " + "x" * 70)  # bidi and terminal controls, and long
    shown = dialog.guessed.text()
    assert "\u202e" not in shown and "\x1b" not in shown and len(shown) < 120
    dialog.guide.setCurrentIndex(dialog.guide.findData("x"))
    dialog.guide.activated.emit(dialog.guide.currentIndex())  # as a person picking from the list
    dialog.name.setText("Practice iPhone")
    assert dialog.guide.currentData() == "x", "a guide picked by hand is never overridden"
    assert dialog.version.currentText() == "X app" and "without version numbers" in dialog.version_hint.text()


def test_this_computer_gets_its_own_version(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(add_device, "THIS_SYSTEM", "linux")
    monkeypatch.setattr(
        add_device, "this_version", lambda gid: "Debian 13 (GNOME 48)" if gid == "linux" else None
    )
    dialog = AddDevice()
    qtbot.addWidget(dialog)
    dialog.name.setText("My laptop")
    assert dialog.guide.currentData() == "linux" and dialog.this_computer.isEnabled()
    assert dialog.version.currentText() == "Ubuntu 26.04 (GNOME 50)"
    dialog.this_computer.setChecked(True)
    assert dialog.version.currentText() == "Debian 13 (GNOME 48)"


def test_a_newer_or_older_system_gets_the_nearest_paths_with_a_note(qtbot, window: MainWindow) -> None:
    page = window.guides
    page.add_device("New phone", "ios", "Newer than iOS 27", "Practitioner", False)
    texts = labels(page)
    assert "Your version" in texts
    assert any("written for iOS 27, the newest version it knows" in t for t in texts)
    page.add_device("Old iPad", "ios", "iOS 18", "Practitioner", False)  # saved before the guide moved on
    page.go(row_of(page, "shared-library"))
    texts = labels(page)
    assert any("no longer covers iOS 18" in t for t in texts)
    assert any(t.startswith("Settings > Apps > Photos > Shared Library") for t in texts)


def test_an_account_guide_shows_the_path_for_each_app_or_website(qtbot, window: MainWindow) -> None:
    page = window.guides
    page.add_device("My WhatsApp", "whatsapp", None, None, False)
    page.go(row_of(page, "protect-ip"))
    texts = labels(page)
    ip = "Privacy > Advanced > Protect IP address in calls. Calls may sound a little worse."
    assert f"WhatsApp for iPhone: You > {ip}" in texts
    assert any(t.startswith("WhatsApp for Android: Settings > Privacy > Advanced") for t in texts)


def test_sources_and_how_far_they_were_checked_are_in_words(qtbot, window: MainWindow) -> None:
    page = window.guides
    page.add_device("Practice iPhone", "ios", "iOS 27", "Practitioner", False)
    page.go(row_of(page, "safety-check"))
    texts = labels(page)
    assert "Source: How Safety Check on iPhone works to keep you safe (Apple)." in texts
    assert "Checked against Apple Support, December 2026. Not yet confirmed on a device." in texts
    page.view.copy_button.click()
    assert (
        QGuiApplication.clipboard().text()
        == "https://support.apple.com/guide/personal-safety/ips2aad835e1/web"
    )
    page.go(row_of(page, "camera-location"))
    assert any(
        t.startswith("Not yet confirmed on a device or in the maker's own help.") for t in labels(page)
    )
    for row in range(len(page.guide.steps)):
        page.go(row)
        shown = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
        assert not [t for t in shown if internal(t)], page.guide.steps[row].key


def test_a_long_source_address_wraps_inside_a_narrow_pane(qtbot, window: MainWindow) -> None:
    page = window.guides
    page.add_device("Laptop", "windows", "Windows 11 25H2", "Practitioner", False)
    page.go(row_of(page, "recall"))
    url = page.guide.step("recall").source.url
    [address] = [label for label in page.view.widget().findChildren(QLabel) if url in label.accessibleName()]
    one_line = address.fontMetrics().horizontalAdvance(url)
    assert one_line > 300
    assert address.heightForWidth(260) > 2 * address.fontMetrics().height(), "it breaks across lines"
    assert address.minimumSizeHint().width() < 260, "it never forces the pane wider"


def test_an_overdue_guide_says_menus_may_have_changed(qtbot, window: MainWindow, monkeypatch) -> None:
    page = window.guides
    window.sidebar.setCurrentRow(area_row("guides"))
    monkeypatch.setattr(guides_page, "today", lambda: date(2027, 6, 1))
    page.add_device("Practice iPhone", "ios", "iOS 27", "Practitioner", False)
    assert page.review_note.isVisible()
    assert page.review_note.text().startswith(
        "This guide was last checked in December 2026; menus may have changed since."
    )
    monkeypatch.setattr(guides_page, "today", lambda: date.fromisoformat(guide("ios").review_by))
    page.add_device("Second iPhone", "ios", "iOS 27", "Practitioner", False)
    assert not page.review_note.isVisible()


def test_the_counts_on_the_page_come_from_the_data(qtbot, window: MainWindow) -> None:
    from checks.guides.loader import guides

    steps = sum(len(g.steps) for g in guides().values())
    shown = [label.text() for label in window.guides.findChildren(QLabel)]
    assert any(f"({len(guides())} guides, {steps} steps)" in t for t in shown)


def test_a_step_that_may_be_noticed_comes_with_a_caution_first(qtbot, window: MainWindow) -> None:
    page = window.guides
    page.add_device("My Facebook", "facebook", "facebook.com", "Practitioner", False)
    page.go(row_of(page, "friends-list"))
    texts = labels(page)
    assert CAUTION in texts and texts.index(CAUTION) < texts.index("Why it matters")
    page.go(row_of(page, "privacy-checkup"))
    assert CAUTION not in labels(page)


def test_this_computer_fills_in_what_it_can_read(qtbot, window: MainWindow, monkeypatch) -> None:
    seen = {"linux.name": Observation("“vm”", True), "linux.location": None}
    monkeypatch.setattr(guides_page, "observe", lambda probe: seen.get(probe or ""))
    page = window.guides
    page.add_device("This laptop", "linux", "Ubuntu 24.04 (GNOME 46)", "Practitioner", True)
    qtbot.waitUntil(lambda: not page.probing, timeout=WAIT)
    page.go(row_of(page, "computer-name"))
    assert "“vm” (as recommended)" in labels(page)
    page.go(row_of(page, "location"))
    assert "On this computer" not in labels(page), "what cannot be read is left to the user"
    assert QThreadPool.globalInstance().waitForDone(5_000)


def test_the_page_is_plain_text_and_keyboard_reachable(qtbot, window: MainWindow) -> None:
    page = window.guides
    page.add_device("<b>Phone</b>", "android", None, None, False)
    assert page.devices.item(0).text().startswith("<b>Phone</b>\n")
    shown = [label for label in page.findChildren(QLabel) if label.text()]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in shown)
    for widget in (page.devices, page.add_button, page.steps, page.next_button, page.previous_button,
                   page.view.note, page.view.copy_button, *page.view.buttons.values()):  # fmt: skip
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
