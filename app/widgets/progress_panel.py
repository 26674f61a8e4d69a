"""Long work in words, with a progress bar and a Cancel button (UX.md: Layout)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.widgets.elided_label import ElidedLabel


class ProgressPanel(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.message = ElidedLabel("")
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.clicked.connect(self._cancel)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self._latest: tuple[int, int, str] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(80)
        self._timer.timeout.connect(self._apply)
        self.hide()

    def begin(self, message: str) -> None:
        self._latest = None
        self._timer.stop()
        self.message.set_full_text(message)
        self.bar.setRange(0, 0)  # busy until the first count arrives
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.show()

    def set_progress(self, done: int, total: int, message: str) -> None:
        """Record progress; the bar is redrawn at most every 80 ms (a progress bar repaints at once, and one
        repaint per file would make a batch of thousands stall the window)."""
        self._latest = (done, total, message)
        if done >= total:
            self._apply()
        elif not self._timer.isActive():
            self._timer.start()

    def _apply(self) -> None:
        self._timer.stop()
        if self._latest is None:
            return
        done, total, message = self._latest
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.message.set_full_text(message)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Stopping…")
        self.cancel_requested.emit()
