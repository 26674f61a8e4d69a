"""Starting the desktop app."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from app import logfile, resources, wheel_guard
from app.window import MainWindow
from checks import settings as settings_store


def create_app(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName("SafeSpace")
    app.setApplicationDisplayName("SafeSpace")
    app.setDesktopFileName("safespace")
    app.setStyle("Fusion")  # the same calm look everywhere; follows the system's light or dark palette
    app.setStyleSheet(resources.style_sheet())
    app.setWindowIcon(resources.icon("safespace"))
    if not any(isinstance(c, wheel_guard.WheelGuard) for c in app.children()):
        wheel_guard.install(app)  # combo and spin boxes without focus ignore the wheel
    return app


def main_window() -> MainWindow:
    settings, message = settings_store.load()
    return MainWindow(settings, message)


def no_display() -> bool:
    """On Linux, a window needs an X or Wayland display unless a Qt platform is chosen explicitly."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def run(argv: Sequence[str] = ()) -> int:
    if no_display():
        print(
            "SafeSpace needs a desktop to show its window, and none was found. "
            "From a terminal, `safespace --help` lists what it can do without one.",
            file=sys.stderr,
        )
        return 1
    app = create_app(argv)
    logfile.start()
    window = main_window()
    window.show()
    return app.exec()
