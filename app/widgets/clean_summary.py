"""After making safe copies: how many were made and checked, which failed and why, and the folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.widgets.plain_label import PlainLabel
from app.widgets.severity import set_badge
from checks.images.clean import CleanResult
from checks.model import Severity


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
        self.open_button = QPushButton("Open the folder")
        self.open_button.setAccessibleName("Open the folder with the safe copies")
        self.open_button.clicked.connect(self.open_folder)
        done = QPushButton("Done")
        done.setAccessibleName("Close this result")
        done.clicked.connect(self._close)
        top = QHBoxLayout()
        top.addWidget(self.icon, 0)
        top.addWidget(self.headline, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
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
            lines += [f"• {Path(r.source).name}: {r.error}" for r in failed]
        lines.append(f"The copies are in {folder}. Look at each picture itself before sharing it, too.")
        self._show(Severity.MEDIUM if failed else Severity.OK, head, "\n".join(lines), bool(made))

    def show_error(self, message: str) -> None:
        self._show(Severity.MEDIUM, "No safe copies were made.", message, False)

    def _show(self, severity: Severity, head: str, details: str, can_open: bool) -> None:
        set_badge(self.icon, severity)
        self.headline.setText(head)
        self.details.setText(details)
        self.open_button.setVisible(can_open)
        self.show()

    def open_folder(self) -> None:
        if self._folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self._folder))  # a local folder, never a web address

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
