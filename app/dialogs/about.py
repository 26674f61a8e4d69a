"""About SafeSpace: its version (the one number the command line, reports and packages show), what it
never does, its licence, and where it keeps its data (for a practice manager, or for support)."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import resources
from app.widgets.plain_label import PlainLabel
from checks import __version__
from checks.paths import config_dir, data_dir

PROMISE = (
    "SafeSpace helps counsellors, psychotherapists and psychologists keep their clients untraceable. "
    "It sends nothing to the internet, checks only when you ask, and never changes your original files."
)
LICENCE = (
    "Free software under the GNU General Public License, version 3 or later: you may use, share and change "
    "it. It comes with no warranty."
)


def details() -> str:
    """The lines for support: versions and folders, as plain text (also copied by selecting them)."""
    return (
        f"Version {__version__}\n"
        f"Settings kept in {config_dir()}\n"
        f"Saved checks and reviews kept in {data_dir()}\n"
        f"Built with Python {platform.python_version()} and Qt {PySide6.__version__}"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About SafeSpace")
        self.setAccessibleName("About SafeSpace")
        logo = QLabel()
        logo.setPixmap(resources.pixmap("safespace", 64))
        logo.setAccessibleName("SafeSpace logo")
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = PlainLabel(f"SafeSpace {__version__}", role="heading")
        self.details = PlainLabel(details(), selectable=True, role="muted")
        self.details.setAccessibleName("Version and folders")
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(PlainLabel(PROMISE))
        text.addWidget(PlainLabel(LICENCE))
        text.addWidget(self.details)
        row = QHBoxLayout()
        row.addWidget(logo)
        row.addLayout(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.resize(520, layout.heightForWidth(520))  # wrapped text: as tall as it needs at this width


def add_help_menu(window: QMainWindow) -> None:
    """A Help menu in the window's menu bar (on macOS, Qt moves About into the application menu)."""
    bar = window.menuBar()
    action = bar.addMenu("&Help").addAction("&About SafeSpace")
    action.triggered.connect(lambda: AboutDialog(window).exec())
    overflow = bar.findChild(QToolButton)  # the menu bar's » button, shown when it is too narrow
    if overflow is not None:
        overflow.setAccessibleName("More menus")
