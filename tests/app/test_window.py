"""The main window: areas, welcome, settings trouble, accessibility, and closing cleanly."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from app.application import main_window
from app.dialogs.clean_dialog import CleanDialog
from app.widgets.banner import Banner
from app.window import AREAS, MainWindow
from checks import settings as settings_store
from tests.app.test_images_page import big_batch

INTERACTIVE = (QAbstractButton, QAbstractItemView, QAbstractScrollArea, QCheckBox, QLineEdit, QProgressBar)


def test_title_icon_and_the_areas(window: MainWindow) -> None:
    assert window.windowTitle() == "SafeSpace"
    assert not window.windowIcon().isNull()
    names = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert (
        names
        == [title for _, title in AREAS]
        == [
            "Pictures and videos",
            "Before you post",
            "Room check",
            "This computer",
            "Privacy walkthroughs",
            "Reviews and reports",
        ]
    )
    assert all(not window.sidebar.item(i).icon().isNull() for i in range(window.sidebar.count()))
    window.sidebar.setCurrentRow(1)
    assert window.pages.currentWidget() is window.post
    window.sidebar.setCurrentRow(2)
    assert window.pages.currentWidget() is window.room
    window.sidebar.setCurrentRow(3)
    assert window.pages.currentWidget() is window.computer
    window.sidebar.setCurrentRow(4)
    assert window.pages.currentWidget() is window.guides
    window.sidebar.setCurrentRow(5)
    assert window.pages.currentWidget() is window.reviews


def _inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent()
    return False


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    def unnamed(root: QWidget) -> list[str]:
        return [
            f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
            for w in root.findChildren(QWidget)
            if isinstance(w, INTERACTIVE)
            and not w.accessibleName()
            and not isinstance(w.parent(), QAbstractScrollArea)  # a scroll area's own scroll bars
            and not _inside(w, (QComboBox, QAbstractSpinBox))  # a combo box's pop-up, a spin box's text
        ]

    assert unnamed(window) == []
    assert unnamed(CleanDialog(window.settings, 3, window)) == []


def test_keyboard_reaches_the_main_controls(window: MainWindow) -> None:
    page = window.images
    for widget in (
        window.sidebar,
        page.add_files_button,
        page.add_folder_button,
        page.list,
        page.make_button,
    ):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget.accessibleName()


def test_the_welcome_is_shown_once(qtbot, window: MainWindow) -> None:
    assert window.welcome.isVisible()
    texts = " ".join(label.text() for label in window.welcome.findChildren(QLabel))
    assert "sends nothing to the internet" in texts and "never changes your original files" in texts
    qtbot.mouseClick(window.welcome.findChild(QAbstractButton), Qt.MouseButton.LeftButton)
    assert not window.welcome.isVisible()
    again = main_window()
    qtbot.addWidget(again)
    assert not hasattr(again, "welcome")


def test_unreadable_settings_are_kept_and_the_user_told(qtbot) -> None:
    path = settings_store.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not json")
    win = main_window()
    qtbot.addWidget(win)
    banners = [b for b in win.findChildren(Banner) if b.accessibleName() == "Your settings were reset"]
    assert len(banners) == 1
    assert any(".unreadable-" in label.text() for label in banners[0].findChildren(QLabel))
    assert [p for p in path.parent.iterdir() if ".unreadable-" in p.name]


def test_closing_during_a_batch_leaves_nothing_running(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = big_batch(tmp_path, 1500)
    window.images.add_paths([str(folder)])
    job = window.images._job
    assert job is not None
    qtbot.waitUntil(lambda: window.images.progress.bar.value() >= 3 or job.done.is_set(), timeout=60_000)
    assert not job.done.is_set(), "the batch is still being read when the window closes"
    window.close()
    assert job.done.is_set(), "closing waits for the work to stop"
    assert job.cancelled
    assert QThreadPool.globalInstance().waitForDone(30_000)


def test_every_tab_stop_on_the_images_page_shows_its_focus(qtbot, window: MainWindow) -> None:
    """Move with the Tab key through the page: each widget that takes focus looks different while it has
    it (a rendered comparison, not a property)."""
    page = window.images
    page.add_files_button.setFocus()
    qtbot.waitUntil(page.add_files_button.hasFocus)
    qtbot.keyClick(page.add_files_button, Qt.Key.Key_Tab)  # a real Tab: styles then draw keyboard focus
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    checked = []
    for _ in range(12):
        widget = QApplication.focusWidget()
        if widget is None or not page.isAncestorOf(widget):
            break
        focused = widget.grab().toImage()
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda w=widget: not w.hasFocus())
        assert focused != widget.grab().toImage(), f"{widget.accessibleName()} shows no focus"
        checked.append(widget.accessibleName())
    assert {"Pictures", "What this picture gives away", "Add pictures"} <= set(checked), checked


def test_every_area_name_fits_the_sidebar(qtbot, window: MainWindow) -> None:
    """Measured as drawn: no name is cut off, and the sidebar needs no sideways scrolling."""
    window.show()
    qtbot.waitExposed(window)
    bar = window.sidebar
    room = bar.viewport().width()
    for i in range(bar.count()):
        rect = bar.visualItemRect(bar.item(i))
        text = bar.fontMetrics().horizontalAdvance(bar.item(i).text())
        assert bar.iconSize().width() + text + 16 <= room, bar.item(i).text()
        assert rect.right() <= room
    assert not bar.horizontalScrollBar().isVisible()
