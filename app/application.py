"""Starting the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from app import resources
from app.window import MainWindow
from checks import settings as settings_store


def create_app(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("SafeSpace")
    app.setApplicationDisplayName("SafeSpace")
    app.setDesktopFileName("safespace")
    app.setStyle("Fusion")  # the same calm look everywhere; follows the system's light or dark palette
    app.setStyleSheet(resources.style_sheet())
    app.setWindowIcon(resources.icon("safespace"))
    return app  # type: ignore[return-value]


def main_window() -> MainWindow:
    settings, message = settings_store.load()
    return MainWindow(settings, message)


def run(argv: Sequence[str] = ()) -> int:
    app = create_app(argv)
    window = main_window()
    window.show()
    return app.exec()
