"""Keeping the main window on its screen: it opens no larger than the screen's free area, and no content
can make it grow past that area (long content scrolls inside the window instead)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1100, 720)
# A title bar and frame the window manager adds around the window (not known before the window is shown).
FRAME_ALLOWANCE = QSize(16, 40)


def room_on(screen: QScreen | None) -> QSize:
    """The largest size of a window's contents that, with its frame, fits in the screen's free area."""
    if screen is None:
        return QSize(16_000, 16_000)
    free = screen.availableGeometry().size()
    return QSize(
        max(free.width() - FRAME_ALLOWANCE.width(), 400), max(free.height() - FRAME_ALLOWANCE.height(), 300)
    )


def fit(window: QWidget) -> None:
    """Size the window for its screen, and keep it within whichever screen it is moved to."""
    room = room_on(window.screen())
    window.setMaximumSize(room)
    window.resize(PREFERRED.boundedTo(room))

    window.installEventFilter(_Follow(window))


class _Follow(QObject):
    """Once the window is shown, follow it from screen to screen: its largest size is that screen's."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            handle = watched.windowHandle()
            if handle is not None:
                handle.screenChanged.connect(self._moved)
                watched.removeEventFilter(self)
        return False

    def _moved(self, screen: QScreen | None) -> None:
        self._window.setMaximumSize(room_on(screen))
