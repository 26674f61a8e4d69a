"""The window as it sits on the screen: never taller or wider than the screen's free area, whatever it
shows; long lists scroll inside it, and the buttons stay where a person can click them."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget

from app.window import MainWindow
from checks.images.clean import CleanResult


def on_screen(window: MainWindow, widget: QWidget) -> bool:
    """Whether the whole widget is inside the window and the window inside the screen's free area."""
    free = window.screen().availableGeometry()
    top_left = widget.mapTo(window, QPoint(0, 0))
    inside = window.rect().contains(QRect(top_left, widget.size()))
    return inside and window.height() <= free.height() and window.width() <= free.width()


def test_the_window_opens_within_the_screen(window: MainWindow) -> None:
    free = window.screen().availableGeometry()
    assert window.width() <= free.width() and window.height() <= free.height()
    assert window.maximumHeight() <= free.height()


def test_three_hundred_refused_pictures_keep_the_window_on_the_screen(qtbot, window: MainWindow) -> None:
    summary = window.images.summary
    name = "/photos/session-{:03}-a-long-name-for-a-picture.jpg"
    results = [CleanResult(name.format(n), error="It is damaged.") for n in range(300)]
    results.append(CleanResult("/photos/ok.jpg", "/out/image-001.jpg", "cleaned", True))
    before = window.height()
    summary.show_results(results, "/out", stopped=False)
    QApplication.processEvents()
    qtbot.wait(50)
    free = window.screen().availableGeometry()
    assert window.height() <= free.height(), f"the window grew to {window.height()} px"
    assert window.height() <= max(before, window.minimumSizeHint().height())
    assert summary.failures.count() == 300, "every refused picture is listed (the list scrolls)"
    assert summary.failures.verticalScrollBar().maximum() > 0
    assert summary.failures.height() < 250
    done = next(b for b in summary.findChildren(QWidget) if getattr(b, "text", lambda: "")() == "Done")
    for button in (done, summary.open_button, window.images.make_button):
        assert on_screen(window, button), f"{button.text()} is off the screen"
    assert "300 could not be made" in summary.details.text()
    assert summary.failures.item(0).text() == "session-000-a-long-name-for-a-picture.jpg: It is damaged."
