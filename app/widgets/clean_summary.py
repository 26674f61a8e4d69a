"""After making safe copies: how many were made and checked, which failed and why, and the folder.

However many pictures failed, the summary stays a few lines tall: the failures are listed in a short list
that scrolls, so a long batch can never push the window's buttons off the screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.widgets.plain_label import PlainLabel
from app.widgets.severity import set_badge
from checks.images.clean import CleanResult
from checks.model import Severity
from checks.text import one_line

FAILURE_ROWS = 6  # rows of failures shown at once; the rest scroll


class CleanSummary(QFrame):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName("Result of making safe copies")
        self._folder = ""
        self.icon = QLabel()
        self.headline = PlainLabel(role="heading")
        self.details = PlainLabel(selectable=True)
        self.failures = QListWidget()
        self.failures.setAccessibleName("Pictures that could not be made into safe copies")
        self.failures.setWordWrap(True)
        self.where = PlainLabel(selectable=True)
        self.open_button = QPushButton("Open the folder")
        self.open_button.setAccessibleName("Open the folder with the safe copies")
        self.open_button.clicked.connect(self.open_folder)
        self.copy_button = QPushButton("Copy the folder's location")
        self.copy_button.setAccessibleName("Copy the location of the folder with the safe copies")
        self.copy_button.clicked.connect(self.copy_folder)
        done = QPushButton("Done")
        done.setAccessibleName("Close this result")
        done.clicked.connect(self._close)
        top = QHBoxLayout()
        top.addWidget(self.icon, 0)
        top.addWidget(self.headline, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(self.failures)
        layout.addWidget(self.where)
        layout.addLayout(buttons)
        self.hide()

    def show_results(self, results: list[CleanResult], folder: str, stopped: bool) -> None:
        self._folder = folder
        made = [r for r in results if r.status == "cleaned"]
        failed = [r for r in results if r.status != "cleaned"]
        copies = "safe copy" if len(made) == 1 else "safe copies"
        if stopped:
            head = f"Stopped. {len(made)} {copies} made and checked; no partial files were left."
        else:
            head = f"{len(made)} {copies} made and checked."
        lines = []
        converted = sum(1 for r in made if not r.lossless)
        if converted:
            lines.append(
                "1 phone photo was converted to JPEG, so any device can open it."
                if converted == 1
                else f"{converted} phone photos were converted to JPEG, so any device can open them."
            )
        if failed:
            lines.append(f"{len(failed)} could not be made:")
        self._fill_failures([f"{one_line(Path(r.source).name)}: {r.error}" for r in failed])
        where = (
            f"The copies are in {folder}. Look at each picture itself before sharing it, too." if made else ""
        )
        self._show(Severity.MEDIUM if failed else Severity.OK, head, "\n".join(lines), where, bool(made))

    def show_error(self, message: str) -> None:
        self._fill_failures([])
        self._show(Severity.MEDIUM, "No safe copies were made.", message, "", False)

    def _fill_failures(self, lines: list[str]) -> None:
        self.failures.clear()
        self.failures.addItems(lines)  # plain text items: file names are never read as markup
        self.failures.setVisible(bool(lines))
        if lines:
            row = max(self.failures.sizeHintForRow(0), self.failures.fontMetrics().lineSpacing() + 2)
            frame = 2 * self.failures.frameWidth()
            self.failures.setFixedHeight(min(len(lines), FAILURE_ROWS) * row + frame + 4)

    def _show(self, severity: Severity, head: str, details: str, where: str, can_open: bool) -> None:
        set_badge(self.icon, severity)
        self.headline.setText(head)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.where.setText(where)
        self.where.setVisible(bool(where))
        self.open_button.setVisible(can_open)
        self.copy_button.setVisible(can_open)
        self.show()

    def open_folder(self) -> bool:
        """Open the folder in the file manager; where there is none, say where the copies are instead."""
        if not self._folder:
            return False
        if QDesktopServices.openUrl(QUrl.fromLocalFile(self._folder)):  # a local folder, never a web address
            return True
        self.where.setText(
            f"No program to show folders was found on this computer. The copies are in {self._folder}. "
            "Copy the folder's location to paste it where you need it."
        )
        self.copy_button.setFocus()
        return False

    def copy_folder(self) -> None:
        QGuiApplication.clipboard().setText(self._folder)
        self.where.setText(f"Copied: {self._folder}")

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
