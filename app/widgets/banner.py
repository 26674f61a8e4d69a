"""A message across the top of the window, dismissed by the user (first-run welcome, settings trouble)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.widgets.plain_label import PlainLabel
from app.widgets.severity import badge
from checks.model import Severity


class Banner(QFrame):
    dismissed = Signal()

    def __init__(
        self,
        title: str,
        text: str,
        button: str = "OK",
        severity: Severity = Severity.INFO,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName(title)
        icon = badge(severity)
        close = QPushButton(button)
        close.setAccessibleName(f"{button}: close this message")
        close.clicked.connect(self._dismiss)
        body = QVBoxLayout()
        body.addWidget(PlainLabel(title, role="subheading"))
        body.addWidget(PlainLabel(text))
        row = QHBoxLayout(self)
        row.addWidget(icon, 0)
        row.addLayout(body, 1)
        row.addWidget(close, 0)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
