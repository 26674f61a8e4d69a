"""Scrolling over a form never changes a value: combo and spin boxes without focus ignore the wheel (the
form scrolls instead), app-wide; with focus, the wheel still works on them."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QSpinBox, QWidget

from app.window import MainWindow
from checks.store import Store
from tests.app.areas import area_row
from tests.reviews.fixtures import practice


def wheel(widget: QWidget, notches: int = -1) -> None:
    """A mouse wheel turned over the middle of `widget` (negative: towards the user, scrolling down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_an_outcome_scrolls_the_review_and_changes_nothing(qtbot, window: MainWindow) -> None:
    with Store() as store:
        practice(store)
    page = window.reviews
    window.sidebar.setCurrentRow(area_row("reviews"))
    page.start("Review of November", "Sam Okafor")
    for box in page.item_boxes:
        box.outcome.setCurrentIndex(box.outcome.findData("fine"))
    window.resize(1100, 520)  # a short window: the form scrolls
    bar = page.editor.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the review is longer than its pane: there is a scroll
    box = page.item_boxes[0].outcome
    assert not box.hasFocus()
    before = bar.value()
    for _ in range(3):
        wheel(box)
    assert box.currentData() == "fine", "the wheel changed an outcome it was only passing over"
    assert bar.value() > before, "the form scrolls instead"
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    wheel(box)
    assert box.currentData() != "fine", "with focus, the wheel works on the box as usual"


def test_spin_boxes_anywhere_ignore_the_wheel_without_focus(qtbot, window: MainWindow) -> None:
    spin = QSpinBox(window)
    spin.setRange(0, 100)
    spin.setValue(50)
    spin.show()
    qtbot.wait(10)
    assert spin.focusPolicy() & Qt.FocusPolicy.WheelFocus != Qt.FocusPolicy.WheelFocus
    wheel(spin, 1)
    assert spin.value() == 50
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel(spin, 1)
    assert spin.value() == 51
